import { ConfigError } from "../config/config-error";
import { parseConfig } from "../config/parse-config";
import { freshConfig, KV_NAME, NOW, PINNED, RawConfig, rows, VALID_DATE } from "./helpers/bad-configs";

/** Parses the mutated default and returns the ConfigError it must throw. */
function errorOf(mutate: (c: RawConfig) => void, source?: string): ConfigError {
  const cfg = freshConfig();
  mutate(cfg);
  let caught: unknown;
  try {
    parseConfig(cfg, source, NOW);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  return caught as ConfigError;
}


describe("parseConfig rejects bad configs", () => {
  it("has at least 45 rows", () => {
    expect(rows.length).toBeGreaterThanOrEqual(45);
  });

  it.each(rows)("fails when $name", ({ mutate, problems }) => {
    expect(errorOf(mutate).problems).toEqual(problems);
  });
});

describe("ConfigError reporting", () => {
  it("reports every problem of a config with many problems at once", () => {
    const err = errorOf((c) => {
      c.namePrefx = "demo";
      c.keyVault.name = "kv--demo";
      c.keyVault.softDeleteRetentionDays = 91;
      c.keyVault.secrets.push({ name: "DB-Password", expirationDate: VALID_DATE });
      c.cluster = { secretRotationInterval: "10s", systemNodePool: { maxPods: 49 } };
      c.backend = { type: "azurerm", resourceGroupName: "rg-tfstate", storageAccountName: "sttfstate", containerName: "tfstate", accessKey: "x" };
      c.workloads[0].mountPath = "/tmp/secrets";
      c.workloads[0].image = "nginx:1.27";
      c.workloads[0].objects.push({ objectName: "redis-password" });
    });
    const paths = [
      "namePrefx",
      "backend.accessKey",
      "keyVault.secrets[2].name",
      "keyVault.name",
      "keyVault.softDeleteRetentionDays",
      "cluster.secretRotationInterval",
      "cluster.systemNodePool.maxPods",
      "workloads[0].mountPath",
      "workloads[0].image",
      "workloads[0].objects[2].objectName",
    ];
    expect(err.problems).toHaveLength(paths.length);
    expect(err.message).toContain(`: ${paths.length} problems`);
    for (const path of paths) {
      expect(err.message).toContain(`  - ${path}: `);
    }
    expect(err.problems.map((p) => p.path).sort()).toEqual([...paths].sort());
  });

  it("formats the message as a header with the source and one line per problem", () => {
    const err = errorOf((c) => {
      c.keyVault.name = "kv--demo";
      c.cluster = { secretRotationInterval: "10s" };
    }, "envs/dev.json");
    expect(err.name).toBe("ConfigError");
    expect(err.source).toBe("envs/dev.json");
    expect(err.message).toBe(
      "Invalid config (envs/dev.json): 2 problems\n" +
        `  - keyVault.name: "kv--demo" is not allowed; must be ${KV_NAME}\n` +
        "  - cluster.secretRotationInterval: \"10s\" is below the floor of 30s; must be at least \"30s\"",
    );
    expect(err.message).toMatch(/^Invalid config \(envs\/dev\.json\): 2 problems\n(  - [^\n]+: [^\n]+\n?){2}$/);
  });

  it("uses the singular for one problem and names the embedded default as the source", () => {
    const err = errorOf((c) => { c.keyVault.softDeleteRetentionDays = 6; });
    expect(err.message).toBe(
      "Invalid config (embedded default config): 1 problem\n" +
        "  - keyVault.softDeleteRetentionDays: must be a whole number from 7 to 90, got 6",
    );
  });
});

describe("parseConfig accepts good configs", () => {
  it("connects to the AKS cluster by default, and to a named kubeconfig context (~/.kube/config by default) when asked", () => {
    expect(parseConfig(freshConfig(), undefined, NOW).cluster.connection).toEqual({ type: "aks" });
    const cfg = freshConfig();
    (cfg.cluster ??= {}).connection = { type: "kubeconfig", context: "arn:aws:eks:eu-west-1:123:cluster/ci" };
    expect(parseConfig(cfg, undefined, NOW).cluster.connection).toEqual({ type: "kubeconfig", path: "~/.kube/config", context: "arn:aws:eks:eu-west-1:123:cluster/ci" });
  });

  it("parses the default config", () => {
    const cfg = parseConfig(freshConfig());
    expect(cfg.profile).toBe("hardened");
    expect(cfg.keyVault.secrets.map((s) => s.name)).toEqual(["db-password", "api-key"]);
    expect(cfg.workloads.map((w) => w.name)).toEqual(["demo"]);
  });

  it("leaves the vault name to the platform stack (unique per subscription, computed at plan) unless one is given", () => {
    expect(parseConfig(freshConfig()).keyVault.name).toBeUndefined();
    const named = freshConfig();
    named.keyVault.name = "kv-mine-01";
    expect(parseConfig(named).keyVault.name).toBe("kv-mine-01");
  });

  it("spreads both pools over zones 1-3 and logs in with the Azure CLI by default; an empty zone list means no zones", () => {
    const cluster = parseConfig(freshConfig()).cluster;
    expect(cluster.availabilityZones).toEqual(["1", "2", "3"]);
    expect(cluster.kubeloginMode).toBe("azurecli");
    const raw = freshConfig();
    raw.cluster = { availabilityZones: [] };
    expect(parseConfig(raw).cluster.availabilityZones).toEqual([]);
  });

  it("waits 30s for role propagation by default", () => {
    expect(parseConfig(freshConfig()).keyVault.rbacPropagationWait).toBe("30s");
  });

  it("gives the lab profile relaxed defaults", () => {
    const raw = freshConfig();
    raw.profile = "lab";
    const lab = parseConfig(raw);
    const hardened = parseConfig(freshConfig());
    expect(lab.keyVault.networkAccess).toBe("public");
    expect(lab.cluster.userNodePool).toBeUndefined();
    expect(lab.keyVault.preventDestroy).toBe(false);
    expect(hardened.keyVault.networkAccess).toBe("allowlist");
    expect(hardened.cluster.userNodePool).toBeDefined();
    expect(hardened.keyVault.preventDestroy).toBe(true);
  });

  it("accepts an image without a digest in the lab profile", () => {
    const raw = freshConfig();
    raw.profile = "lab";
    raw.workloads[0].image = "nginx:1.27";
    expect(parseConfig(raw).workloads[0].image).toBe("nginx:1.27");
  });

  it("accepts an image pinned by digest in the hardened profile", () => {
    const raw = freshConfig();
    raw.workloads[0].image = PINNED;
    expect(parseConfig(raw).workloads[0].image).toBe(PINNED);
  });

  it("defaults the service CIDR to AKS's 10.0.0.0/16 and the DNS service IP to its .10 address", () => {
    const network = parseConfig(freshConfig(), undefined, NOW).network;
    expect(network.serviceCidr).toBe("10.0.0.0/16");
    expect(network.dnsServiceIp).toBe("10.0.0.10");
    const raw = freshConfig();
    raw.network = { serviceCidr: "172.16.0.0/16" };
    expect(parseConfig(raw, undefined, NOW).network).toMatchObject({ serviceCidr: "172.16.0.0/16", dnsServiceIp: "172.16.0.10" });
  });

  it("accepts 0.0.0.0/0 in the lab profile's allowlists", () => {
    const raw = freshConfig();
    raw.profile = "lab";
    raw.keyVault.networkAccess = "allowlist";
    raw.keyVault.allowedIpRanges = ["0.0.0.0/0"];
    raw.cluster = { apiServerAuthorizedIpRanges: ["0.0.0.0/0"] };
    const cfg = parseConfig(raw, undefined, NOW);
    expect(cfg.keyVault.allowedIpRanges).toEqual(["0.0.0.0/0"]);
    expect(cfg.cluster.apiServerAuthorizedIpRanges).toEqual(["0.0.0.0/0"]);
  });

  it("judges expiration dates against the injected now, not the wall clock", () => {
    const raw = freshConfig();
    raw.keyVault.secrets[0].expirationDate = "2026-07-01T00:00:00Z";
    expect(parseConfig(raw, undefined, NOW).keyVault.secrets[0].expirationDate).toBe("2026-07-01T00:00:00Z");
    expect(() => parseConfig(raw, undefined, new Date("2026-07-01T00:00:00Z"))).toThrow(/is in the past/);
  });

  it("accepts a file permission with the read bit for others and a namespace that merely contains kube", () => {
    const raw = freshConfig();
    raw.workloads[0].objects[0].filePermission = "0644";
    raw.workloads[0].namespace = "apps-kube";
    const cfg = parseConfig(raw, undefined, NOW);
    expect(cfg.workloads[0].objects[0].filePermission).toBe("0644");
    expect(cfg.workloads[0].namespace).toBe("apps-kube");
  });

  it("accepts a $schema reference for editors and rejects a non-string one", () => {
    const raw = freshConfig();
    raw.$schema = "../config.schema.json";
    expect(() => parseConfig(raw, undefined, NOW)).not.toThrow();
    raw.$schema = 1;
    expect(errorOf((c) => { c.$schema = 1; }).problems).toEqual([{ path: "$schema", message: "must be a string, got 1" }]);
  });

  it("accepts the state's group as an existing group, and names that stay apart in every stack", () => {
    const parse = (mutate: (c: RawConfig) => void) => { const raw = freshConfig(); mutate(raw); return parseConfig(raw, undefined, NOW); };
    expect(parse((c) => {
      c.backend = { type: "azurerm", resourceGroupName: "rg-tfstate", storageAccountName: "sttfstate", containerName: "tfstate" };
      c.resourceGroup = { name: "RG-TFSTATE", existing: true };
    }).resourceGroup).toEqual({ name: "RG-TFSTATE", existing: true });
    const fleet = parse((c) => { delete c.workloads; c.resourceGroup = { name: "rg-kvcsi-weu-vault" }; c.clusters = [{ name: "weu" }]; });
    expect([fleet.resourceGroup.name, ...fleet.clusters!.map((cl) => cl.resourceGroupName)]).toEqual(["rg-kvcsi-weu-vault", "rg-kvcsi-weu"]);
    expect(parse((c) => {
      c.cluster = { driver: { type: "helm" } };
      c.backend = { type: "cloud", organization: "acme", workspaces: { platform: "shop-platform", workload: "shop-workload" } };
    }).backend).toEqual(expect.objectContaining({ workspaces: { platform: "shop-platform", workload: "shop-workload" } }));
  });

  it("accepts the Azure rules' edges: a 120-character federated credential, node-image with NodeImage, 128+ GiB temp disks, DNS-safe tags", () => {
    const raw = freshConfig();
    Object.assign(raw.workloads[0], { identity: "workload", namespace: "n".repeat(60), serviceAccountName: "s".repeat(59) });
    raw.cluster = { automaticUpgradeChannel: "node-image", ephemeralOsDisk: true, systemNodePool: { vmSize: "Standard_D4ds_v5" }, userNodePool: { vmSize: "Standard_E16ds_v5" } };
    raw.keyVault.networkAccess = "private";
    raw.tags = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`Cost_Center-${i}`, "x y (z)"]));
    const config = parseConfig(raw, undefined, NOW);
    expect(config.cluster).toEqual(expect.objectContaining({ automaticUpgradeChannel: "node-image", nodeOsUpgradeChannel: "NodeImage", ephemeralOsDisk: true }));
    expect(Object.keys(config.tags)).toHaveLength(15);
  });

  it("accepts a managed secret without expirationDate in the lab profile", () => {
    const raw = freshConfig();
    raw.profile = "lab";
    delete raw.keyVault.secrets[0].expirationDate;
    expect(parseConfig(raw).keyVault.secrets[0].expirationDate).toBeUndefined();
  });
});

describe("the identity a workload mounts through when it does not choose", () => {
  const identityOf = (mutate: (c: RawConfig) => void) => {
    const raw = freshConfig();
    mutate(raw);
    return parseConfig(raw, undefined, NOW).workloads.map((w) => w.identity);
  };

  it("is its own federated identity in the hardened profile", () => {
    expect(identityOf(() => undefined)).toEqual(["workload"]);
  });

  it("is the add-on identity in the lab profile, as in the seed", () => {
    expect(identityOf((c) => { c.profile = "lab"; })).toEqual(["addon"]);
  });

  it("is its own federated identity with the helm driver, in either profile", () => {
    expect(identityOf((c) => { c.profile = "lab"; c.cluster = { driver: { type: "helm" } }; })).toEqual(["workload"]);
  });

  it("stays what the config chooses", () => {
    expect(identityOf((c) => { c.workloads[0].identity = "addon"; })).toEqual(["addon"]);
    expect(identityOf((c) => { c.profile = "lab"; c.workloads[0].identity = "workload"; })).toEqual(["workload"]);
  });
});
