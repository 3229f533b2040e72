import { AppConfig } from "../config/types";
import { DRIVER_CHARTS } from "../config/driver-charts";
import { parseConfig } from "../config/parse-config";
import { stackNamesOf } from "../stacks/build-app";
import { configFrom, dataOf, defaultRaw, resourcesOf, synthAny, withoutMetadata } from "./helpers/synth";

const NOW = new Date("2026-06-01T00:00:00Z");

/** The default config with the helm driver; `mutate` changes the raw config further. */
function helmConfig(mutate: (raw: any) => void = () => undefined): AppConfig {
  return configFrom((raw) => {
    raw.cluster = { ...raw.cluster, driver: { type: "helm" } };
    mutate(raw);
  });
}

const release = (stack: any, chart: string) => resourcesOf(stack, "helm_release").find((r) => r.chart === chart);
const driverValues = (stack: any) => JSON.parse(release(stack, "secrets-store-csi-driver").values[0]);

describe("config: cluster.driver", () => {
  test("defaults to the add-on", () => {
    expect(configFrom().cluster.driver).toEqual({ type: "addon" });
  });

  test("the helm driver pins both charts to their public repositories by default and makes workload identity the default", () => {
    const config = helmConfig();
    expect(config.cluster.driver).toEqual({
      type: "helm",
      driverChart: { repository: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts", version: "1.5.6" },
      providerChart: { repository: "https://azure.github.io/secrets-store-csi-driver-provider-azure/charts", version: "1.8.2" },
    });
    expect(config.workloads.map((w) => w.identity)).toEqual(["workload"]);
  });
});

describe("a helm-driver cluster", () => {
  const s = synthAny(helmConfig());
  const platform = s.stackJson("platform");
  const driver = s.stackJson("csi-driver");
  const workload = s.stackJson("workload");

  test("synthesizes platform, csi-driver and workload, each after the one before", () => {
    expect(s.stacks).toEqual(["platform", "csi-driver", "workload"]);
    const deps = Object.fromEntries(Object.entries<any>(s.manifest().stacks).map(([name, st]) => [name, st.dependencies]));
    expect(deps).toEqual({ platform: [], "csi-driver": ["platform"], workload: ["platform", "csi-driver"] });
  });

  test("turns the AKS add-on off and writes no add-on identity output", () => {
    const [aks] = resourcesOf(platform, "azurerm_kubernetes_cluster");
    expect(aks).not.toHaveProperty("key_vault_secrets_provider");
    expect(Object.keys(platform.output)).not.toContain("secrets_provider_identity_client_id");
    expect(Object.keys(platform.output)).toContain("workload_identity_client_id_demo");
  });

  test("installs the driver chart, then the Azure provider chart, from their pinned public repositories", () => {
    expect(release(driver, "secrets-store-csi-driver")).toEqual(expect.objectContaining({
      name: "secrets-store-csi-driver", namespace: "kube-system", ...DRIVER_CHARTS.driver,
    }));
    expect(release(driver, "csi-secrets-store-provider-azure")).toEqual(expect.objectContaining({
      name: "csi-secrets-store-provider-azure", namespace: "kube-system", ...DRIVER_CHARTS.provider,
      depends_on: ["helm_release.csi_driver"],
    }));
    expect(JSON.parse(release(driver, "csi-secrets-store-provider-azure").values[0])).toEqual({
      linux: { providersDir: "/var/run/secrets-store-csi-providers" }, "secrets-store-csi-driver": { install: false },
    });
  });

  test("rotates at the cluster's rotation interval and syncs no Secret when no workload asks", () => {
    expect(driverValues(driver)).toEqual({
      linux: { providersDir: "/var/run/secrets-store-csi-providers" },
      enableSecretRotation: true,
      rotationPollInterval: "2m",
      syncSecret: { enabled: false },
      tokenRequests: [{ audience: "api://AzureADTokenExchange" }],
    });
  });

  test("configures the helm provider like the workload stack's, from the platform's outputs", () => {
    expect(driver.provider.helm).toEqual(workload.provider.helm);
    expect(withoutMetadata(dataOf(driver, "azurerm_kubernetes_cluster"))).toEqual(withoutMetadata(dataOf(workload, "azurerm_kubernetes_cluster")));
    expect(dataOf(driver, "terraform_remote_state")).toEqual([expect.objectContaining({ backend: "local" })]);
  });

  test("matches the snapshot", () => {
    expect(withoutMetadata(driver)).toMatchSnapshot();
  });
});

describe("the helm driver's values and sources follow the config", () => {
  test("rotation interval, Secret sync and chart mirrors", () => {
    const s = synthAny(helmConfig((raw) => {
      raw.cluster.secretRotationInterval = "5m";
      raw.cluster.driver.driverChart = { repository: "oci://mirror.example.com/helm" };
      raw.cluster.driver.providerChart = { repository: "https://charts.example.com/azure", version: "1.9.0" };
      raw.workloads[0].syncToKubernetesSecret = { secretName: "demo-env", items: [{ objectName: "db-password", key: "password", envVar: "DB_PASSWORD" }] };
    }));
    const driver = s.stackJson("csi-driver");
    expect(driverValues(driver)).toEqual(expect.objectContaining({ rotationPollInterval: "5m", syncSecret: { enabled: true } }));
    expect(release(driver, "secrets-store-csi-driver")).toEqual(expect.objectContaining({ repository: "oci://mirror.example.com/helm", version: "1.5.6" }));
    expect(release(driver, "csi-secrets-store-provider-azure")).toEqual(expect.objectContaining({ repository: "https://charts.example.com/azure", version: "1.9.0" }));
  });

  test("a kubeconfig connection needs neither Azure nor the platform's state", () => {
    const s = synthAny(helmConfig((raw) => { raw.cluster.connection = { type: "kubeconfig", context: "ci" }; }));
    const driver = s.stackJson("csi-driver");
    expect(driver.provider).not.toHaveProperty("azurerm");
    expect(driver.data).toBeUndefined();
    expect(driver.provider.helm).toEqual([{ kubernetes: { config_path: "${pathexpand(\"~/.kube/config\")}", config_context: "ci" } }]);
  });
});

describe("a fleet mixing add-on and helm clusters", () => {
  const raw = defaultRaw();
  delete raw.workloads;
  raw.clusters = [
    { name: "weu", workloads: [{ name: "app", objects: [{ objectName: "db-password" }] }] },
    { name: "neu", network: { vnetAddressSpace: "10.42.0.0/16", clusterSubnetPrefix: "10.42.0.0/20", endpointSubnetPrefix: "10.42.16.0/24" },
      cluster: { driver: { type: "helm" } }, workloads: [{ name: "app", objects: [{ objectName: "api-key" }] }] },
  ];
  const config = parseConfig(raw, "mixed fleet", NOW);
  const s = synthAny(config);

  test("gives only the helm cluster a csi-driver stack, between its cluster and workload stacks", () => {
    expect(stackNamesOf(config)).toEqual(["vault", "cluster-weu", "cluster-neu", "csi-driver-neu", "vault-endpoints", "workload-weu", "workload-neu"]);
    const deps = Object.fromEntries(Object.entries<any>(s.manifest().stacks).map(([name, st]) => [name, st.dependencies]));
    expect(deps["csi-driver-neu"]).toEqual(["cluster-neu"]);
    expect(deps["workload-neu"]).toEqual(["cluster-neu", "csi-driver-neu", "vault-endpoints"]);
    expect(deps["workload-weu"]).toEqual(["cluster-weu", "vault-endpoints"]);
  });

  test("keeps the add-on on the add-on cluster only", () => {
    const aksOf = (stack: string) => resourcesOf(s.stackJson(stack), "azurerm_kubernetes_cluster")[0];
    expect(aksOf("cluster-weu")).toHaveProperty("key_vault_secrets_provider");
    expect(aksOf("cluster-neu")).not.toHaveProperty("key_vault_secrets_provider");
    expect(config.clusters!.map((c) => c.workloads[0].identity)).toEqual(["workload", "workload"]);
  });
});

describe("state of the csi-driver stack", () => {
  test("with Terraform Cloud and named workspaces, it uses <namePrefix>-csi-driver", () => {
    const s = synthAny(helmConfig((raw) => {
      raw.backend = { type: "cloud", organization: "org", workspaces: { platform: "p-ws", workload: "w-ws" } };
    }));
    expect(s.stackJson("csi-driver").terraform.cloud.workspaces).toEqual({ name: "kvcsi-csi-driver" });
    expect(s.stackJson("workload").terraform.cloud.workspaces).toEqual({ name: "w-ws" });
    expect(dataOf(s.stackJson("csi-driver"), "terraform_remote_state")).toEqual([
      expect.objectContaining({ backend: "remote", config: expect.objectContaining({ workspaces: { name: "p-ws" } }) }),
    ]);
  });
});
