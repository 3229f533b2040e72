/**
 * The validated, fully defaulted configuration. `parseConfig` is the only producer;
 * stacks and constructs consume it and never read files or the environment.
 */

/** `hardened` is the default; `lab` relaxes controls for a quick try-out and warns about each. */
export type Profile = "hardened" | "lab";

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
  /** Each stack's state key is `<keyPrefix><stack>.tfstate`. */
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
}

export type SecretSource = "managed" | "external";

export interface SecretConfig {
  readonly name: string;
  readonly source: SecretSource;
  readonly contentType: string;
  /** RFC 3339 UTC, e.g. 2027-12-31T00:00:00Z. */
  readonly expirationDate?: string;
  /** Bump to push a new value through the write-only attribute. Managed secrets only. */
  readonly valueVersion: number;
}

/** How Terraform and the cluster reach the vault's data plane. */
export type VaultNetworkAccess = "allowlist" | "private" | "public";

export interface KeyVaultConfig {
  /** Unset: `kv-<namePrefix>-<8 hex>`, the hex computed at plan time from subscription and resource group. */
  readonly name?: string;
  /** Wait after role grants before the first data-plane use (a duration such as "30s"). */
  readonly rbacPropagationWait: string;
  readonly sku: "standard" | "premium";
  readonly softDeleteRetentionDays: number;
  readonly preventDestroy: boolean;
  readonly networkAccess: VaultNetworkAccess;
  /** Extra CIDR ranges allowed through the vault firewall in `allowlist` mode. */
  readonly allowedIpRanges: readonly string[];
  readonly logRetentionDays: number;
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
export type GrantScope = "vault" | "secret";

/**
 * kubelogin's non-interactive login modes (https://azure.github.io/kubelogin/concepts/login-modes.html):
 * how the workload stack's providers get an Entra ID token when local accounts are disabled.
 * `devicecode`, `interactive` and `ropc` are left out: they need a person or a password.
 */
export const KUBELOGIN_MODES = ["azurecli", "workloadidentity", "spn", "msi", "azurepipelines", "azd"] as const;
export type KubeloginMode = (typeof KUBELOGIN_MODES)[number];

/** Availability zones a node pool can span; an empty list means none (regions without zones). */
export const AVAILABILITY_ZONES = ["1", "2", "3"] as const;
export type AvailabilityZone = (typeof AVAILABILITY_ZONES)[number];

export interface ClusterConfig {
  readonly name: string;
  readonly dnsPrefix: string;
  readonly kubernetesVersion?: string;
  readonly skuTier: "Free" | "Standard";
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
  readonly networkPolicy: "azure" | "calico" | "cilium";
  readonly automaticUpgradeChannel: "patch" | "rapid" | "stable" | "node-image";
  readonly nodeOsUpgradeChannel: "NodeImage" | "SecurityPatch";
  readonly apiServerAuthorizedIpRanges: readonly string[];
  readonly privateCluster: boolean;
  readonly hostEncryption: boolean;
  readonly ephemeralOsDisk: boolean;
}

export type ObjectType = "secret" | "key" | "cert";

export interface SecretObjectConfig {
  readonly objectName: string;
  readonly objectType: ObjectType;
  readonly objectAlias?: string;
  readonly objectVersion?: string;
  readonly objectFormat?: "pem" | "pfx";
  readonly objectEncoding?: "utf-8" | "hex" | "base64";
  /** Octal string, e.g. "0444". The pod runs as a non-root user, so keep the read bit for others. */
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

export interface WorkloadConfig {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly identity: "addon" | "workload";
  readonly mountPath: string;
  readonly image: string;
  readonly replicas: number;
  /** Overrides the image's entrypoint; defaults to the demo loop for the demo image. */
  readonly command?: readonly string[];
  /** Liveness and readiness check; the default needs `sh` and `ls` in the image. */
  readonly probe?: ProbeConfig;
  readonly cloudName?: string;
  readonly objects: readonly SecretObjectConfig[];
  readonly syncToKubernetesSecret?: SecretSyncConfig;
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
}
