/**
 * The Helm charts of a self-managed Secrets Store CSI driver (cluster.driver.type "helm") and the
 * versions pinned by default: the newest Azure chart when this was written (1.8.2) and the driver
 * chart it bundles itself (its Chart.yaml pins secrets-store-csi-driver 1.5.6), so the two are
 * known to work together. Re-decided with driver 1.6.0 out (issue 22, README "Driver 1.5 or 1.6"):
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
