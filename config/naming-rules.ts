/**
 * Azure and Kubernetes naming rules, each with the sentence a user sees when a value breaks it.
 * Sources: Azure "Naming rules and restrictions for Azure resources" and Kubernetes
 * "Object Names and IDs" (DNS-1123).
 */
export interface NamingRule {
  readonly pattern: RegExp;
  readonly allowed: string;
}

export const RULES = {
  namePrefix: {
    pattern: /^[a-z][a-z0-9]{1,11}$/,
    allowed: "2-12 lowercase letters and digits, starting with a letter (it becomes part of every Azure name)",
  },
  /** "Use tags to organize your Azure resources", Limitations: https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations */
  tagName: { pattern: /^[^<>%&\\?/]{1,512}$/, allowed: "1-512 characters without < > % & \\ ? /" },
  location: { pattern: /^[a-z][a-z0-9]+$/, allowed: "an Azure region name such as \"westeurope\"" },
  keyVaultName: {
    pattern: /^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/,
    allowed: "3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, without \"--\"",
  },
  resourceGroupName: {
    pattern: /^[-\w.()]{0,89}[-\w()]$/,
    allowed: "1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period",
  },
  /** A fleet cluster's short name: it ends stack names (`cluster-<name>`) and Azure names, so it stays short. */
  fleetClusterName: {
    pattern: /^[a-z](?:[a-z0-9-]{0,10}[a-z0-9])?$/,
    allowed: "1-12 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit",
  },
  clusterName: {
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?$/,
    allowed: "1-63 letters, digits, underscores and hyphens, starting and ending with a letter or digit",
  },
  dnsPrefix: {
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$/,
    allowed: "1-54 letters, digits and hyphens, starting and ending with a letter or digit",
  },
  nodePoolName: { pattern: /^[a-z][a-z0-9]{0,11}$/, allowed: "1-12 lowercase letters and digits, starting with a letter" },
  vmSize: { pattern: /^Standard_[A-Za-z0-9_]+$/, allowed: "an Azure VM size such as \"Standard_D4ds_v5\"" },
  secretName: { pattern: /^[a-zA-Z0-9-]{1,127}$/, allowed: "1-127 letters, digits and hyphens" },
  dns1123Label: {
    pattern: /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/,
    allowed: "a DNS-1123 label: 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit",
  },
  duration: {
    pattern: /^(?=\d)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/,
    allowed: "a duration such as \"2m\", \"30s\" or \"1h30m\"",
  },
  cidr: {
    pattern: /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:3[0-2]|[12]?\d)$/,
    allowed: "an IPv4 CIDR range such as \"203.0.113.0/24\"",
  },
  ipv4: {
    pattern: /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/,
    allowed: "an IPv4 address such as \"10.0.0.10\"",
  },
  rfc3339Utc: {
    pattern: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/,
    allowed: "an RFC 3339 UTC time such as \"2027-12-31T00:00:00Z\"",
  },
  contentType: { pattern: /^.{1,255}$/, allowed: "1-255 characters, e.g. \"text/plain\"" },
  filePermission: { pattern: /^0[0-7]{3}$/, allowed: "an octal mode such as \"0444\"" },
  /** Mounted files are owned by root and the driver ignores fsGroup, so a non-root pod reads through the "others" bits. */
  readableFilePermission: { pattern: /^0[0-7]{2}[4-7]$/, allowed: "a mode with the read bit for others, e.g. \"0444\"" },
  objectVersion: { pattern: /^[0-9a-f]{32}$/, allowed: "a 32-character Key Vault version id" },
  fileName: {
    pattern: /^(?!\.\.?$)[A-Za-z0-9._-]{1,253}$/,
    allowed: "a file name of 1-253 letters, digits, '.', '_' and '-'",
  },
  absolutePath: {
    pattern: /^\/(?!.*\/\.\.?(\/|$))(?!.*\/\/)[A-Za-z0-9._\-/]*[A-Za-z0-9._-]$/,
    allowed: "an absolute path such as \"/mnt/secrets-store\", without \"..\", \"//\" or a trailing \"/\"",
  },
  image: {
    pattern: /^[a-z0-9][a-z0-9._\-/:]*(@sha256:[a-f0-9]{64})?$/,
    allowed: "an image reference such as \"registry/app:1.2@sha256:<64 hex>\"",
  },
  storageAccountName: { pattern: /^[a-z0-9]{3,24}$/, allowed: "3-24 lowercase letters and digits" },
  containerName: {
    pattern: /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    allowed: "3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, without \"--\"",
  },
  stateKeyPrefix: { pattern: /^[A-Za-z0-9._\-/]{0,200}$/, allowed: "letters, digits, '.', '_', '-' and '/'" },
  workspaceName: { pattern: /^[A-Za-z0-9_-]{1,90}$/, allowed: "1-90 letters, digits, '_' and '-'" },
  organization: { pattern: /^[A-Za-z0-9_-]{1,40}$/, allowed: "a Terraform Cloud organization name" },
  hostname: { pattern: /^[a-z0-9.-]+\.[a-z]{2,}$/, allowed: "a host name such as \"app.terraform.io\"" },
  uuid: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    allowed: "a lowercase GUID",
  },
  kubernetesVersion: { pattern: /^\d+\.\d+(\.\d+)?$/, allowed: "a version such as \"1.33\" or \"1.33.2\"" },
  /** Kubernetes Secret data keys (validation.IsConfigMapKey): "." and ".." would be path traversal. */
  secretKey: {
    pattern: /^(?!\.\.?$)[-._a-zA-Z0-9]{1,253}$/,
    allowed: "a Secret key of 1-253 letters, digits, '-', '_' and '.', other than \".\" and \"..\"",
  },
  nonEmpty: { pattern: /\S/, allowed: "a non-empty string" },
  urlPath: { pattern: /^\/\S*$/, allowed: "an absolute URL path such as \"/healthz\"" },
  envVar: { pattern: /^[A-Z_][A-Z0-9_]*$/, allowed: "an environment variable name such as DB_PASSWORD" },
  kubeconfigPath: {
    pattern: /^(?:\/|~\/)[^\x00-\x1f\x7f]*[^\x00-\x1f\x7f/]$/,
    allowed: "an absolute path or one starting with \"~/\", such as \"~/.kube/config\"",
  },
  kubeconfigContext: { pattern: /^[^\x00-\x1f\x7f]{1,253}$/, allowed: "a kubeconfig context name of 1-253 characters" },
  chartRepository: {
    pattern: /^(?:https|oci):\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%-]+)*\/?$/,
    allowed: "an https:// chart repository URL or an oci:// registry path, such as \"oci://myregistry.azurecr.io/helm\"",
  },
  chartVersion: {
    pattern: /^[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?$/,
    allowed: "an exact chart version such as \"1.5.6\" (no ranges: the release must be reproducible)",
  },
  /** A virtual network's resource id, as `az network vnet show --query id` prints it. */
  vnetId: {
    pattern: /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Network\/virtualNetworks\/[A-Za-z0-9][\w.-]{0,62}[\w]$/,
    allowed: "a virtual network resource id such as \"/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>\"",
  },
  /** An action group's e-mail receiver: a plain address (a mailbox is no credential). */
  email: { pattern: /^[^@\s"<>]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/, allowed: "an e-mail address such as \"ops@example.com\"" },
  /** An action group receiver's name; it also names the Terraform variable with a webhook's URL. */
  receiverName: { pattern: /^[a-z][a-z0-9-]{0,31}$/, allowed: "1-32 lowercase letters, digits and hyphens, starting with a letter" },
  relativeDir: {
    pattern: /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\-/]+$/,
    allowed: "a folder inside the project, such as \"state\" (relative, without \"..\")",
  },
} satisfies Record<string, NamingRule>;

/** Azure's tag limits per resource (tag-resources#limitations). */
export const MAX_TAGS = 50;
export const TAG_VALUE_MAX = 256;

/** Namespaces a workload may not use; any other `kube-` name is reserved too. */
export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease", "default"] as const;

/** Seconds in a duration accepted by RULES.duration. */
export function durationSeconds(value: string): number {
  const m = RULES.duration.pattern.exec(value);
  if (!m) return NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/**
 * kubelogin's non-interactive login modes (https://azure.github.io/kubelogin/concepts/login-modes.html).
 * `devicecode`, `interactive` and `ropc` are left out: they need a person or a password.
 */
export const KUBELOGIN_MODES = ["azurecli", "workloadidentity", "spn", "msi", "azurepipelines", "azd"] as const;

/**
 * Kubernetes' image pull policies (https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy).
 * Always comes first: it is the default and the only one the hardened profile allows.
 */
export const IMAGE_PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;

/** Availability zones a node pool can span. */
export const AVAILABILITY_ZONES = ["1", "2", "3"] as const;
