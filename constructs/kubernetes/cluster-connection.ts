import { Construct } from "constructs";
import { Fn } from "cdktf";
import { DataAzurermKubernetesCluster } from "@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { KubeloginMode } from "../../config/types";

/** The Entra ID application AKS uses as the audience of user tokens (fixed by Microsoft). */
export const AKS_AAD_SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

export interface ClusterConnectionProps {
  readonly clusterName: string;
  readonly resourceGroupName: string;
  /**
   * With local accounts disabled only Entra ID tokens work, so kubelogin supplies them;
   * otherwise the cluster's admin client certificate is used.
   */
  readonly localAccountsDisabled: boolean;
  /**
   * How kubelogin gets the token: the Azure CLI session, or a credential of the runner
   * (see `kubeloginExec`). Only used with local accounts disabled.
   * @default "azurecli"
   */
  readonly kubeloginMode?: KubeloginMode;
  /** The cluster's Entra tenant: kubelogin asks it for the token in `spn` and `workloadidentity` modes. */
  readonly tenantId: string;
}

/**
 * The exec plugin settings for one kubelogin login mode, after Azure/kubelogin's docs
 * (docs/book/src/concepts/login-modes/*.md). kubelogin runs as a child of Terraform and inherits
 * its environment, so the runner's credentials (AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE or
 * GitHub's ACTIONS_ID_TOKEN_REQUEST_*, AAD_SERVICE_PRINCIPAL_CLIENT_SECRET, SYSTEM_ACCESSTOKEN,
 * ...) reach it without passing through the configuration. Only what the platform knows, the
 * cluster's tenant, is passed, as a flag: cdktf 0.21 lower-cases the keys of the exec `env` map
 * (AZURE_TENANT_ID would arrive as azure_tenant_id).
 */
export function kubeloginExec(mode: KubeloginMode, tenantId: string): { apiVersion: string; command: string; args: string[] } {
  const args = ["get-token", "--login", mode, "--server-id", AKS_AAD_SERVER_ID];
  // spn and workloadidentity authenticate an app registration, which must ask the cluster's tenant.
  if (mode === "spn" || mode === "workloadidentity") args.push("--tenant-id", tenantId);
  return { apiVersion: "client.authentication.k8s.io/v1beta1", command: "kubelogin", args };
}

/**
 * Configures the kubernetes and helm providers for an AKS cluster. Credentials are read at plan
 * time through the azurerm_kubernetes_cluster data source (or minted by kubelogin) and never pass
 * through another stack's outputs.
 */
export class ClusterConnection extends Construct {
  readonly authMode: "kubelogin" | "client-certificate";

  constructor(scope: Construct, id: string, props: ClusterConnectionProps) {
    super(scope, id);
    const cluster = new DataAzurermKubernetesCluster(this, "cluster", {
      name: props.clusterName,
      resourceGroupName: props.resourceGroupName,
    });
    this.authMode = props.localAccountsDisabled ? "kubelogin" : "client-certificate";
    const endpoint = cluster.kubeConfig.get(0);
    const target = { host: endpoint.host, clusterCaCertificate: Fn.base64decode(endpoint.clusterCaCertificate) };
    const exec = kubeloginExec(props.kubeloginMode ?? "azurecli", props.tenantId);
    const certificate = () => ({
      clientCertificate: Fn.base64decode(cluster.kubeAdminConfig.get(0).clientCertificate),
      clientKey: Fn.base64decode(cluster.kubeAdminConfig.get(0).clientKey),
    });
    if (this.authMode === "kubelogin") {
      new KubernetesProvider(this, "kubernetes", { ...target, exec: [exec] });
      new HelmProvider(this, "helm", { kubernetes: { ...target, exec } });
    } else {
      new KubernetesProvider(this, "kubernetes", { ...target, ...certificate() });
      new HelmProvider(this, "helm", { kubernetes: { ...target, ...certificate() } });
    }
  }
}
