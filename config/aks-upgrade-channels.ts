import type { ClusterConfig } from "./types";

/**
 * The node OS upgrade channel a cluster upgrade channel fixes. With `automaticUpgradeChannel`
 * "node-image" AKS keeps the node OS channel at NodeImage: "You can't change node OS auto-upgrade
 * channel value if your cluster auto-upgrade channel is `node-image`" (AKS, "Auto-upgrade node OS
 * images", Limitations: https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image#limitations),
 * and azurerm documents "`node_os_upgrade_channel` must be set to `NodeImage` if
 * `automatic_upgrade_channel` has been set to `node-image`"
 * (https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/kubernetes_cluster).
 * Another value plans cleanly and fails at apply. Read 2026-12-04.
 */
export const NODE_OS_CHANNEL_REQUIRED_BY: Partial<Record<ClusterConfig["automaticUpgradeChannel"], ClusterConfig["nodeOsUpgradeChannel"]>> = {
  "node-image": "NodeImage",
};
