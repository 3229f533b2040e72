import * as fs from "fs";
import * as path from "path";
import { AKS_KUBERNETES_VERSIONS, creatableAt, kubernetesVersionProblem } from "../config/aks-versions";
import { AZURE_REGIONS, cloudOf, REGIONS_WITH_ZONES } from "../config/azure-regions";
import { parseConfig } from "../config/parse-config";
import { parseJsonText } from "../config/parse-json-text";
import { freshConfig, NOW } from "./helpers/bad-configs";
import { synthApp } from "./helpers/synth";

const ROOT = path.resolve(__dirname, "..");
/** The day this table was read; every shipped config must be one AKS creates on. */
const TODAY = new Date("2026-12-04T12:00:00Z");

describe("the AKS release calendar (config/aks-versions.ts)", () => {
  test("judges a version against the injected now: offered from the month after its GA month until the end of its EOL day", () => {
    expect(kubernetesVersionProblem("1.34", new Date("2025-11-30T23:59:59Z"))).toMatch(/offers it from 2025-12-01/);
    expect(kubernetesVersionProblem("1.34", new Date("2025-12-01T00:00:00Z"))).toBeUndefined();
    expect(kubernetesVersionProblem("1.34.3", new Date("2026-11-30T23:59:59Z"))).toBeUndefined();
    expect(kubernetesVersionProblem("1.34", new Date("2026-12-01T00:00:00Z"))).toMatch(/AKS ended community support for 1.34 on 2026-11-30/);
  });

  test("refuses a version before 1.30 for the identity admission policy even while AKS still created it, whatever the date", () => {
    const while129WasOffered = new Date("2024-06-01T00:00:00Z");
    expect(kubernetesVersionProblem("1.29", while129WasOffered)).toMatch(/^"1\.29" is too old: the identity admission policy \(ValidatingAdmissionPolicy v1\) needs Kubernetes 1\.30 or later; choose one AKS creates clusters on now \(1\.29\)/);
    expect(kubernetesVersionProblem("1.30", new Date("2024-08-01T00:00:00Z"))).toBeUndefined();
  });

  test("offers 1.35, 1.36 and 1.37 on 2026-12-04, the day the table was read", () => {
    expect(creatableAt(TODAY)).toEqual(["1.35", "1.36", "1.37"]);
  });

  test("lists versions in order, each GA before its end of life, and the end of life before the LTS end", () => {
    const minors = AKS_KUBERNETES_VERSIONS.map((v) => Number(v.minor.split(".")[1]));
    expect(minors).toEqual([...minors].sort((a, b) => a - b));
    for (const v of AKS_KUBERNETES_VERSIONS) {
      expect(`${v.ga}-01` < v.endOfLife && v.endOfLife < v.ltsEndOfLife).toBe(true);
    }
  });

  test("fails the config when kubernetesVersion is one AKS no longer creates at the injected now, and accepts it before", () => {
    const raw = freshConfig();
    raw.cluster = { kubernetesVersion: "1.34" };
    expect(parseConfig(raw, undefined, NOW).cluster.kubernetesVersion).toBe("1.34");
    expect(() => parseConfig(raw, undefined, TODAY)).toThrow(/cluster\.kubernetesVersion: "1\.34": AKS ended community support for 1\.34 on 2026-11-30/);
  });
});

describe("no shipped config pins what Azure refuses on 2026-12-04", () => {
  const configs = ["", ...fs.readdirSync(path.join(ROOT, "envs")).filter((f) => f.endsWith(".json")).map((f) => `envs/${f}`)];
  test.each(configs.map((c) => [c || "default config", c]))("%s parses with now = 2026-12-04", (_label, file) => {
    const raw = file ? parseJsonText(fs.readFileSync(path.join(ROOT, file), "utf8"), file).value : freshConfig();
    expect(() => parseConfig(raw, file || undefined, TODAY)).not.toThrow();
  });
});

describe("zones and clouds (config/azure-regions.ts)", () => {
  test("knows zone support only for known regions", () => {
    for (const region of REGIONS_WITH_ZONES) expect(AZURE_REGIONS).toContain(region);
    expect(REGIONS_WITH_ZONES.has("westeurope")).toBe(true);
    expect(REGIONS_WITH_ZONES.has("westus")).toBe(false);
  });

  test("spreads pools over no zones in a region without zones when the config asks for none", () => {
    const raw = freshConfig();
    raw.location = "westus";
    expect(parseConfig(raw, undefined, NOW).cluster.availabilityZones).toEqual([]);
    const platform = synthApp(parseConfig(raw, undefined, NOW)).stackJson("platform");
    expect(Object.values<any>(platform.resource.azurerm_kubernetes_cluster)[0].default_node_pool).not.toHaveProperty("zones");
    raw.location = "westeurope";
    expect(parseConfig(raw, undefined, NOW).cluster.availabilityZones).toEqual(["1", "2", "3"]);
  });

  test("defaults each fleet cluster's zones from its own region, not the vault's", () => {
    const raw = freshConfig();
    delete raw.workloads;
    raw.clusters = [{ name: "weu" }, { name: "wus", location: "westus" }];
    expect(parseConfig(raw, undefined, NOW).clusters?.map((c) => [c.name, c.cluster.availabilityZones])).toEqual([["weu", ["1", "2", "3"]], ["wus", []]]);
    raw.location = "westus";
    raw.clusters = [{ name: "weu", location: "westeurope" }, { name: "wus" }];
    expect(parseConfig(raw, undefined, NOW).clusters?.map((c) => [c.name, c.cluster.availabilityZones])).toEqual([["weu", ["1", "2", "3"]], ["wus", []]]);
  });

  test("puts each region in one cloud", () => {
    expect([cloudOf("westeurope"), cloudOf("usgovvirginia"), cloudOf("usdodeast"), cloudOf("chinanorth3")])
      .toEqual(["AzurePublicCloud", "AzureUSGovernmentCloud", "AzureUSGovernmentCloud", "AzureChinaCloud"]);
  });

  test("refuses a region of a sovereign cloud, which every stack's provider, kubelogin and DNS zones would miss", () => {
    const raw = freshConfig();
    raw.location = "usgovvirginia";
    expect(() => parseConfig(raw, undefined, NOW)).toThrow("location: \"usgovvirginia\" is a region of AzureUSGovernmentCloud; " +
      "this app deploys to the Azure public cloud only");
    expect(parseConfig(freshConfig(), undefined, NOW).workloads.map((w) => w.cloudName)).toEqual([undefined]);
  });
});

describe("network policy (config/network-policy.ts)", () => {
  test("defaults to Cilium", () => {
    expect(parseConfig(freshConfig(), undefined, NOW).cluster.networkPolicy).toBe("cilium");
  });

  test("accepts Azure Network Policy Manager until its Linux end of support on 2028-09-30, and refuses it after", () => {
    const raw = freshConfig();
    raw.cluster = { networkPolicy: "azure" };
    for (const secret of raw.keyVault.secrets) secret.expirationDate = "2030-12-31T00:00:00Z";
    expect(parseConfig(raw, undefined, new Date("2028-09-30T23:00:00Z")).cluster.networkPolicy).toBe("azure");
    expect(() => parseConfig(raw, undefined, new Date("2028-10-01T00:00:00Z"))).toThrow(
      "cluster.networkPolicy: \"azure\" (Azure Network Policy Manager) lost AKS support on Linux nodes on 2028-09-30");
  });
});
