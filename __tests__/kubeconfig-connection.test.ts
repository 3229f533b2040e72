import { TerraformStack, Testing } from "cdktf";
import { KubeconfigConnection } from "../constructs/kubernetes";
import { configFrom, dataOf, resourcesOf, synthApp } from "./helpers/synth";
import { tempDir } from "./helpers/temp";

const emptyStack = () => new TerraformStack(Testing.app({ outdir: tempDir() }), "test");
const KUBECONFIG = { type: "kubeconfig", path: "~/.kube/ci-config", context: "ci-runner" };

describe("KubeconfigConnection", () => {
  test("points the kubernetes and helm providers at the context of the kubeconfig, expanding ~ in Terraform", () => {
    const stack = emptyStack();
    new KubeconfigConnection(stack, "cluster", { path: "~/.kube/config", context: "dev" });
    const json = JSON.parse(Testing.synth(stack));
    const target = { config_path: "${pathexpand(\"~/.kube/config\")}", config_context: "dev" };
    expect(json.provider.kubernetes).toEqual([target]);
    expect(json.provider.helm).toEqual([{ kubernetes: target }]);
  });

  test("fails when the context is empty", () => {
    expect(() => new KubeconfigConnection(emptyStack(), "cluster", { path: "/kube", context: "" }))
      .toThrow("KubeconfigConnection: context must not be empty");
  });
});

describe("workload stack with cluster.connection of type kubeconfig", () => {
  const workload = synthApp(configFrom((raw) => ((raw.cluster ??= {}).connection = KUBECONFIG))).stackJson("workload");

  test("configures both providers from the kubeconfig and reads no AKS data source, kubelogin or Azure provider", () => {
    const target = { config_path: "${pathexpand(\"~/.kube/ci-config\")}", config_context: "ci-runner" };
    expect(workload.provider.kubernetes).toEqual([target]);
    expect(workload.provider.helm).toEqual([{ kubernetes: target }]);
    expect(dataOf(workload, "azurerm_kubernetes_cluster")).toEqual([]);
    expect(workload.provider.azurerm).toBeUndefined();
    expect(workload.terraform.required_providers.azurerm).toBeUndefined();
    expect(JSON.stringify(workload)).not.toContain("kubelogin");
  });

  test("keeps the azurerm provider when an external secret is checked in the vault", () => {
    const withExternal = synthApp(configFrom((raw) => {
      (raw.cluster ??= {}).connection = KUBECONFIG;
      raw.keyVault.secrets[0].source = "external";
    })).stackJson("workload");
    expect(withExternal.provider.azurerm).toHaveLength(1);
    expect(dataOf(withExternal, "azurerm_kubernetes_cluster")).toEqual([]);
    expect(withExternal.provider.kubernetes).toEqual([expect.objectContaining({ config_context: "ci-runner" })]);
  });

  test("still takes the vault, tenant and identity from the platform's remote state", () => {
    expect(dataOf(workload, "terraform_remote_state")).toHaveLength(1);
    const [spc] = resourcesOf(workload, "kubernetes_manifest").map((m) => m.manifest).filter((m) => m.kind === "SecretProviderClass");
    expect(spc.spec.parameters.keyvaultName).toContain("data.terraform_remote_state.platform.outputs.");
  });
});
