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
