/**
 * The one definition of the config file's shape: keys, types, enums, patterns and ranges (from
 * RULES), static defaults and descriptions. From it come
 * - the raw config's TypeScript types (`RawConfig` and the unions in types.ts),
 * - `config.schema.json` for editors (`npm run schema` writes it; a test keeps it in sync),
 * - the parser's key lists, enums and ranges, which it reads from that JSON file (config/shape.ts),
 *   so `cdktf synth` does not load TypeBox.
 * What JSON Schema cannot say (ranges that must not overlap, dates after now, rules that depend on
 * the profile) stays in parse-config.ts; the bad-config table marks those rows.
 */
import { Type, type Static, type TProperties, type TSchema } from "@sinclair/typebox";
import { AZURE_REGIONS } from "./azure-regions";
import { DRIVER_CHARTS } from "./driver-charts";
import { RELOADER_CHART } from "./reloader-chart";
import { DEFAULT_RBAC_PROPAGATION_WAIT } from "./key-vault-defaults";
import { DEFAULT_POD_CIDR } from "./network-policy";
import { ALERT_EMAIL_ROLES, ALERT_FREQUENCIES, ALERT_WINDOWS, AlertEmailRole, AlertFrequency, AlertWindow } from "./vault-alerts";
import { AVAILABILITY_ZONES, IMAGE_PULL_POLICIES, KUBELOGIN_MODES, MAX_TAGS, NamingRule, RULES, SYSTEM_NAMESPACES, TAG_VALUE_MAX } from "./naming-rules";

const text = (rule: NamingRule, description: string, extra: object = {}) =>
  Type.String({ pattern: rule.pattern.source, description: `${description} Must be ${rule.allowed}.`, ...extra });

/** A string enum as plain JSON Schema `enum`, which editors offer as completions. */
const choice = <T extends string>(values: readonly T[], description: string, extra: object = {}) =>
  Type.Unsafe<T>({ type: "string", enum: [...values], description, ...extra });

const whole = (minimum: number, maximum: number, description: string, extra: object = {}) =>
  Type.Integer({ minimum, maximum, description, ...extra });

const flag = (description: string, extra: object = {}) => Type.Boolean({ description, ...extra });

const closed = <T extends TProperties>(properties: T, description: string, extra: object = {}) =>
  Type.Object(properties, { additionalProperties: false, description, ...extra });

const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);

const cidrList = (description: string) => Type.Array(text(RULES.cidr, "An IPv4 range."), { description, default: [] });

export const PROFILES = ["hardened", "lab"] as const;

const LocalBackend = closed({
  type: opt(choice(["local"] as const, "State files on this machine.", { default: "local" })),
  stateDir: opt(text(RULES.relativeDir, "Folder for state files, relative to the project root.", { default: "state" })),
}, "Local state files.");

const AzurermBackend = closed({
  type: choice(["azurerm"] as const, "State in an Azure Storage blob container (Entra ID auth; no keys in the config)."),
  resourceGroupName: text(RULES.resourceGroupName, "Resource group of the storage account."),
  storageAccountName: text(RULES.storageAccountName, "Storage account that holds the state."),
  containerName: text(RULES.containerName, "Blob container for the state."),
  keyPrefix: opt(text(RULES.stateKeyPrefix, "Each stack's state key is <keyPrefix><stack>.tfstate.", { default: "aks-keyvault-csi/" })),
  subscriptionId: opt(text(RULES.uuid, "Subscription of the storage account.")),
  tenantId: opt(text(RULES.uuid, "Tenant of the storage account.")),
}, "Azure Storage state.");

const CloudBackend = closed({
  type: choice(["cloud"] as const, "HCP Terraform / Terraform Cloud (sign in with `terraform login`)."),
  organization: text(RULES.organization, "Terraform Cloud organization."),
  hostname: opt(text(RULES.hostname, "Terraform Cloud host.", { default: "app.terraform.io" })),
  workspaces: opt(closed({
    platform: text(RULES.workspaceName, "Workspace of the platform stack."),
    workload: text(RULES.workspaceName, "Workspace of the workload stack; not the platform's."),
  }, "One named workspace per stack.", { $comment: "default: <namePrefix>-platform and <namePrefix>-workload" })),
}, "Terraform Cloud state.");

const Secret = closed({
  name: text(RULES.secretName, "Key Vault secret name, unique ignoring case."),
  source: opt(choice(["managed", "external"] as const, "managed: this app writes a placeholder value; external: someone else writes it.", { default: "managed" })),
  contentType: opt(text(RULES.contentType, "Content type stored with the secret.", { default: "text/plain" })),
  expirationDate: opt(text(RULES.rfc3339Utc, "Expiry; required for managed secrets in the hardened profile, and it must lie in the future.")),
  valueVersion: opt(whole(1, 1_000_000, "Bump to push a new value through the write-only attribute (managed secrets only).", { default: 1 })),
}, "A secret in the vault.");

const alertRule = (what: string, defaults: { threshold: number; window: AlertWindow; frequency: AlertFrequency; severity: number }) => closed({
  threshold: opt(whole(0, 10_000, `Alert when more than this many ${what} fall in one window.`, { default: defaults.threshold })),
  window: opt(choice(Object.keys(ALERT_WINDOWS) as AlertWindow[], "How far back each evaluation looks; at least the frequency.", { default: defaults.window })),
  frequency: opt(choice(Object.keys(ALERT_FREQUENCIES) as AlertFrequency[], "How often Azure Monitor runs the query.", { default: defaults.frequency })),
  severity: opt(whole(0, 4, "Azure Monitor severity: 0 critical, 1 error, 2 warning, 3 informational, 4 verbose.", { default: defaults.severity })),
}, `Alert on ${what}.`);

const VaultAlerts = closed({
  enabled: opt(flag("Alert rules on the vault's audit log. Default: true (hardened), false (lab); false only in the lab profile.")),
  emails: opt(Type.Array(text(RULES.email, "An address the action group e-mails."), { description: "Addresses the action group e-mails.", uniqueItems: true, default: [] })),
  emailRoles: opt(Type.Array(choice(Object.keys(ALERT_EMAIL_ROLES) as AlertEmailRole[], "A built-in role of the subscription whose members are e-mailed."),
    { description: "Built-in roles whose members the action group e-mails (who holds them on the subscription).", uniqueItems: true, default: ["Owner"] })),
  webhooks: opt(Type.Array(text(RULES.receiverName, "A webhook receiver's name; its URL comes from TF_VAR_alert_webhook_<name> (URLs carry tokens, never the config)."),
    { description: "Webhook receivers, by name; each URL is the sensitive Terraform variable alert_webhook_<name, - as _>.", uniqueItems: true, default: [] })),
  deniedReads: opt(alertRule("denied requests (HTTP 403) on secrets", { threshold: 0, window: "15m", frequency: "5m", severity: 1 })),
  throttling: opt(alertRule("throttled requests (HTTP 429)", { threshold: 0, window: "15m", frequency: "5m", severity: 2 })),
  secretExpiry: opt(closed({
    daysBefore: opt(whole(1, 365, "Alert this many days before a secret expires (Key Vault's own near-expiry notice comes 30 days before).", { default: 30 })),
    severity: opt(whole(0, 4, "Azure Monitor severity: 0 critical, 1 error, 2 warning, 3 informational, 4 verbose.", { default: 2 })),
  }, "Alert before a secret expires, once a day.")),
}, "Alerts on the vault's audit log, to one action group.");

const KeyVault = closed({
  name: opt(text(RULES.keyVaultName, "Globally unique vault name.", { $comment: "default: kv-<namePrefix>-<8 hex computed at plan time from the subscription and resource group>" })),
  rbacPropagationWait: opt(text(RULES.duration, "Wait after role grants before the first data-plane use (Azure RBAC propagates in minutes).", { default: DEFAULT_RBAC_PROPAGATION_WAIT })),
  sku: opt(choice(["standard", "premium"] as const, "Vault SKU.", { default: "standard" })),
  softDeleteRetentionDays: opt(whole(7, 90, "Soft-delete retention in days.", { default: 90 })),
  preventDestroy: opt(flag("Terraform refuses to destroy the vault. Default: true (hardened), false (lab); false only in the lab profile.")),
  networkAccess: opt(choice(["allowlist", "private", "public"] as const,
    "How Terraform and the cluster reach the vault. Default: allowlist (hardened), public (lab); public only in the lab profile.")),
  allowedIpRanges: opt(cidrList("Extra ranges through the vault firewall (networkAccess allowlist only); no /0 in the hardened profile.")),
  logRetentionDays: opt(whole(30, 730, "Audit log retention in days.", { default: 90 })),
  alerts: opt(VaultAlerts),
  secrets: opt(Type.Array(Secret, { description: "Secrets the vault holds.", default: [] })),
}, "The Key Vault.");

const Autoscaling = closed({
  minCount: opt(whole(1, 1000, "Fewest nodes.")),
  maxCount: opt(whole(1, 1000, "Most nodes; at least minCount.")),
}, "Autoscaler bounds.");

const NodePool = closed({
  name: opt(text(RULES.nodePoolName, "Pool name; the two pools need different names.")),
  vmSize: opt(text(RULES.vmSize, "VM size.", { default: "Standard_D2ds_v5" })),
  nodeCount: opt(whole(1, 1000, "Node count; within the autoscaling bounds.")),
  autoscaling: opt(Type.Union([Autoscaling, Type.Literal(false)], { description: "Autoscaler bounds, or false for a fixed count." })),
  maxPods: opt(whole(50, 250, "Pods per node.", { default: 50 })),
}, "A node pool.");

const AksConnection = closed({
  type: opt(choice(["aks"] as const, "The platform's AKS cluster, through the azurerm data source (kubelogin when local accounts are disabled).", { default: "aks" })),
}, "Reach the platform's AKS cluster.");

const KubeconfigConnection = closed({
  type: choice(["kubeconfig"] as const, "A context of a kubeconfig file: an existing cluster, a private cluster through a jump host, a CI runner's kubeconfig."),
  path: opt(text(RULES.kubeconfigPath, "Kubeconfig file; \"~/\" is the home folder of whoever runs Terraform.", { default: "~/.kube/config" })),
  context: text(RULES.kubeconfigContext, "Context to use. Required: the file's current context follows `kubectl config use-context`, and a plan must not follow it to another cluster."),
}, "Reach the cluster through a kubeconfig context.");

const chartSource = (chart: { chart: string; repository: string; version: string }, description = `The ${chart.chart} chart.`) => closed({
  repository: opt(text(RULES.chartRepository, `Where the ${chart.chart} chart comes from: its public repository, an internal mirror or an OCI registry.`,
    { default: chart.repository })),
  version: opt(text(RULES.chartVersion, `Pinned ${chart.chart} chart version.`, { default: chart.version })),
}, description);

const AddonDriver = closed({
  type: opt(choice(["addon"] as const, "The AKS Key Vault secrets provider add-on (supported by Azure).", { default: "addon" })),
}, "The AKS add-on installs and upgrades the driver.");

const HelmDriver = closed({
  type: choice(["helm"] as const,
    "Self-managed: the add-on is off and a csi-driver stack installs the charts. Azure supports the add-on, not this; workloads must use identity \"workload\"."),
  driverChart: opt(chartSource(DRIVER_CHARTS.driver)),
  providerChart: opt(chartSource(DRIVER_CHARTS.provider)),
}, "The Secrets Store CSI driver and the Azure provider from their Helm charts.");

const Cluster = closed({
  name: opt(text(RULES.clusterName, "Cluster name.", { $comment: "default: aks-<namePrefix>" })),
  dnsPrefix: opt(text(RULES.dnsPrefix, "DNS prefix of the API server.", { $comment: "default: <namePrefix>" })),
  kubernetesVersion: opt(text(RULES.kubernetesVersion, "Kubernetes version; default: the region's default.")),
  skuTier: opt(choice(["Free", "Standard"] as const, "Uptime SLA tier. Default: Standard (hardened), Free (lab); Free only in the lab profile.")),
  systemNodePool: opt(NodePool),
  userNodePool: opt(Type.Union([NodePool, Type.Literal(false)], { description: "Pool for workloads, or false (lab profile only) to share the system pool." })),
  secretRotationInterval: opt(text(RULES.duration, "How often mounted secrets are re-read; at least 30s.", { default: "2m" })),
  grantScope: opt(choice(["secret", "vault"] as const, "Scope of the secret-read grants.", { default: "secret" })),
  oidcIssuerEnabled: opt(flag("OIDC issuer for workload identity; false only in the lab profile.", { default: true })),
  localAccountsDisabled: opt(flag("Only Entra ID users get credentials. Default: true (hardened), false (lab); false only in the lab profile.")),
  adminGroupObjectIds: opt(Type.Array(text(RULES.uuid, "An Entra ID group object id."), { description: "Cluster admin groups.", default: [] })),
  networkPolicy: opt(choice(["cilium", "azure", "calico"] as const,
    "Network policy engine: cilium (Azure CNI powered by Cilium: Cilium data plane and policy), azure (Azure Network Policy Manager, Linux support ends 2028-09-30) or calico. An existing cluster keeps its engine: this app never replaces a cluster to change it.",
    { default: "cilium" })),
  automaticUpgradeChannel: opt(choice(["patch", "rapid", "stable", "node-image"] as const, "Cluster upgrade channel.", { default: "patch" })),
  nodeOsUpgradeChannel: opt(choice(["NodeImage", "SecurityPatch"] as const, "Node OS upgrade channel; NodeImage with automaticUpgradeChannel node-image.", { default: "NodeImage" })),
  apiServerAuthorizedIpRanges: opt(cidrList("Ranges allowed to reach the API server; not with privateCluster; no /0 in the hardened profile.")),
  privateCluster: opt(flag("Private API server.", { default: false })),
  hostEncryption: opt(flag("Encryption at host (needs the subscription feature).", { default: false })),
  ephemeralOsDisk: opt(flag("Ephemeral OS disks; both pools' VM sizes need a temp disk of at least 128 GiB (sizes listed in config/vm-temp-disks.ts).", { default: false })),
  connection: opt(Type.Union([AksConnection, KubeconfigConnection], { description: "How the workload stack's kubernetes and helm providers reach the cluster.", default: { type: "aks" } })),
  driver: opt(Type.Union([AddonDriver, HelmDriver], { description: "Who installs the Secrets Store CSI driver.", default: { type: "addon" } })),
  reloaderChart: opt(chartSource(RELOADER_CHART,
    "Stakater Reloader's chart, installed by the workload stack only when a workload of this cluster sets onRotation \"restart\"; set it only then.")),
  kubeloginMode: opt(choice(KUBELOGIN_MODES, "How the workload stack's kubelogin gets an Entra ID token (local accounts disabled only).", { default: "azurecli" })),
  availabilityZones: opt(Type.Array(choice(AVAILABILITY_ZONES, "An availability zone."),
    { description: "Zones of both node pools; default: all three in a region with zones, [] in a region without.", uniqueItems: true, default: [...AVAILABILITY_ZONES] })),
}, "The AKS cluster.");

const SecretObject = closed({
  objectName: text(RULES.secretName, "Key Vault object to mount; a secret must be declared in keyVault.secrets."),
  objectType: opt(choice(["secret", "key", "cert"] as const, "Kind of Key Vault object.", { default: "secret" })),
  objectAlias: opt(text(RULES.fileName, "File name in the mount; default: objectName.")),
  objectVersion: opt(text(RULES.objectVersion, "Pinned version; default: the latest.")),
  objectFormat: opt(choice(["pem", "pfx"] as const, "Format; pfx for secrets only.")),
  objectEncoding: opt(choice(["utf-8", "hex", "base64"] as const, "Encoding; secrets only.")),
  filePermission: opt(text(RULES.readableFilePermission,
    "Octal file mode. Files are owned by root and the driver ignores fsGroup, so the pod (uid 65532) reads through the bits for others.")),
}, "A Key Vault object mounted as a file.");

const SyncItem = closed({
  objectName: Type.String({ description: "A file this workload mounts (objectAlias or objectName)." }),
  key: text(RULES.secretKey, "Key in the Kubernetes Secret."),
  envVar: text(RULES.envVar, "Environment variable that reads the key."),
}, "One mounted file synced into the Secret.");

const Probe = Type.Union([
  closed({ exec: Type.Array(text(RULES.nonEmpty, "An argument."), { minItems: 1, description: "Command that must exit 0." }) }, "Exec check."),
  closed({
    httpGet: closed({
      path: opt(text(RULES.urlPath, "Path to GET.", { default: "/" })),
      port: whole(1, 65535, "Port."),
    }, "HTTP GET check."),
  }, "HTTP check."),
  closed({ tcpSocket: closed({ port: whole(1, 65535, "Port.") }, "TCP check.") }, "TCP check."),
], { description: "Liveness and readiness check: exactly one of exec, httpGet, tcpSocket." });

const Workload = closed({
  name: text(RULES.dns1123Label, "Workload name, unique; it names the identity and outputs."),
  namespace: opt(text(RULES.dns1123Label, "Namespace; default: the workload name. Not a system or kube- namespace.", {
    not: { anyOf: [{ enum: [...SYSTEM_NAMESPACES] }, { pattern: "^kube-" }] },
  })),
  serviceAccountName: opt(text(RULES.dns1123Label, "ServiceAccount (identity workload only); default: the workload name. <namespace>-<serviceAccountName> names the federated credential: at most 120 characters.")),
  identity: opt(choice(["addon", "workload"] as const, "workload: a federated identity per workload; addon: the secrets provider's identity, shared by every pod of the cluster (add-on driver only). Default: workload (hardened profile, and always with the helm driver), addon (lab profile).")),
  mountPath: opt(text(RULES.absolutePath, "Where the files appear; not under /tmp.", { default: "/mnt/secrets-store" })),
  image: opt(text(RULES.image, "Container image; pinned by digest in the hardened profile. Default: the demo image.")),
  imagePullPolicy: opt(choice(IMAGE_PULL_POLICIES,
    "When the kubelet pulls the image. Always: the registry authorizes every pod start. Never or IfNotPresent (lab profile only) run an image pre-loaded on a node without registry access (air-gapped or test nodes).",
    { default: "Always" })),
  replicas: opt(whole(1, 50, "Pod count.", { default: 1 })),
  command: opt(Type.Array(text(RULES.nonEmpty, "An argument."), { minItems: 1, description: "Overrides the image's entrypoint." })),
  probe: opt(Probe),
  cloudName: opt(choice(["AzurePublicCloud", "AzureStackCloud"] as const,
    "Azure cloud of the vault: the public cloud (the only one this app deploys to), or AzureStackCloud for an air-gapped cloud described in cloudEnvFileName; default: the public cloud.")),
  cloudEnvFileName: opt(text(RULES.absolutePath,
    "Custom Azure environment JSON file, as the Azure provider's pods see it; required with cloudName AzureStackCloud (Azure Stack Hub, air-gapped clouds) and only allowed with it.")),
  objects: Type.Array(SecretObject, { minItems: 1, description: "Key Vault objects to mount." }),
  onRotation: opt(choice(["none", "restart"] as const,
    "What the pods do when a mounted object gets a new version in the vault. none: the files change in place and the app re-reads them. " +
    "restart: Stakater Reloader rolls the Deployment (a new pod is ready before an old one goes), for apps that read their secrets once at start " +
    "or take them as environment variables from syncToKubernetesSecret.", { default: "none" })),
  syncToKubernetesSecret: opt(closed({
    secretName: text(RULES.dns1123Label, "Kubernetes Secret the driver creates while a pod mounts the volume."),
    items: Type.Array(SyncItem, { minItems: 1, description: "Mounted files to sync." }),
  }, "Also sync mounted files into a Kubernetes Secret.")),
}, "An app that mounts Key Vault objects.");

const Network = closed({
  vnetAddressSpace: opt(text(RULES.cidr, "VNet range.", { default: "10.40.0.0/16" })),
  clusterSubnetPrefix: opt(text(RULES.cidr, "Node subnet, inside the VNet.", { default: "10.40.0.0/20" })),
  endpointSubnetPrefix: opt(text(RULES.cidr, "Private endpoint subnet, inside the VNet, not overlapping the node subnet.", { default: "10.40.16.0/24" })),
  serviceCidr: opt(text(RULES.cidr, "Kubernetes service range, outside the VNet and its subnets.", { default: "10.0.0.0/16" })),
  podCidr: opt(text(RULES.cidr, "Pod range of Azure CNI overlay, outside the VNet and the service range.", { default: DEFAULT_POD_CIDR })),
  runnerVnetId: opt(text(RULES.vnetId,
    "VNet of the machine that runs Terraform (self-hosted runner, Terraform Cloud agent), for a private vault or a private cluster: it is peered with the cluster VNet both ways and linked to their private DNS zones. Same subscription; its address space must not overlap the cluster's ranges.")),
  dnsServiceIp: opt(text(RULES.ipv4, "Cluster DNS address inside serviceCidr; default: its .10 address.", { default: "10.0.0.10" })),
}, "VNet and cluster address ranges; ranges must not have host bits set.");

const Workloads = Type.Array(Workload, { description: "Apps that mount Key Vault objects.", default: [] });

const FleetCluster = closed({
  name: text(RULES.fleetClusterName, "Short cluster name, unique in the fleet; its stacks are cluster-<name> and workload-<name>."),
  location: opt(choice(AZURE_REGIONS, "Azure region of this cluster; default: the top-level location (the vault's).")),
  network: opt(Network),
  cluster: opt(Cluster),
  workloads: opt(Workloads),
}, "One cluster of the fleet: its network, AKS settings and the apps that mount the central vault's secrets.");

export const ConfigSchema = closed({
  $schema: opt(Type.String({ description: "Path or URL of this schema, for editors." })),
  profile: opt(choice(PROFILES, "hardened refuses relaxed settings; lab allows them for a throwaway try-out.", { default: "hardened" })),
  location: opt(choice(AZURE_REGIONS, "Azure region (`az account list-locations`).", { default: "westeurope" })),
  namePrefix: opt(text(RULES.namePrefix, "Prefix of every Azure name.", { default: "kvcsi" })),
  tags: opt(Type.Unsafe<Record<string, string>>({
    type: "object",
    description: `Tags on every Azure resource: at most ${MAX_TAGS}; names are case-insensitive and ${RULES.tagName.allowed}. ` +
      "With a private DNS zone (keyVault.networkAccess private, or a fleet): at most 15, names of letters, digits, '-' and '_', not starting with a digit.",
    maxProperties: MAX_TAGS,
    propertyNames: { pattern: RULES.tagName.pattern.source },
    additionalProperties: { type: "string", maxLength: TAG_VALUE_MAX },
    default: {},
  })),
  backend: opt(Type.Union([LocalBackend, AzurermBackend, CloudBackend], { description: "Where Terraform keeps state.", default: { type: "local" } })),
  resourceGroup: opt(closed({
    name: opt(text(RULES.resourceGroupName, "Resource group name; required when existing.", { $comment: "default: rg-<namePrefix>" })),
    existing: opt(flag("Look the group up instead of creating it.", { default: false })),
  }, "The resource group.")),
  network: opt(Network),
  keyVault: opt(KeyVault),
  cluster: opt(Cluster),
  workloads: opt(Workloads),
  clusters: opt(Type.Array(FleetCluster, {
    minItems: 1,
    description: "A fleet: several clusters sharing the one vault declared in keyVault; replaces the top-level network, cluster and workloads.",
  })),
}, "Config of the aks-keyvault-csi CDK for Terraform app.");

/** The raw config file as the schema describes it (before defaults and cross-field checks). */
export type RawConfig = Static<typeof ConfigSchema>;

/** The text of config.schema.json. */
export function configJsonSchema(): string {
  // Draft-07: the newest draft VS Code's JSON language service fully supports.
  const document = { $schema: "http://json-schema.org/draft-07/schema#", title: "aks-keyvault-csi config", ...ConfigSchema };
  return `${JSON.stringify(document, null, 2)}\n`;
}
