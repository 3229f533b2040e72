import { Construct } from "constructs";
import { Token } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { ChartSourceConfig } from "../../config/types";
import { durationSeconds, RULES } from "../../config/naming-rules";
import { checkChartSource } from "./chart-source";

/**
 * Where the driver looks for provider sockets and the Azure provider puts its socket. Both charts
 * default to it today, but the driver chart's default was /etc/kubernetes/secrets-store-csi-providers
 * before 1.2.0: it is set on both so that a pinned or changed default in one chart cannot split
 * them (the driver would find no provider and every mount would fail with "provider not found").
 * https://github.com/Azure/secrets-store-csi-driver-provider-azure/blob/master/charts/csi-secrets-store-provider-azure/values.yaml
 * https://github.com/kubernetes-sigs/secrets-store-csi-driver/blob/main/charts/secrets-store-csi-driver/values.yaml
 */
export const PROVIDERS_DIR = "/var/run/secrets-store-csi-providers";

/**
 * The audience of the service account token the driver hands the provider: the Azure provider
 * exchanges it for an Entra ID token (workload identity). Without it, workload-identity mounts
 * fail. https://azure.github.io/secrets-store-csi-driver-provider-azure/docs/configurations/identity-access-modes/workload-identity-mode/
 */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";

export interface SecretsStoreCsiDriverProps {
  /** The kubernetes-sigs secrets-store-csi-driver chart: repository and pinned version. */
  readonly driverChart: ChartSourceConfig;
  /** The Azure csi-secrets-store-provider-azure chart: repository and pinned version. */
  readonly providerChart: ChartSourceConfig;
  /** @default "2m" - how often mounted secrets are re-read from the vault, as the add-on does */
  readonly rotationPollInterval?: string;
  /**
   * Lets the driver create Kubernetes Secrets (SecretProviderClass secretObjects), which takes
   * cluster-wide write on Secrets; on only when a workload asks for it.
   * @default false
   */
  readonly syncSecret?: boolean;
  /** @default "kube-system" - where the add-on runs the driver too */
  readonly namespace?: string;
}

/**
 * A self-managed Secrets Store CSI driver: the kubernetes-sigs driver chart, then the Azure
 * provider chart with its bundled copy of the driver switched off. Two releases instead of the
 * provider chart's dependency, so the driver's version is pinned on its own (the reason to leave
 * the add-on is often a driver release ahead of it) and each chart comes from its own repository
 * or mirror. Rotation is on, like the add-on's.
 */
export class SecretsStoreCsiDriver extends Construct {
  readonly driver: Release;
  readonly provider: Release;

  constructor(scope: Construct, id: string, props: SecretsStoreCsiDriverProps) {
    super(scope, id);
    const rotation = props.rotationPollInterval ?? "2m";
    if (!Token.isUnresolved(rotation) && (!RULES.duration.pattern.test(rotation) || durationSeconds(rotation) <= 0)) {
      throw new Error(`SecretsStoreCsiDriver rotationPollInterval must be ${RULES.duration.allowed}, got ${JSON.stringify(rotation)}`);
    }
    checkChartSource("SecretsStoreCsiDriver driverChart", props.driverChart);
    checkChartSource("SecretsStoreCsiDriver providerChart", props.providerChart);
    const namespace = props.namespace ?? "kube-system";

    this.driver = new Release(this, "driver", {
      name: "secrets-store-csi-driver",
      chart: "secrets-store-csi-driver",
      repository: props.driverChart.repository,
      version: props.driverChart.version,
      namespace,
      // JSON is YAML; one document keeps the values readable in plans and easy to assert.
      values: [JSON.stringify({
        linux: { providersDir: PROVIDERS_DIR },
        enableSecretRotation: true,
        rotationPollInterval: rotation,
        syncSecret: { enabled: props.syncSecret ?? false },
        tokenRequests: [{ audience: WORKLOAD_IDENTITY_AUDIENCE }],
      })],
    });
    this.provider = new Release(this, "provider", {
      name: "csi-secrets-store-provider-azure",
      chart: "csi-secrets-store-provider-azure",
      repository: props.providerChart.repository,
      version: props.providerChart.version,
      namespace,
      values: [JSON.stringify({
        linux: { providersDir: PROVIDERS_DIR },
        // The driver is the release above; a second copy would collide on its CRDs and DaemonSet.
        "secrets-store-csi-driver": { install: false },
      })],
      // The provider registers with a running driver, and the driver's CRDs must exist first.
      dependsOn: [this.driver],
    });
  }
}
