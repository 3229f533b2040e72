import * as fs from "fs";
import * as path from "path";
import { parseConfig } from "../config/parse-config";
import { localStatePathOf, stackNamesOf, stateKeyOf, workspaceOf } from "../config/stack-names";
import { AppConfig, FleetClusterConfig, WorkloadConfig } from "../config/types";
import { TERRAFORM_NAME } from "../constructs/terraform";
import { classifyInit } from "../scripts/validate";
import { freshConfig, NOW, RawConfig } from "./helpers/bad-configs";
import { synthOutput } from "./helpers/synth";
import { tempDir } from "./helpers/temp";
import { describeWithTerraform, terraform, terraformDir } from "./helpers/terraform";

/**
 * The round trip config name → address → Terraform, over names at the edges of every naming rule
 * a config name passes (config/naming-rules.ts): each config below must be accepted, synthesize,
 * keep a grant for every workload and object, name everything as Terraform allows, and load in
 * Terraform. Loading needs no provider: `terraform init` reads (and refuses) the configuration
 * before it looks for one, so with an empty provider mirror it stops only at "Failed to query
 * available provider packages". With a provider mirror (TF_CLI_CONFIG_FILE), `terraform validate`
 * runs too; without one that test says SKIPPED.
 */

/** Key Vault secret names (RULES.secretName: 1-127 letters, digits and hyphens). */
const SECRET_NAMES = ["1password", "9", "x", "Db-Password-2", "s".repeat(127), "a--b", "-lead", "trail-", "0-0"];
/** Key and certificate names: the same rule, granted by their own role. */
const KEY_NAMES = ["1key", "k".repeat(127)];
const CERT_NAMES = ["9-cert", "tls--cert"];
/** DNS-1123 labels (workload names, namespaces, ServiceAccounts): 1-63, leading digits allowed. */
const LABELS = ["9app", "a", "z".repeat(63), "b--c", "0"];
/** Fleet cluster names (RULES.fleetClusterName: 1-12, starting with a letter). */
const CLUSTER_NAMES = ["q", "abcdefghijkl", "z9-x"];

function edgeWorkloads(): RawConfig[] {
  const objects = [
    ...SECRET_NAMES.map((objectName) => ({ objectName })),
    ...KEY_NAMES.map((objectName) => ({ objectName, objectType: "key" })),
    ...CERT_NAMES.map((objectName) => ({ objectName, objectType: "cert" })),
  ];
  return LABELS.map((name) => ({
    name,
    // Two workloads share the add-on identity; the others get their own, and the longest name meets the
    // 120-character limit of its federated credential (<namespace>-<serviceAccountName>).
    identity: name === "a" || name === "0" ? "addon" : "workload",
    namespace: name.length === 63 ? name : `${name}-ns`,
    ...(name.length === 63 ? { serviceAccountName: "s".repeat(56) } : {}),
    objects,
  }));
}

function edgeSecrets(): RawConfig[] {
  return SECRET_NAMES.map((name, i) => ({ name, ...(i % 3 === 2 ? { source: "external" } : {}) }));
}

/** The generated configs: one cluster with per-secret and per-vault grants, and a fleet. */
const CONFIGS: [string, RawConfig][] = [
  ["one cluster, grants per secret", { profile: "lab", namePrefix: "ab", keyVault: { secrets: edgeSecrets() }, workloads: edgeWorkloads() }],
  ["one cluster, grants on the vault", {
    profile: "lab", namePrefix: "a1", keyVault: { secrets: edgeSecrets() }, cluster: { grantScope: "vault" }, workloads: edgeWorkloads(),
  }],
  ["a fleet", {
    profile: "lab",
    namePrefix: "abcdefghijkl",
    keyVault: { secrets: edgeSecrets() },
    clusters: CLUSTER_NAMES.map((name, i) => ({
      name,
      network: { vnetAddressSpace: `10.${50 + i}.0.0/16`, clusterSubnetPrefix: `10.${50 + i}.0.0/20`, endpointSubnetPrefix: `10.${50 + i}.16.0/24` },
      workloads: edgeWorkloads().slice(i, i + 2),
    })),
  }],
];

function parse(raw: RawConfig): AppConfig {
  return parseConfig({ ...freshConfig(), workloads: undefined, ...raw }, "generated config", NOW);
}

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

describe.each(CONFIGS)("names at the edges of every rule, %s", (_label, raw) => {
  const config = parse(raw);
  const outputs = { json: "", hcl: "" } as Record<"json" | "hcl", string>;
  const stackJson = (stack: string) => JSON.parse(fs.readFileSync(path.join(outputs.json, "stacks", stack, "cdk.tf.json"), "utf8"));
  beforeAll(() => {
    outputs.json = synthOutput(config, "json");
    outputs.hcl = synthOutput(config, "hcl");
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

  describeWithTerraform("with the terraform binary", () => {
    test.each(["json", "hcl"] as const)("terraform loads every stack's configuration (%s), stopping only for lack of providers", (format) => {
      const cli = emptyMirrorCliConfig();
      for (const stack of stackNamesOf(config)) {
        const init = terraform(path.join(outputs[format], "stacks", stack), ["init", "-backend=false", "-input=false", "-no-color"], { TF_CLI_CONFIG_FILE: cli });
        expect({ stack, outcome: classifyInit(init.status, init.output), output: init.output })
          .toEqual({ stack, outcome: "providers-unavailable", output: expect.not.stringMatching(/Invalid (resource|data source|variable|output|local value) name/) });
      }
    });

    const validateName = providerMirror()
      ? `terraform validate passes every stack (json; providers from ${providerMirror()})`
      : "SKIPPED: terraform validate of every stack needs a provider mirror named by TF_CLI_CONFIG_FILE (e.g. /root/tf-mirror.tfrc)";
    (providerMirror() ? test : test.skip)(validateName, () => {
      const env = { TF_CLI_CONFIG_FILE: providerMirror()!, TF_PLUGIN_CACHE_DIR: pluginCache() };
      for (const stack of stackNamesOf(config)) {
        const dir = path.join(outputs.json, "stacks", stack);
        const init = terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"], env);
        expect({ stack, init: init.status, output: init.status === 0 ? "" : init.output }).toEqual({ stack, init: 0, output: "" });
        const validate = terraform(dir, ["validate", "-no-color"], env);
        expect({ stack, validate: validate.status, output: validate.status === 0 ? "" : validate.output }).toEqual({ stack, validate: 0, output: "" });
      }
    });
  });
});

describeWithTerraform("the round trip can fail", () => {
  test("terraform refuses a name that starts with a digit while loading, before any provider", () => {
    const dir = terraformDir({
      "main.tf.json": JSON.stringify({ resource: { terraform_data: { "1password": { input: 1 } } } }),
    });
    const init = terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"], { TF_CLI_CONFIG_FILE: emptyMirrorCliConfig() });
    expect(classifyInit(init.status, init.output)).toBe("invalid");
    expect(init.output).toContain("Invalid resource name");
  });
});

describe("state of generated fleets", () => {
  test("every stack keeps its state in its own file, blob and workspace, ignoring case", () => {
    const names = Array.from({ length: 40 }, (_, i) => `c${i.toString(36)}${i % 2 === 0 ? "-x" : ""}`);
    const config = parse({
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

/** A Terraform CLI configuration whose only provider source is an empty folder: init fails at once, offline, after loading the configuration. */
function emptyMirrorCliConfig(): string {
  const dir = tempDir("empty-mirror-");
  const rc = path.join(dir, "terraformrc");
  fs.mkdirSync(path.join(dir, "mirror"));
  fs.writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path    = "${path.join(dir, "mirror")}"\n    include = ["*/*/*"]\n  }\n}\n`);
  return rc;
}

/** The CLI configuration of a provider mirror, when TF_CLI_CONFIG_FILE names one (e.g. /root/tf-mirror.tfrc). */
function providerMirror(): string | undefined {
  const rc = process.env.TF_CLI_CONFIG_FILE;
  return rc && fs.existsSync(rc) && /provider_installation/.test(fs.readFileSync(rc, "utf8")) ? rc : undefined;
}

/** One plugin cache for every stack, so Terraform links the providers instead of copying them per stack. */
let cache: string | undefined;
function pluginCache(): string {
  cache ??= tempDir("tf-plugin-cache-");
  return cache;
}
