import { TerraformStack, Testing } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { DRIVER_CHARTS } from "../config/driver-charts";
import { PROVIDERS_DIR, SecretsStoreCsiDriver, SecretsStoreCsiDriverProps } from "../constructs/kubernetes";
import { synthesized } from "./helpers/stacks";
import { tempDir } from "./helpers/temp";

function helmStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app({ outdir: tempDir() }), "test");
  new HelmProvider(stack, "helm", {});
  return stack;
}

const CHARTS = { driverChart: DRIVER_CHARTS.driver, providerChart: DRIVER_CHARTS.provider };

function releases(props: Partial<SecretsStoreCsiDriverProps> = {}): { driver: any; provider: any } {
  const stack = helmStack();
  new SecretsStoreCsiDriver(stack, "csi", { ...CHARTS, ...props });
  const all = synthesized(stack, "helm_release");
  return { driver: all.find((r) => r.chart === "secrets-store-csi-driver"), provider: all.find((r) => r.chart === "csi-secrets-store-provider-azure") };
}

describe("SecretsStoreCsiDriver", () => {
  test("a minimal definition rotates every 2 minutes, syncs no Secret and installs into kube-system", () => {
    const { driver, provider } = releases();
    expect(driver.namespace).toBe("kube-system");
    expect(provider.namespace).toBe("kube-system");
    const values = JSON.parse(driver.values[0]);
    expect(values).toEqual({
      linux: { providersDir: PROVIDERS_DIR },
      enableSecretRotation: true,
      rotationPollInterval: "2m",
      syncSecret: { enabled: false },
      tokenRequests: [{ audience: "api://AzureADTokenExchange" }],
    });
  });

  test("installs the provider chart without its bundled driver, after the driver release, with the same providers dir", () => {
    const { driver, provider } = releases();
    expect(JSON.parse(provider.values[0])).toEqual({ linux: { providersDir: PROVIDERS_DIR }, "secrets-store-csi-driver": { install: false } });
    expect(JSON.parse(driver.values[0]).linux.providersDir).toBe("/var/run/secrets-store-csi-providers");
    expect(provider.depends_on).toEqual([expect.stringMatching(/^helm_release\.csi_driver_[0-9A-F]{8}$/)]);
    expect(driver.depends_on).toBeUndefined();
  });

  test("takes each chart's repository and version as given (an OCI mirror)", () => {
    const { driver, provider } = releases({
      driverChart: { repository: "oci://mirror.example.com/helm", version: "1.6.0" },
      providerChart: { repository: "https://charts.example.com/azure", version: "1.9.0-rc.1" },
      rotationPollInterval: "5m",
      syncSecret: true,
    });
    expect(driver).toEqual(expect.objectContaining({ name: "secrets-store-csi-driver", repository: "oci://mirror.example.com/helm", version: "1.6.0" }));
    expect(provider).toEqual(expect.objectContaining({ name: "csi-secrets-store-provider-azure", repository: "https://charts.example.com/azure", version: "1.9.0-rc.1" }));
    expect(JSON.parse(driver.values[0])).toEqual(expect.objectContaining({ rotationPollInterval: "5m", syncSecret: { enabled: true } }));
  });

  test.each([
    ["rotationPollInterval", { rotationPollInterval: "2 minutes" }, "SecretsStoreCsiDriver rotationPollInterval must be a duration such as \"2m\", \"30s\" or \"1h30m\", got \"2 minutes\""],
    ["driverChart.version", { driverChart: { ...DRIVER_CHARTS.driver, version: "~1.5" } }, "SecretsStoreCsiDriver driverChart.version must be an exact chart version"],
    ["providerChart.repository", { providerChart: { ...DRIVER_CHARTS.provider, repository: "azure/charts" } }, "SecretsStoreCsiDriver providerChart.repository must be an https:// chart repository URL"],
  ])("fails when %s is invalid", (_name, props, message) => {
    expect(() => new SecretsStoreCsiDriver(helmStack(), "csi", { ...CHARTS, ...props })).toThrow(message);
  });
});
