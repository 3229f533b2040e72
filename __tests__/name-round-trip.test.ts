import * as fs from "fs";
import * as path from "path";
import { localStatePathOf, stackNamesOf, stateKeyOf, workspaceOf } from "../config/stack-names";
import { AppConfig, FleetClusterConfig, WorkloadConfig } from "../config/types";
import { TERRAFORM_NAME } from "../constructs/terraform";
import { EDGE_CONFIGS, parseGenerated } from "./helpers/edge-configs";
import { synthOutput } from "./helpers/synth";

/**
 * The round trip config name → address → Terraform, over names at the edges of every naming rule
 * a config name passes (config/naming-rules.ts, helpers/edge-configs.ts): each config must be
 * accepted, synthesize, keep a grant for every workload and object, and name everything as
 * Terraform allows. That Terraform loads every stack (and, with a provider mirror, validates it)
 * is terraform/name-round-trip.test.ts, in `npm run test:terraform`.
 */

/** Every name a stack declares, with its kind: `resource.<type>`, `data.<type>`, `variable`, `output`, `locals`. */
function namesOf(stackJson: any): { kind: string; name: string }[] {
  const typed = (block: any, kind: string) => Object.entries<any>(block ?? {}).flatMap(([type, items]) => Object.keys(items).map((name) => ({ kind: `${kind}.${type}`, name })));
  const plain = (block: any, kind: string) => Object.keys(block ?? {}).map((name) => ({ kind, name }));
  return [...typed(stackJson.resource, "resource"), ...typed(stackJson.data, "data"), ...plain(stackJson.variable, "variable"),
    ...plain(stackJson.output, "output"), ...plain(stackJson.locals, "locals")];
}

/** Each cluster of a config with the workloads it grants: the single cluster, or every fleet cluster. */
function clustersOf(config: AppConfig): { platform: string; workload: string; grantScope: string; workloads: readonly WorkloadConfig[] }[] {
  if (!config.clusters) return [{ platform: "platform", workload: "workload", grantScope: config.cluster.grantScope, workloads: config.workloads }];
  return config.clusters.map((c: FleetClusterConfig) => ({
    platform: `cluster-${c.name}`, workload: `workload-${c.name}`, grantScope: c.cluster.grantScope, workloads: c.workloads,
  }));
}

/** One grant per identity and object (per secret), or per identity and role (per vault): what the workloads need. */
function expectedGrants(grantScope: string, workloads: readonly WorkloadConfig[]): number {
  const grants = new Set(workloads.flatMap((w) => w.objects.map((o) => {
    const identity = w.identity === "addon" ? "addon" : w.name;
    const what = grantScope === "vault" ? (o.objectType === "secret" ? "secrets" : "certificates") : `${o.objectType}/${o.objectName.toLowerCase()}`;
    return `${identity} ${what}`;
  })));
  return grants.size;
}

const READER_ROLES = ["Key Vault Secrets User", "Key Vault Certificate User"];

describe.each(EDGE_CONFIGS)("names at the edges of every rule, %s", (_label, raw) => {
  const config = parseGenerated(raw);
  let outdir: string;
  const stackJson = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  beforeAll(() => {
    outdir = synthOutput(config, "json");
  });

  test("every object has a name Terraform allows", () => {
    const bad = stackNamesOf(config).flatMap((stack) => namesOf(stackJson(stack))
      .filter(({ name }) => !TERRAFORM_NAME.pattern.test(name)).map(({ kind, name }) => `${stack}: ${kind}.${name}`));
    expect(bad).toEqual([]);
  });

  test("every workload keeps a read grant on every object it mounts, with its own identity", () => {
    for (const cluster of clustersOf(config)) {
      const grants = Object.values<any>(stackJson(cluster.platform).resource.azurerm_role_assignment)
        .filter((g) => READER_ROLES.includes(g.role_definition_name));
      expect(grants).toHaveLength(expectedGrants(cluster.grantScope, cluster.workloads));
      for (const workload of cluster.workloads.filter((w) => w.identity === "workload")) {
        // Resource names join a name's words: the identity of "b--c" is workload_identity_b_c (docs/hcl-for-ops.md "Addresses without hashes").
        const own = grants.filter((g) => g.principal_id.includes(`.workload_identity_${workload.name.replace(/-+/g, "_")}.principal_id`));
        expect(own.length).toBe(cluster.grantScope === "vault" ? 2 : workload.objects.length);
      }
    }
  });

  test("every output a workload stack reads is one its platform writes", () => {
    for (const cluster of clustersOf(config)) {
      const read = [...JSON.stringify(stackJson(cluster.workload)).matchAll(/terraform_remote_state\.\w+\.outputs\.([\w-]+)/g)].map((m) => m[1]);
      expect(read.length).toBeGreaterThan(0);
      expect(read.filter((name) => !(name in stackJson(cluster.platform).output))).toEqual([]);
    }
  });
});

describe("state of generated fleets", () => {
  test("every stack keeps its state in its own file, blob and workspace, ignoring case", () => {
    const names = Array.from({ length: 40 }, (_, i) => `c${i.toString(36)}${i % 2 === 0 ? "-x" : ""}`);
    const config = parseGenerated({
      profile: "lab",
      clusters: names.map((name, i) => ({ name, ...(i % 3 === 0 ? { cluster: { driver: { type: "helm" } } } : {}) })),
    });
    const stacks = stackNamesOf(config);
    // vault and vault-endpoints, a cluster and a workload stack per cluster, a csi-driver stack per third.
    expect(stacks).toHaveLength(2 + 2 * names.length + Math.ceil(names.length / 3));
    const distinct = (values: string[]) => new Set(values.map((v) => v.toLowerCase())).size;
    const cloud = { type: "cloud" as const, organization: "acme", workspaces: { platform: "p", workload: "w" } };
    const azurerm = { type: "azurerm" as const, resourceGroupName: "rg", storageAccountName: "st", containerName: "c", keyPrefix: "k/" };
    expect(distinct(stacks.map((s) => workspaceOf(cloud, config.namePrefix, s)))).toBe(stacks.length);
    expect(distinct(stacks.map((s) => stateKeyOf(azurerm, config.namePrefix, s)))).toBe(stacks.length);
    expect(distinct(stacks.map((s) => localStatePathOf({ type: "local", stateDir: "state" }, config.namePrefix, s)))).toBe(stacks.length);
  });
});
