/**
 * Stakater Reloader's Helm chart, installed on a cluster when one of its workloads sets
 * `onRotation: "restart"` (cluster.reloaderChart overrides where it comes from). The pinned chart
 * is the first whose appVersion is v1.4.22, the Reloader release the e2e run builds from its Go
 * module (scripts/e2e/build.sh RELOADER_VERSION; a test keeps the two equal). Chart 2.2.16 ships
 * v1.4.21 (Chart.yaml in the v1.4.22 module); 2.2.17 moved to v1.4.22 (`helm list`: reloader-2.2.17,
 * app version v1.4.22), 2.2.18 kept it and only renders the image fields through `tpl`.
 * The chart is published at the Helm repository below and as oci://ghcr.io/stakater/charts/reloader.
 * - https://docs.stakater.com/reloader/main/ (Quick start: helm repo add stakater https://stakater.github.io/stakater-charts)
 * - https://github.com/stakater/Reloader/tree/master/deployments/kubernetes/chart/reloader
 * Read 2026-12-04.
 */
export const RELOADER_CHART = {
  chart: "reloader",
  repository: "https://stakater.github.io/stakater-charts",
  version: "2.2.17",
  appVersion: "v1.4.22",
} as const;

/**
 * Reloader's own namespace: Pod Security "restricted", and its chart's ConfigMap and event rights
 * stay there. No workload may use it on a cluster that installs Reloader.
 */
export const RELOADER_NAMESPACE = "reloader";
