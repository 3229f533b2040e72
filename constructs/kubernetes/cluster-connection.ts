import { Construct } from "constructs";
import { Fn } from "cdktf";
import { DataAzurermKubernetesCluster } from "@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

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
    const exec = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "kubelogin",
      args: ["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_ID],
    };
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
