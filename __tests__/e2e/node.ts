import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
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
export const NODE_NAME = ENV.E2E_NODE;
/** The driver's --rotation-poll-interval, in ms. */
export const ROTATION_POLL_MS = Number.parseInt(ENV.E2E_ROTATION_POLL, 10) * 1000;

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

/**
 * The host PID of a container's main process, from containerd. The container's own view of
 * its file system is /proc/<pid>/root: reading there reads what the app reads, through the
 * container's mount namespace, without kubelet's exec (which would need kubelet serving).
 */
export function containerPid(containerId: string): number {
  const id = containerId.replace(/^containerd:\/\//, "");
  const r = spawnSync("ctr", ["--address", path.join(E2E_DIR, "containerd.sock"), "-n", "k8s.io", "tasks", "ls"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ctr tasks ls failed: ${r.stderr}`);
  const line = r.stdout.split("\n").find((l) => l.startsWith(`${id} `));
  if (!line) throw new Error(`container ${id} has no task`);
  return Number.parseInt(line.trim().split(/\s+/)[1], 10);
}

/** A file as the container sees it: its content and permission bits, or undefined when absent. */
export function fileInContainer(pid: number, file: string): { content: string; mode: string } | undefined {
  const at = path.join(`/proc/${pid}/root`, file);
  if (!fs.existsSync(at)) return undefined;
  return { content: fs.readFileSync(at, "utf8"), mode: (fs.statSync(at).mode & 0o777).toString(8).padStart(4, "0") };
}

/** File names in a folder as the container sees it. */
export function filesInContainer(pid: number, dir: string): string[] {
  return fs.readdirSync(path.join(`/proc/${pid}/root`, dir)).filter((f) => !f.startsWith(".."));
}

/**
 * Starts the Azure provider (secrets-store-csi-driver-provider-azure) on the driver's provider
 * socket folder, talking to Azure only through `proxyUrl` and trusting only `caFile`. Its PID
 * file lets `node.sh stop` end it even when this test process dies first.
 */
export async function startAzureProvider(proxyUrl: string, caFile: string): Promise<ChildProcess> {
  const socket = path.join(ENV.E2E_PROVIDER_SOCKET_DIR, "azure.sock");
  const log = fs.openSync(path.join(E2E_DIR, "azure-provider.log"), "a");
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, SSL_CERT_FILE: caFile };
  // Its health and metrics servers listen on every interface (it has no address flag); free ports keep them out of the way.
  const [healthz, prometheus] = await freePorts(2);
  const child = spawn(path.join(BINARIES, "secrets-store-csi-driver-provider-azure"),
    [`--endpoint=unix://${socket}`, `--healthz-port=${healthz}`, `--prometheus-port=${prometheus}`],
    { env, stdio: ["ignore", log, log] });
  fs.writeFileSync(path.join(E2E_DIR, "azure-provider.pid"), String(child.pid));
  await eventually("the Azure provider's socket", 30_000, () => (fs.existsSync(socket) ? true : undefined),
    () => fs.readFileSync(path.join(E2E_DIR, "azure-provider.log"), "utf8").slice(-2000));
  return child;
}

/** Ports the kernel picks as free on 127.0.0.1 (released again before use). */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => net.createServer());
  await Promise.all(servers.map((server) => new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok))));
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((ok) => server.close(ok))));
  return ports;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((ok) => child.once("exit", ok));
  child.kill("SIGTERM");
  await exited;
}
