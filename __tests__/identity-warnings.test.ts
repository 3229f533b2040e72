import { AppConfig } from "../config/types";
import { configFrom, synthAny } from "./helpers/synth";

/** Warnings `npm run synth` prints (the manifest's annotations) that mention the add-on identity. */
function addonWarnings(config: AppConfig): string[] {
  return Object.values<any>(synthAny(config).manifest().stacks).flatMap((s) => s.annotations)
    .filter((a) => a.level === "@cdktf/warn" && a.message.includes("add-on identity is shared")).map((a) => a.message);
}

describe("the shared add-on identity", () => {
  test("warns when two workloads in two namespaces use it, naming every secret each namespace can then mount", () => {
    const config = configFrom((raw) => {
      raw.workloads[0].identity = "addon";
      raw.workloads[0].objects = [{ objectName: "db-password" }];
      raw.workloads.push({ name: "reports", namespace: "reports", identity: "addon", objects: [{ objectName: "api-key" }] });
    });
    expect(addonWarnings(config)).toEqual([
      "The add-on identity is shared by 2 workloads (demo/demo, reports/reports): any pod in each of the namespaces demo, reports can mount " +
      "secret/api-key, secret/db-password, not only what its own workload names. Give each workload its own federated identity " +
      "(\"identity\": \"workload\", the hardened default).",
    ]);
  });

  test("warns for two workloads of one namespace, and says the whole vault with grantScope vault", () => {
    const config = configFrom((raw) => {
      raw.cluster = { grantScope: "vault" };
      raw.workloads[0].identity = "addon";
      raw.workloads.push({ name: "api", namespace: "demo", identity: "addon", objects: [{ objectName: "api-key" }] });
    });
    expect(addonWarnings(config)).toEqual([expect.stringContaining("shared by 2 workloads (demo/demo, demo/api): any pod in namespace demo can mount " +
      "every secret, key and certificate of the vault (cluster.grantScope \"vault\")")]);
  });

  test("does not warn for one add-on workload, or for workload identities", () => {
    expect(addonWarnings(configFrom((raw) => (raw.workloads[0].identity = "addon")))).toEqual([]);
    expect(addonWarnings(configFrom((raw) => raw.workloads.push({ name: "api", namespace: "api", objects: [{ objectName: "api-key" }] })))).toEqual([]);
  });

  test("warns per cluster of a fleet, on that cluster's stack", () => {
    const config = configFrom((raw) => {
      delete raw.workloads;
      raw.clusters = [
        { name: "weu", workloads: [{ name: "a", identity: "addon", objects: [{ objectName: "api-key" }] }, { name: "b", identity: "addon", objects: [{ objectName: "db-password" }] }] },
        { name: "eus", location: "eastus", workloads: [{ name: "c", identity: "addon", objects: [{ objectName: "api-key" }] }] },
      ];
    });
    const stacks = synthAny(config).manifest().stacks;
    const warned = Object.entries<any>(stacks).filter(([, s]) => s.annotations.some((a: any) => a.message.includes("add-on identity is shared"))).map(([name]) => name);
    expect(warned).toEqual(["cluster-weu"]);
  });
});
