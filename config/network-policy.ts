/**
 * Network policy engines of AKS with Azure CNI overlay, and when each loses support.
 *
 * Source, read 2026-12-04: "Network policy options in AKS"
 * (https://learn.microsoft.com/azure/aks/use-network-policies): "Azure Network Policy Manager
 * (NPM) for Linux nodes will be retired on September 30, 2028. For new deployments, we recommend
 * using Azure CNI Powered by Cilium with Cilium Network Policy"; the same date in
 * https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-overlay. Windows nodes lost
 * NPM on 2026-09-30, which does not concern this app (its node pools are Linux).
 */
export const NETWORK_POLICY_RETIREMENTS: Readonly<Record<string, { readonly endOfSupport: string; readonly engine: string }>> = {
  azure: { endOfSupport: "2028-09-30", engine: "Azure Network Policy Manager" },
};

/**
 * The pod range AKS gives an Azure CNI overlay cluster that does not set one
 * (https://learn.microsoft.com/azure/aks/azure-cni-overlay: "If you don't specify a value for
 * --pod-cidr, AKS assigns the default value of 10.244.0.0/16"). The app sets it explicitly, so
 * clusters created before it was configurable keep it and plan no change.
 */
export const DEFAULT_POD_CIDR = "10.244.0.0/16";
