import type { DriverConfig } from "./types";

/**
 * The Helm charts of a self-managed Secrets Store CSI driver (cluster.driver.type "helm") and the
 * versions pinned by default: the newest Azure chart when this was written (1.8.2) and the driver
 * chart it bundles itself (its Chart.yaml pins secrets-store-csi-driver 1.5.6), so the two are
 * known to work together. Re-decided with driver 1.6.0 out (issue 22, docs/helm-driver.md "Driver 1.5 or 1.6"):
 * the e2e run passes on 1.5.4 (the AKS add-on's driver today) and on 1.6.0, but 1.6 changes
 * rotation timing (kubelet's republish, the interval a minimum wait) and on v1.6.0 synced Secrets
 * can be garbage-collected when one of their pods goes (kubernetes-sigs/secrets-store-csi-driver#2051),
 * which a restart on rotation triggers; 1.5.6 keeps the add-on's behaviour. 1.6 also needs
 * Kubernetes 1.30 or later; cluster.driver.driverChart.version "1.6.0" moves ahead.
 * - https://github.com/kubernetes-sigs/secrets-store-csi-driver/tree/main/charts/secrets-store-csi-driver
 * - https://github.com/Azure/secrets-store-csi-driver-provider-azure/blob/master/charts/csi-secrets-store-provider-azure/Chart.yaml
 */
export const DRIVER_CHARTS = {
  driver: {
    chart: "secrets-store-csi-driver",
    repository: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
    version: "1.5.6",
  },
  provider: {
    chart: "csi-secrets-store-provider-azure",
    repository: "https://azure.github.io/secrets-store-csi-driver-provider-azure/charts",
    version: "1.8.2",
  },
} as const;

/**
 * The driver version the AKS add-on runs today: its image cached on AKS node images,
 * mcr.microsoft.com/oss/v2/kubernetes-csi/secrets-store/driver:v1.5.4, in Azure/AKS
 * vhd-notes/aks-ubuntu/AKSUbuntu-2404/202607.09.0.txt. The e2e run starts its first node with the
 * same version (CSI_DRIVER_VERSION in scripts/lib-go-modules.sh; a test keeps the two equal).
 */
export const AKS_ADDON_DRIVER_VERSION = "1.5.4";

/**
 * How long after its rotation interval driver 1.6 may rotate: it re-fetches at kubelet's next
 * sync of the pod (CSIDriver requiresRepublish), and kubelet syncs a pod every syncFrequency (1 m)
 * with a jitter factor of 0.5 (kubelet pod_workers.go), so up to 90 s. Before 1.6 the driver's own
 * rotation poll fetches at the interval.
 */
export const KUBELET_POD_SYNC_MAX_SECONDS = 90;

/** The driver version a cluster runs: the add-on's, or the driver chart's (the chart is versioned with the driver). */
export function csiDriverVersion(driver: DriverConfig): string {
  return driver.type === "addon" ? AKS_ADDON_DRIVER_VERSION : driver.driverChart.version;
}

/** Seconds a rotation may land after the interval on this driver: kubelet's pod sync from 1.6 on, else none. */
export function rotationDelayAfterInterval(driver: DriverConfig): number {
  const [major, minor] = csiDriverVersion(driver).split(".").map(Number);
  return major > 1 || (major === 1 && minor >= 6) ? KUBELET_POD_SYNC_MAX_SECONDS : 0;
}
