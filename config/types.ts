/**
 * The validated, fully defaulted configuration. `parseConfig` is the only producer;
 * stacks and constructs consume it and never read files or the environment.
 * Enum types come from the schema definition (config/schema.ts), so they cannot drift from it.
 */
import type { RawConfig } from "./schema";
import type { AlertEmailRole, AlertFrequency, AlertWindow } from "./vault-alerts";

type Raw = Required<RawConfig>;
type RawKeyVault = Required<Raw["keyVault"]>;
type RawCluster = Required<Raw["cluster"]>;
type RawWorkload = Required<Raw["workloads"][number]>;
type RawObject = Required<RawWorkload["objects"][number]>;

/** `hardened` is the default; `lab` relaxes controls for a quick try-out and warns about each. */
export type Profile = Raw["profile"];

export type BackendConfig = LocalBackendConfig | AzurermBackendConfig | CloudBackendConfig;

export interface LocalBackendConfig {
  readonly type: "local";
  /** Folder for state files, relative to the project root. */
  readonly stateDir: string;
}

export interface AzurermBackendConfig {
  readonly type: "azurerm";
  readonly resourceGroupName: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  /** Each stack's state key is `<keyPrefix><namePrefix>/<stack>.tfstate` (see StackState). */
  readonly keyPrefix: string;
  readonly subscriptionId?: string;
  readonly tenantId?: string;
}

export interface CloudBackendConfig {
  readonly type: "cloud";
  readonly organization: string;
  readonly hostname?: string;
  /** One named workspace per stack. */
  readonly workspaces: { readonly platform: string; readonly workload: string };
}

export interface ResourceGroupConfig {
  readonly name: string;
  /** When true the group is looked up, not created. */
  readonly existing: boolean;
}

export interface NetworkConfig {
  readonly vnetAddressSpace: string;
  readonly clusterSubnetPrefix: string;
  readonly endpointSubnetPrefix: string;
  /** Kubernetes service range; outside the VNet and every subnet. */
  readonly serviceCidr: string;
  /** Cluster DNS service address, inside serviceCidr. */
  readonly dnsServiceIp: string;
  /** Pod range of Azure CNI overlay; outside the VNet and serviceCidr. */
  readonly podCidr: string;
  /** VNet of the machine that runs Terraform, peered with the cluster's (private vault or private cluster only). */
  readonly runnerVnetId?: string;
}

export type SecretSource = Required<RawKeyVault["secrets"][number]>["source"];

export interface SecretConfig {
  readonly name: string;
  readonly source: SecretSource;
  readonly contentType: string;
  /** RFC 3339 UTC, e.g. 2027-12-31T00:00:00Z. */
  readonly expirationDate?: string;
  /** Bump to push a new value through the write-only attribute. Managed secrets only. */
  readonly valueVersion: number;
}

/** One alert rule on the vault's audit log: more than `threshold` matches in `window`, checked every `frequency`. */
export interface AlertRuleConfig {
  readonly threshold: number;
  readonly window: AlertWindow;
  readonly frequency: AlertFrequency;
  /** Azure Monitor severity, 0 (critical) to 4 (verbose). */
  readonly severity: number;
}

/** The vault's audit alerts and the one action group they notify. */
export interface VaultAlertsConfig {
  readonly enabled: boolean;
  readonly emails: readonly string[];
  readonly emailRoles: readonly AlertEmailRole[];
  /** Webhook receiver names; each URL is the sensitive Terraform variable `alert_webhook_<name>`. */
  readonly webhooks: readonly string[];
  readonly deniedReads: AlertRuleConfig;
  readonly throttling: AlertRuleConfig;
  readonly secretExpiry: { readonly daysBefore: number; readonly severity: number };
}

/** How Terraform and the cluster reach the vault's data plane. */
export type VaultNetworkAccess = RawKeyVault["networkAccess"];

export interface KeyVaultConfig {
  /** Unset: `kv-<namePrefix>-<8 hex>`, the hex computed at plan time from subscription and resource group. */
  readonly name?: string;
  /** Wait after role grants before the first data-plane use (a duration such as "30s"). */
  readonly rbacPropagationWait: string;
  readonly sku: RawKeyVault["sku"];
  readonly softDeleteRetentionDays: number;
  readonly preventDestroy: boolean;
  readonly networkAccess: VaultNetworkAccess;
  /** Extra CIDR ranges allowed through the vault firewall in `allowlist` mode. */
  readonly allowedIpRanges: readonly string[];
  readonly logRetentionDays: number;
  readonly alerts: VaultAlertsConfig;
  readonly secrets: readonly SecretConfig[];
}

export interface NodePoolConfig {
  readonly name: string;
  readonly vmSize: string;
  readonly nodeCount: number;
  readonly autoscaling?: { readonly minCount: number; readonly maxCount: number };
  readonly maxPods: number;
}

/** Scope of the secret-read grants: every secret of the vault, or only those a workload mounts. */
export type GrantScope = RawCluster["grantScope"];

export { AVAILABILITY_ZONES, KUBELOGIN_MODES } from "./naming-rules";
export type AvailabilityZone = (typeof import("./naming-rules").AVAILABILITY_ZONES)[number];
/** How the workload stack's kubelogin gets a token when local accounts are disabled. */
export type KubeloginMode = (typeof import("./naming-rules").KUBELOGIN_MODES)[number];

/**
 * How the workload stack's kubernetes and helm providers reach the cluster: the platform's AKS
 * cluster through the azurerm data source (default), or a named context of a kubeconfig file
 * (an existing cluster, a private cluster through a jump host, a CI runner's ready kubeconfig).
 */
export type ClusterConnectionConfig =
  | { readonly type: "aks" }
  | { readonly type: "kubeconfig"; readonly path: string; readonly context: string };

/** A Helm chart's source: a chart repository URL (https:// or oci://) and an exact version. */
export interface ChartSourceConfig {
  readonly repository: string;
  readonly version: string;
}

/**
 * Who installs the Secrets Store CSI driver: the AKS add-on (default, supported by Azure), or
 * the app itself from the driver's and the Azure provider's Helm charts (self-managed).
 */
export type DriverConfig =
  | { readonly type: "addon" }
  | { readonly type: "helm"; readonly driverChart: ChartSourceConfig; readonly providerChart: ChartSourceConfig };

export interface ClusterConfig {
  readonly name: string;
  readonly dnsPrefix: string;
  readonly kubernetesVersion?: string;
  readonly skuTier: RawCluster["skuTier"];
  readonly systemNodePool: NodePoolConfig;
  readonly userNodePool?: NodePoolConfig;
  readonly secretRotationInterval: string;
  readonly grantScope: GrantScope;
  readonly oidcIssuerEnabled: boolean;
  readonly localAccountsDisabled: boolean;
  /** How the workload stack's kubelogin gets a token (only with local accounts disabled). */
  readonly kubeloginMode: KubeloginMode;
  /** Zones of both node pools; empty for a region without zones. */
  readonly availabilityZones: readonly AvailabilityZone[];
  readonly adminGroupObjectIds: readonly string[];
  readonly networkPolicy: RawCluster["networkPolicy"];
  readonly automaticUpgradeChannel: RawCluster["automaticUpgradeChannel"];
  readonly nodeOsUpgradeChannel: RawCluster["nodeOsUpgradeChannel"];
  readonly apiServerAuthorizedIpRanges: readonly string[];
  readonly privateCluster: boolean;
  readonly hostEncryption: boolean;
  readonly ephemeralOsDisk: boolean;
  readonly connection: ClusterConnectionConfig;
  readonly driver: DriverConfig;
  /** Stakater Reloader's chart; installed only when a workload of the cluster restarts on rotation. */
  readonly reloaderChart: ChartSourceConfig;
}

export type ObjectType = RawObject["objectType"];

export interface SecretObjectConfig {
  readonly objectName: string;
  readonly objectType: ObjectType;
  readonly objectAlias?: string;
  readonly objectVersion?: string;
  readonly objectFormat?: RawObject["objectFormat"];
  readonly objectEncoding?: RawObject["objectEncoding"];
  /**
   * Octal string, e.g. "0444". The driver writes files as root and ignores fsGroup, and the pod
   * runs as a non-root user, so the read bit for others is required.
   */
  readonly filePermission?: string;
}

/** The file a mounted object lands in, inside the mount path. */
export function fileNameOf(o: Pick<SecretObjectConfig, "objectName" | "objectAlias">): string {
  return o.objectAlias ?? o.objectName;
}

export interface SecretSyncConfig {
  /** Name of the Kubernetes Secret the driver creates while a pod mounts the volume. */
  readonly secretName: string;
  /** Which mounted file becomes which key, and the environment variable that reads it. */
  readonly items: readonly { readonly objectName: string; readonly key: string; readonly envVar: string }[];
}

/** How the kubelet checks the container; exactly one kind. */
export type ProbeConfig =
  | { readonly exec: readonly string[] }
  | { readonly httpGet: { readonly path: string; readonly port: number } }
  | { readonly tcpSocket: { readonly port: number } };

/**
 * The one cloud whose endpoints the Azure provider reads from a custom environment file
 * (`cloudEnvFileName`): Azure Stack Hub, or any air-gapped or on-premises Azure cloud.
 * https://azure.github.io/secrets-store-csi-driver-provider-azure/docs/configurations/custom-environments
 */
export const AZURE_STACK_CLOUD = "AzureStackCloud" satisfies NonNullable<RawWorkload["cloudName"]>;

/**
 * What a workload's pods do when a mounted object changes version: "none" (the files change in
 * place) or "restart" (a rolling restart by Stakater Reloader).
 */
export type OnRotation = RawWorkload["onRotation"];

/** When the kubelet pulls the workload's image; anything but "Always" only in the lab profile. */
export type ImagePullPolicy = RawWorkload["imagePullPolicy"];

export interface WorkloadConfig {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly identity: RawWorkload["identity"];
  readonly mountPath: string;
  readonly image: string;
  readonly imagePullPolicy: ImagePullPolicy;
  readonly replicas: number;
  /** Overrides the image's entrypoint; defaults to the demo loop for the demo image. */
  readonly command?: readonly string[];
  /** Liveness and readiness check; the default needs `sh` and `ls` in the image. */
  readonly probe?: ProbeConfig;
  readonly cloudName?: RawWorkload["cloudName"];
  /** Custom Azure environment file as the provider's pods see it; set exactly when cloudName is AzureStackCloud. */
  readonly cloudEnvFileName?: string;
  readonly objects: readonly SecretObjectConfig[];
  readonly syncToKubernetesSecret?: SecretSyncConfig;
  readonly onRotation: OnRotation;
}

/** One cluster of a fleet (config key `clusters`): everything per cluster; the vault is shared. */
export interface FleetClusterConfig {
  /** Short name: the stacks are `cluster-<name>` and `workload-<name>`. */
  readonly name: string;
  readonly location: string;
  /** `rg-<namePrefix>-<name>`: the cluster's own resource group, beside the vault's. */
  readonly resourceGroupName: string;
  readonly network: NetworkConfig;
  readonly cluster: ClusterConfig;
  readonly workloads: readonly WorkloadConfig[];
}

export interface AppConfig {
  /** Where the config came from, for messages. */
  readonly source: string;
  readonly profile: Profile;
  readonly location: string;
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly backend: BackendConfig;
  readonly resourceGroup: ResourceGroupConfig;
  readonly network: NetworkConfig;
  readonly keyVault: KeyVaultConfig;
  readonly cluster: ClusterConfig;
  readonly workloads: readonly WorkloadConfig[];
  /**
   * Set only for a fleet: the clusters sharing the vault. Then `network`, `cluster` and
   * `workloads` above are unused defaults, and `location` and `resourceGroup` are the vault's.
   */
  readonly clusters?: readonly FleetClusterConfig[];
}
