/**
 * The Helm charts of a self-managed Secrets Store CSI driver (cluster.driver.type "helm") and the
 * versions pinned by default: the newest Azure chart when this was written (1.8.2) and the driver
 * chart it bundles itself (its Chart.yaml pins secrets-store-csi-driver 1.5.6), so the two are
 * known to work together. (Driver 1.6.0 is out and needs Kubernetes 1.30 or later; set
 * cluster.driver.driverChart.version to move ahead of the Azure chart's pair.)
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
