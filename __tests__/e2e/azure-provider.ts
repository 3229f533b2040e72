import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { BINARIES, E2E_DIR, eventually, PROVIDER_SOCKET_DIR } from "./node";

/**
 * Starts the Azure provider (secrets-store-csi-driver-provider-azure) on the driver's provider
 * socket folder, talking to Azure only through `proxyUrl` and trusting only `caFile`. Its PID
 * file lets `node.sh stop` end it even when this test process dies first.
 */
export async function startAzureProvider(proxyUrl: string, caFile: string): Promise<ChildProcess> {
  const socket = path.join(PROVIDER_SOCKET_DIR, "azure.sock");
  // A socket left by another test file's provider would pass the wait below before this one listens.
  fs.rmSync(socket, { force: true });
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
