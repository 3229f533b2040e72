import { Construct } from "constructs";
import { ClusterConfig } from "../config/types";
import { ClusterConnection, KubeconfigConnection } from "../constructs/kubernetes";
import { PLATFORM_OUTPUTS } from "./platform-outputs";

/**
 * The kubernetes and helm providers of a stack that talks to the cluster (the csi-driver and
 * workload stacks), configured alike from the cluster's `connection`: through the platform's
 * outputs (`output` reads them from remote state) or a kubeconfig context. An AKS connection
 * needs an azurerm provider in the stack.
 */
export function connectCluster(scope: Construct, cluster: ClusterConfig, output: (name: string) => string): void {
  const connection = cluster.connection;
  if (connection.type === "kubeconfig") {
    new KubeconfigConnection(scope, "cluster", { path: connection.path, context: connection.context });
  } else {
    new ClusterConnection(scope, "cluster", {
      clusterName: output(PLATFORM_OUTPUTS.clusterName),
      resourceGroupName: output(PLATFORM_OUTPUTS.resourceGroupName),
      localAccountsDisabled: cluster.localAccountsDisabled,
      kubeloginMode: cluster.kubeloginMode,
      tenantId: output(PLATFORM_OUTPUTS.tenantId),
    });
  }
}
