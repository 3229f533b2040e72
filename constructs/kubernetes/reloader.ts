import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import { RELOADER_NAMESPACE } from "../../config/reloader-chart";
import { ChartSourceConfig } from "../../config/types";
import { checkChartSource } from "./chart-source";
import { POD_SECURITY_RESTRICTED, WorkloadNamespace } from "./workload-namespace";

/**
 * The Deployment annotation that makes Reloader roll a Deployment when the objects its
 * SecretProviderClass (the value, by name) mounted change version, as the driver records them in
 * the pods' SecretProviderClassPodStatus. Reloader v1.4.22 internal/pkg/options/flags.go
 * (SecretProviderClassUpdateOnChangeAnnotation); docs.stakater.com/reloader, "CSI Driver
 * File-Based Pattern".
 */
export const RELOAD_ON_SECRET_PROVIDER_CLASS = "secretproviderclass.reloader.stakater.com/reload";

/**
 * The pod-template annotation Reloader's "annotations" strategy writes on each restart
 * (internal/pkg/constants/constants.go: ReloaderAnnotationPrefix + LastReloadedFromAnnotation).
 * Terraform must leave it alone, or the next apply would remove it and roll the pods once more.
 */
export const LAST_RELOADED_FROM = "reloader.stakater.com/last-reloaded-from";

/** The chart's fullnameOverride: it names Reloader's Deployment, ServiceAccount and Roles (`reloader-role`). */
export const RELOADER_FULLNAME = "reloader";

export interface ReloaderProps {
  /** Stakater Reloader's chart: repository and pinned version. */
  readonly chart: ChartSourceConfig;
  /**
   * The namespaces whose Deployments Reloader may restart. It gets a Role in each (and in its own
   * namespace) and no ClusterRole, so it sees nothing elsewhere.
   */
  readonly watchNamespaces: readonly WorkloadNamespace[];
}

/**
 * Stakater Reloader from its Helm chart, with its Secrets Store CSI integration: it watches the
 * driver's SecretProviderClassPodStatus objects and rolls a Deployment annotated with
 * RELOAD_ON_SECRET_PROVIDER_CLASS when a mounted object's version changes, with no Kubernetes
 * Secret involved. A well-kept controller rather than one of ours (STYLE.md).
 *
 * Least privilege (chart templates role.yaml and _helpers.tpl "reloader-namespaced-rules"):
 * - scoped mode (`watchGlobally: false`, `namespaces`): a Role per watched namespace, no ClusterRole;
 * - `ignoreSecrets`: no right on Secrets at all (the CSI integration does not need them; Reloader
 *   refuses to ignore ConfigMaps too, so it keeps read access to ConfigMaps in those namespaces);
 * - `reloadStrategy: annotations`: a restart patches one pod-template annotation instead of adding
 *   an environment variable to the container, which Terraform can be told to ignore.
 * Hardened pod: non-root, read-only root file system, no privilege escalation, every capability
 * dropped, RuntimeDefault seccomp, requests and limits (its GOMAXPROCS and GOMEMLIMIT come from
 * the limits); its namespace enforces Pod Security "restricted", so admission checks all that.
 */
export class Reloader extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ReloaderProps) {
    super(scope, id);
    checkChartSource("Reloader chart", props.chart);
    if (props.watchNamespaces.length === 0) {
      throw new Error("Reloader watchNamespaces must name at least one namespace: with none, the chart would watch every namespace");
    }
    const watched = [...new Set(props.watchNamespaces.map((n) => n.name))].sort();
    if (watched.includes(RELOADER_NAMESPACE)) {
      throw new Error(`Reloader namespace ${JSON.stringify(RELOADER_NAMESPACE)} is also a watched workload namespace; Reloader needs its own`);
    }

    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: RELOADER_NAMESPACE, labels: POD_SECURITY_RESTRICTED },
    });
    this.release = new Release(this, "release", {
      name: "reloader",
      chart: "reloader",
      repository: props.chart.repository,
      version: props.chart.version,
      namespace: RELOADER_NAMESPACE,
      // JSON is YAML; one document keeps the values readable in plans and easy to assert.
      values: [JSON.stringify({
        fullnameOverride: RELOADER_FULLNAME,
        reloader: {
          watchGlobally: false,
          namespaces: watched,
          enableCSIIntegration: true,
          ignoreSecrets: true,
          reloadStrategy: "annotations",
          readOnlyRootFileSystem: true,
          deployment: {
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
            containerSecurityContext: {
              runAsNonRoot: true,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ["ALL"] },
              seccompProfile: { type: "RuntimeDefault" },
            },
            resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "100m", memory: "128Mi" } },
          },
        },
      })],
      // The chart creates a Role in each watched namespace, so they must exist first.
      dependsOn: [namespace, ...props.watchNamespaces.map((n) => n.ready)],
    });
  }
}
