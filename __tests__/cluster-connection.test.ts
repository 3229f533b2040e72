import { AKS_AAD_SERVER_ID } from "../constructs/kubernetes/cluster-connection";
import { KUBELOGIN_MODES } from "../config/types";
import { configFrom, synthApp } from "./helpers/synth";

const TENANT = "${data.terraform_remote_state.platform.outputs.tenant_id}";

function providersOf(mutate?: (raw: any) => void): { kubernetes: any; helm: any } {
  const workload = synthApp(configFrom(mutate)).stackJson("workload");
  return { kubernetes: workload.provider.kubernetes[0], helm: workload.provider.helm[0] };
}

describe("ClusterConnection login modes", () => {
  test("uses the Azure CLI session by default", () => {
    const { kubernetes } = providersOf();
    expect(kubernetes.exec[0].args).toEqual(["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_ID]);
  });

  test.each([
    ["workloadidentity", ["--tenant-id", TENANT]],
    ["spn", ["--tenant-id", TENANT]],
    ["msi", []],
    ["azurepipelines", []],
    ["azd", []],
  ])("passes kubelogin the %s login, with the cluster's tenant where the mode needs it", (mode, extra) => {
    const { kubernetes, helm } = providersOf((raw) => (raw.cluster = { kubeloginMode: mode }));
    const args = ["get-token", "--login", mode, "--server-id", AKS_AAD_SERVER_ID, ...extra];
    expect(kubernetes.exec[0]).toEqual({ api_version: "client.authentication.k8s.io/v1beta1", command: "kubelogin", args });
    expect(helm.kubernetes.exec).toEqual(kubernetes.exec[0]);
  });

  test("offers no interactive mode", () => {
    expect(KUBELOGIN_MODES).not.toContain("devicecode");
    expect(KUBELOGIN_MODES).not.toContain("interactive");
  });

  test("uses the admin certificate, not kubelogin, when local accounts are enabled", () => {
    const { kubernetes } = providersOf((raw) => {
      raw.profile = "lab";
      raw.cluster = { localAccountsDisabled: false };
    });
    expect(kubernetes.exec).toBeUndefined();
    expect(kubernetes.client_certificate).toContain("kube_admin_config[0].client_certificate");
  });
});
