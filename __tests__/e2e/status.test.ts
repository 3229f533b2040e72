import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { AppConfig } from "../../config/types";
import { loadConfig } from "../../config/load-config";
import { PLATFORM_OUTPUTS } from "../../stacks/platform-outputs";
import { KUBECONFIG, workloadObjects } from "../cluster/harness";
import { FakeAzure, startFakeAzure } from "./fake-azure";
import { applyAdmitted, IMAGE, removeIdentityPolicy } from "./app";
import { startAzureProvider, stopProcess } from "./azure-provider";
import { E2E_DIR, eventsOf, eventually, getJson, podsOf, ROTATION_POLL_MS } from "./node";

/**
 * `npm run status` against the e2e node (issue 23): current after deploy, rotating and then stale
 * after a vault change while rotation is held up (the Azure provider stopped, so the driver's
 * polls fail), current again once the provider is back, and failing for a missing secret with the
 * pod's FailedMount event. Its own workloads, vault and provider, after secrets-as-files.
 */
const ROOT = path.resolve(__dirname, "../..");
const TENANT_ID = "3c2b1a09-8f7e-4d6c-9b5a-493827160504";
const VAULT_NAME = "kv-status-e2e";
const ADDON_CLIENT_ID = "7e6d5c4b-3a29-4180-9f6e-5d4c3b2a1908";
/** Who runs `npm run status`: a reader of the vault's metadata (Key Vault Reader). */
const OPERATOR = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const ROTATION = `${ROTATION_POLL_MS / 1000}s`;

let fake: FakeAzure;
let provider: ChildProcess;
let configFile: string;
let config: AppConfig;
let objects: any[];
const deployment = (name: string) => objects.find((o) => o.kind === "Deployment" && o.metadata.name === name);

function outputValue(output: string): string {
  if (output === PLATFORM_OUTPUTS.keyVaultName) return VAULT_NAME;
  if (output === PLATFORM_OUTPUTS.tenantId) return TENANT_ID;
  if (output === PLATFORM_OUTPUTS.secretsProviderClientId) return ADDON_CLIENT_ID;
  throw new Error(`no value for platform output ${output}`);
}

/** Runs `npm run status` (the script itself, as npm would) without blocking this process, which serves the fake vault. */
function status(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "./scripts/ts-register.js", "scripts/status.ts", "--kubeconfig", KUBECONFIG, "--rotation-interval", ROTATION, ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, CONFIG: configFile,
        KUBECTL: path.join(process.env.CLUSTER_TEST_DIR!, "kubectl"),
        KEYVAULT_ACCESS_TOKEN: fake.issueVaultToken(OPERATOR),
        HTTPS_PROXY: fake.proxyUrl, NODE_EXTRA_CA_CERTS: fake.caFile,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function statusJson(args: readonly string[] = []): Promise<{ code: number | null; pods: any[] }> {
  const r = await status(["--json", ...args]);
  if (r.code === 2 || r.stderr) throw new Error(`npm run status failed (${r.code}): ${r.stderr}`);
  return { code: r.code, pods: JSON.parse(r.stdout).pods };
}

/** Polls `npm run status` until `ok` holds for its answer. */
async function statusUntil(what: string, timeoutMs: number, args: readonly string[], ok: (r: { code: number | null; pods: any[] }) => boolean) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await statusJson(args);
    if (ok(r)) return r;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s; last answer ${JSON.stringify(r)}`);
    await new Promise((done) => setTimeout(done, 1000));
  }
}

beforeAll(async () => {
  const dir = path.join(E2E_DIR, "status");
  fs.mkdirSync(dir, { recursive: true });
  fake = await startFakeAzure({ dir, tenantId: TENANT_ID, vaultName: VAULT_NAME, managedIdentityClientIds: [ADDON_CLIENT_ID] });
  fake.setSecret("status-db", "first");
  fake.setSecret("status-key", "k-first");
  const app = (name: string, objectNames: string[]) => ({
    name, identity: "addon", image: IMAGE, imagePullPolicy: "Never", command: ["/secret-reader"],
    probe: { exec: ["/secret-reader", "check", `/mnt/secrets-store/${objectNames[0]}`] },
    cloudName: "AzureStackCloud", cloudEnvFileName: fake.cloudEnvFile, objects: objectNames.map((objectName) => ({ objectName })),
  });
  configFile = path.join(dir, "config.json");
  fs.writeFileSync(configFile, JSON.stringify({
    profile: "lab",
    namePrefix: "kvstatus",
    keyVault: { secrets: [{ name: "status-db" }, { name: "status-key" }, { name: "status-absent" }] },
    workloads: [app("status-app", ["status-db", "status-key"]), app("status-missing", ["status-absent"])],
  }));
  config = loadConfig({ CONFIG: configFile }, ROOT);
  provider = await startAzureProvider(fake.proxyUrl, fake.caFile);
  objects = workloadObjects(config, "workload", outputValue);
  await applyAdmitted(objects);
  await eventually("a ready status-app pod", 90_000, () => podsOf(deployment("status-app")).find((p) =>
    p.status.conditions?.some((c: any) => c.type === "Ready" && c.status === "True")));
  const missing = await eventually("the status-missing pod", 30_000, () => podsOf(deployment("status-missing"))[0]);
  await eventually("status-missing's FailedMount event", 60_000, () => eventsOf("status-missing", missing.metadata.name).find((e) => e.startsWith("FailedMount")));
});

afterAll(async () => {
  if (provider) await stopProcess(provider);
  if (fake) await fake.close();
  // Its identity admission policy would refuse the add-on identity in the other files' namespaces.
  if (objects) await removeIdentityPolicy(objects);
});

describe("npm run status on the e2e node", () => {
  test("after deploy: the running pod is current with the vault's versions, the pod waiting for a missing secret is failing with its event, exit 1", async () => {
    const { code, pods } = await statusJson();
    expect(code).toBe(1);
    const app = pods.find((p) => p.workload === "status-app");
    expect(app).toMatchObject({ namespace: "status-app", state: "current" });
    const spcps = getJson(["secretproviderclasspodstatuses", "-n", "status-app"]).items.find((s: any) => s.status.podName === app.pod);
    expect(app.objects.map((o: any) => [o.id, o.state, o.mounted === o.expected])).toEqual([["secret/status-db", "current", true], ["secret/status-key", "current", true]]);
    expect(spcps.status.objects.map((o: any) => o.version).sort()).toEqual(app.objects.map((o: any) => o.mounted).sort());
    const missing = pods.find((p) => p.workload === "status-missing");
    expect(missing.state).toBe("failing");
    expect(missing.lastMountEvent).toContain("SecretNotFound");
    expect(missing.lastMountEvent).toContain("A secret with (name/id) status-absent was not found in this key vault");
  });

  test("a workload whose pods are all current exits 0, and the table says so", async () => {
    const r = await status(["--workload", "status-app"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| status-app \| status-app \| status-app-[a-z0-9-]+ \| secret\/status-db \| [0-9a-f]{8} \| [0-9a-f]{8} \| current \|/);
    expect(r.stdout).toContain("1 pods: 1 current, 0 rotating, 0 stale, 0 failing");
  });

  test("a vault change while rotation is held up is rotating at once, stale once the interval has passed, and current after rotation", async () => {
    const only = ["--workload", "status-app"];
    await stopProcess(provider);
    const changedAt = Date.now();
    const version = fake.setSecret("status-db", "second");
    const rotating = await statusJson(only);
    expect(rotating.code).toBe(0);
    expect(rotating.pods[0].objects[0]).toMatchObject({ id: "secret/status-db", expected: version, state: "rotating" });
    // Stale once the version is older than the rotation interval plus the slack (15 s).
    const stale = await statusUntil("status-app stale", ROTATION_POLL_MS + 30_000, only, (r) => r.pods[0]?.state === "stale");
    expect(stale.code).toBe(1);
    expect(stale.pods[0].objects[0]).toMatchObject({ state: "stale", expected: version });
    expect(stale.pods[0].objects[0].mounted).not.toBe(version);
    expect(Date.now() - changedAt).toBeGreaterThan(ROTATION_POLL_MS);
    provider = await startAzureProvider(fake.proxyUrl, fake.caFile);
    // The driver redials the provider's socket with gRPC's default reconnect backoff (x1.6 per
    // failure, jittered, up to 120 s: sigs.k8s.io/secrets-store-csi-driver pkg/secrets-store/
    // provider_client.go sets no connect parameters), so after the outage above its next attempt
    // may be tens of seconds away on a busy machine (seen: over 35 s with driver v1.5.4).
    const current = await statusUntil("status-app current again", ROTATION_POLL_MS + 120_000, only, (r) => r.pods[0]?.state === "current");
    expect(current.code).toBe(0);
    expect(current.pods[0].objects[0]).toMatchObject({ id: "secret/status-db", mounted: version, expected: version, state: "current" });
  }, 240_000);

  test("status asked the vault only for versions lists (the provider never lists them), one per configured object", () => {
    const lists = fake.log.filter((r) => r.host === `${VAULT_NAME}.vault.e2e.test` && r.path.includes("/versions"));
    expect([...new Set(lists.map((r) => r.path))].sort()).toEqual(["status-absent", "status-db", "status-key"].map((n) => `/secrets/${n}/versions?api-version=7.4`));
  });
});
