import { spawnSync } from "child_process";
import * as path from "path";
import { renderMountMapOf, renderSecretMountMap, secretMountMap } from "../config/secret-mount-map";
import { configFrom } from "./helpers/synth";
import { readDoc } from "./helpers/docs";

describe("secret mount map", () => {
  test("lists every mounted object of every workload with its file path and identity", () => {
    const config = configFrom((raw) => {
      raw.workloads.push({ name: "billing", namespace: "billing", identity: "addon", mountPath: "/etc/billing", objects: [{ objectName: "api-key", objectAlias: "key.txt" }] });
    });
    expect(secretMountMap(config)).toEqual([
      { namespace: "demo", deployment: "demo", file: "/mnt/secrets-store/db-password", vaultObject: "secret/db-password", identity: "workload", syncedTo: undefined },
      { namespace: "demo", deployment: "demo", file: "/mnt/secrets-store/api-key", vaultObject: "secret/api-key", identity: "workload", syncedTo: undefined },
      { namespace: "billing", deployment: "billing", file: "/etc/billing/key.txt", vaultObject: "secret/api-key", identity: "addon", syncedTo: undefined },
    ]);
  });

  test("shows pinned versions and opted-in Kubernetes Secret copies", () => {
    const config = configFrom((raw) => {
      raw.workloads[0].objects[0].objectVersion = "0123456789abcdef0123456789abcdef";
      raw.workloads[0].syncToKubernetesSecret = { secretName: "demo-env", items: [{ objectName: "api-key", key: "key", envVar: "API_KEY" }] };
    });
    const [pinned, synced] = secretMountMap(config);
    expect(pinned.vaultObject).toBe("secret/db-password@0123456789abcdef0123456789abcdef");
    expect(synced.syncedTo).toBe("demo-env[key] as $API_KEY");
  });

  test("renders a markdown table headed by the vault name", () => {
    const config = configFrom((raw) => (raw.keyVault.name = "kv-mounts-01"));
    const text = renderSecretMountMap("kv-mounts-01", secretMountMap(config));
    expect(text.split("\n")).toEqual([
      "Key Vault kv-mounts-01",
      "",
      "| namespace | deployment | file in every pod | Key Vault object | identity | also in a Kubernetes Secret |",
      "|---|---|---|---|---|---|",
      "| demo | demo | `/mnt/secrets-store/db-password` | secret/db-password | workload | no |",
      "| demo | demo | `/mnt/secrets-store/api-key` | secret/api-key | workload | no |",
      "",
    ]);
  });

  test("the docs' sample (docs/workloads.md) is exactly what npm run mounts prints for the default config", () => {
    const root = path.resolve(__dirname, "..");
    const readme = readDoc("docs/workloads.md");
    const sample = /`npm run mounts` prints[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)?.[1];
    const run = spawnSync(process.execPath, ["-r", "./scripts/ts-register.js", "scripts/secret-mounts.ts"], {
      cwd: root, encoding: "utf8", env: { ...process.env, CONFIG: "", INIT_CWD: "" },
    });
    expect(run.status).toBe(0);
    expect(sample).toBe(run.stdout);
  });

  test("for a fleet, renders one table per cluster, and says so when a cluster mounts nothing", () => {
    const config = configFrom((raw) => {
      delete raw.workloads;
      raw.clusters = [
        { name: "weu", workloads: [{ name: "shop", objects: [{ objectName: "api-key" }] }] },
        { name: "eus", location: "eastus" },
      ];
    });
    expect(renderMountMapOf(config, "kv-fleet-01").split("\n")).toEqual([
      "Key Vault kv-fleet-01, shared by 2 cluster(s)",
      "",
      "## Cluster weu (westeurope; stacks cluster-weu, workload-weu)",
      "",
      "| namespace | deployment | file in every pod | Key Vault object | identity | also in a Kubernetes Secret |",
      "|---|---|---|---|---|---|",
      "| shop | shop | `/mnt/secrets-store/api-key` | secret/api-key | workload | no |",
      "",
      "## Cluster eus (eastus; stacks cluster-eus, workload-eus)",
      "",
      "No workload mounts anything: this cluster has no access to the vault.",
      "",
    ]);
  });
});
