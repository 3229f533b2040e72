import * as fs from "fs";
import { kubectl, kubectlOk } from "../cluster/harness";

/**
 * The one-node cluster `scripts/e2e/node.sh test` (npm run test:e2e) started: its settings, as
 * written to <dir>/e2e.env.
 */
function readEnv(): Record<string, string> {
  const file = process.env.E2E_ENV_FILE;
  if (!file) throw new Error("the end-to-end tests need a running node: run them with `npm run test:e2e`");
  return Object.fromEntries(fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => {
    const at = line.indexOf("=");
    return [line.slice(0, at), line.slice(at + 1)];
  }));
}

const ENV = readEnv();
export const E2E_DIR = ENV.E2E_DIR;
export const BINARIES = ENV.E2E_BINARIES;
export const CONTAINERD_SOCKET = ENV.E2E_CONTAINERD;
export const PROVIDER_SOCKET_DIR = ENV.E2E_PROVIDER_SOCKET_DIR;
/** The driver's --rotation-poll-interval. */
export const ROTATION_POLL_MS = Number(ENV.E2E_ROTATION_POLL_MS);
/** kubelet's syncFrequency: each pod is synced again after this, jittered up to 1.5 times (pod_workers.go). */
export const KUBELET_SYNC_MS = Number(ENV.E2E_KUBELET_SYNC_MS);
/** The Secrets Store CSI driver this node runs, e.g. "v1.5.4". */
export const DRIVER_VERSION = ENV.E2E_DRIVER_VERSION;
/**
 * From v1.6.0 the driver rotates when kubelet repeats NodePublishVolume at a pod sync (CSIDriver
 * requiresRepublish), at most once per poll interval; before, its own rotation controller polled
 * every pod each interval and emitted MountRotationComplete events. Driver docs, "pre v1.6.0"
 * (docs/book/src/getting-started/upgrades.md).
 */
export const ROTATES_ON_REPUBLISH = (() => {
  const m = /^v(\d+)\.(\d+)\./.exec(DRIVER_VERSION ?? "");
  if (!m) throw new Error(`E2E_DRIVER_VERSION ${JSON.stringify(DRIVER_VERSION)} is no driver version`);
  return Number(m[1]) > 1 || Number(m[2]) >= 6;
})();
/**
 * The longest a vault change may take to reach a mounted file: the driver's next poll (v1.5), or
 * kubelet's next pod sync after the poll interval (v1.6); plus 5 s for the provider's round trip.
 */
export const ROTATION_DEADLINE_MS = (ROTATES_ON_REPUBLISH ? KUBELET_SYNC_MS * 1.5 : 0) + ROTATION_POLL_MS + 5_000;

/** Polls `check` until it returns a value other than undefined, or fails naming `what` and the last state. */
export async function eventually<T>(what: string, timeoutMs: number, check: () => T | undefined, state: () => string = () => ""): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s. ${state()}`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

export function getJson(args: readonly string[]): any {
  return JSON.parse(kubectlOk(["get", ...args, "-o", "json"]));
}

/** The pods of a Deployment (by its selector). */
export function podsOf(deployment: any): any[] {
  const selector = Object.entries(deployment.spec.selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(",");
  return getJson(["pods", "-n", deployment.metadata.namespace, "-l", selector]).items;
}

/** The events of one object, oldest first, as "Reason: message" lines. */
export function eventsOf(namespace: string, name: string): string[] {
  return getJson(["events", "-n", namespace, "--field-selector", `involvedObject.name=${name}`]).items
    .map((e: any) => `${e.reason}: ${e.message}`);
}

/** What kubectl describes of a pod, for failure messages. */
export function podState(namespace: string, name: string): string {
  const r = kubectl(["get", "pod", "-n", namespace, name, "-o", "jsonpath={.status}"]);
  return `pod ${namespace}/${name}: ${r.stdout}\nevents:\n${eventsOf(namespace, name).join("\n")}`;
}
