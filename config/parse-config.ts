import { Checker, join, show } from "./checker";
import { ConfigError } from "./config-error";
import { DEMO_IMAGE, demoCommand } from "./demo-app";
import { durationSeconds, RULES } from "./naming-rules";
import {
  AVAILABILITY_ZONES,
  AppConfig,
  AvailabilityZone,
  BackendConfig,
  ClusterConfig,
  KeyVaultConfig,
  NetworkConfig,
  NodePoolConfig,
  ProbeConfig,
  Profile,
  ResourceGroupConfig,
  SecretConfig,
  SecretObjectConfig,
  SecretSyncConfig,
  WorkloadConfig,
  fileNameOf,
  KUBELOGIN_MODES,
} from "./types";


/**
 * The provider polls Key Vault once per interval for every mounted object of every pod; below
 * this floor a few hundred pods would run into Key Vault's per-vault throttling limits.
 */
export const MIN_ROTATION_SECONDS = 30;

const CREDENTIAL_KEYS = ["accessKey", "access_key", "sasToken", "sas_token", "clientSecret", "client_secret", "token"];

/**
 * Parses and validates a raw config (the embedded default or a user's JSON file) in one pass,
 * fills every default and returns a typed config. Throws a ConfigError listing every problem.
 */
export function parseConfig(raw: unknown, source = "embedded default config"): AppConfig {
  const c = new Checker();
  const root = c.object("", raw, [
    "profile", "location", "namePrefix", "tags", "backend", "resourceGroup", "network", "keyVault", "cluster", "workloads",
  ]) ?? {};

  const profile: Profile = c.oneOf("profile", root.profile, ["hardened", "lab"] as const) ?? "hardened";
  const lab = profile === "lab";
  const location = c.string("location", root.location, RULES.location) ?? "westeurope";
  const namePrefix = c.string("namePrefix", root.namePrefix, RULES.namePrefix) ?? "kvcsi";
  const tags = parseTags(c, root.tags);
  const backend = parseBackend(c, root.backend);
  const resourceGroup = parseResourceGroup(c, root.resourceGroup, namePrefix);
  const network = parseNetwork(c, root.network);
  const keyVault = parseKeyVault(c, root.keyVault, { lab });
  const cluster = parseCluster(c, root.cluster, namePrefix, lab);
  const workloads = parseWorkloads(c, root.workloads, { lab, keyVault, cluster });

  if (!lab) rejectLabRelaxations(c, root, keyVault, cluster);

  if (c.problems.length > 0) throw new ConfigError(source, c.problems);
  return { source, profile, location, namePrefix, tags, backend, resourceGroup, network, keyVault, cluster, workloads };
}

/** True when the timestamp names a real instant, e.g. not February 31 (Date would roll it over). */
function isRealUtcTime(value: string): boolean {
  const time = Date.parse(value);
  return !Number.isNaN(time) && new Date(time).toISOString().replace(".000Z", "Z") === value;
}

/**
 * Settings the SecurityBaseline would reject in the hardened profile, reported here with their
 * config path so the user learns which key to change rather than which resource broke.
 */
function rejectLabRelaxations(c: Checker, root: Record<string, unknown>, keyVault: KeyVaultConfig, cluster: ClusterConfig): void {
  const raw = (key: string) => (root[key] ?? {}) as Record<string, unknown>;
  const relaxations: [path: string, relaxed: boolean, value: unknown, allowed: string][] = [
    ["keyVault.networkAccess", keyVault.networkAccess === "public", keyVault.networkAccess, "\"allowlist\" or \"private\""],
    ["keyVault.preventDestroy", raw("keyVault").preventDestroy === false, false, "true"],
    ["cluster.userNodePool", raw("cluster").userNodePool === false, false, "a node pool (the default) so the system pool runs only critical add-ons"],
    ["cluster.localAccountsDisabled", !cluster.localAccountsDisabled, false, "true"],
    ["cluster.skuTier", cluster.skuTier === "Free", "Free", "\"Standard\""],
    ["cluster.oidcIssuerEnabled", !cluster.oidcIssuerEnabled, false, "true (workload identity)"],
  ];
  for (const [path, relaxed, value, allowed] of relaxations) {
    if (relaxed) c.report(path, `${show(value)} is only allowed in the lab profile; the hardened profile needs ${allowed} (or set "profile": "lab" for a throwaway lab)`);
  }
}

function parseTags(c: Checker, value: unknown): Record<string, string> {
  const tags = c.stringMap("tags", value);
  for (const [key, v] of Object.entries(tags)) {
    if (!/^[^<>%&\\?/]{1,512}$/.test(key)) {
      c.report(join("tags", key), "tag names are 1-512 characters without < > % & \\ ? /");
    }
    if (v.length > 256) c.report(join("tags", key), `tag values are at most 256 characters, got ${v.length}`);
  }
  return tags;
}

function parseBackend(c: Checker, value: unknown): BackendConfig {
  const given = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const withoutCredentials = given ? Object.fromEntries(Object.entries(given).filter(([k]) => !CREDENTIAL_KEYS.includes(k))) : value;
  const raw = (c.object("backend", withoutCredentials, ["type", "stateDir", "resourceGroupName", "storageAccountName", "containerName",
    "keyPrefix", "subscriptionId", "tenantId", "organization", "hostname", "workspaces"]) ?? {});
  for (const key of CREDENTIAL_KEYS) {
    if (given && key in given) {
      c.report(join("backend", key), "credentials are never accepted in the config; sign in with `az login` " +
        "(azurerm uses Entra ID auth) or `terraform login` (cloud)");
    }
  }
  const type = c.oneOf("backend.type", raw.type, ["local", "azurerm", "cloud"] as const) ?? "local";
  const allowedByType: Record<string, string[]> = {
    local: ["type", "stateDir"],
    azurerm: ["type", "resourceGroupName", "storageAccountName", "containerName", "keyPrefix", "subscriptionId", "tenantId"],
    cloud: ["type", "organization", "hostname", "workspaces"],
  };
  for (const key of Object.keys(raw)) {
    const known = Object.values(allowedByType).some((keys) => keys.includes(key));
    if (known && !allowedByType[type].includes(key)) {
      c.report(join("backend", key), `does not apply to backend type ${JSON.stringify(type)}; allowed keys: ${allowedByType[type].join(", ")}`);
    }
  }
  const required = (key: string, rule: { pattern: RegExp; allowed: string }): string => {
    const v = c.string(join("backend", key), raw[key], rule);
    if (raw[key] === undefined) c.report(join("backend", key), `is required for backend type ${JSON.stringify(type)}; must be ${rule.allowed}`);
    return v ?? "";
  };

  if (type === "azurerm") {
    return {
      type,
      resourceGroupName: required("resourceGroupName", RULES.resourceGroupName),
      storageAccountName: required("storageAccountName", RULES.storageAccountName),
      containerName: required("containerName", RULES.containerName),
      keyPrefix: c.string("backend.keyPrefix", raw.keyPrefix, RULES.stateKeyPrefix) ?? "aks-keyvault-csi/",
      subscriptionId: c.string("backend.subscriptionId", raw.subscriptionId, RULES.uuid),
      tenantId: c.string("backend.tenantId", raw.tenantId, RULES.uuid),
    };
  }
  if (type === "cloud") {
    const workspacesRaw = raw.workspaces;
    let platform = "";
    let workload = "";
    if (workspacesRaw === undefined) {
      c.report("backend.workspaces", "is required for backend type \"cloud\": name one workspace per stack, " +
        "e.g. {\"platform\": \"aks-kv-platform\", \"workload\": \"aks-kv-workload\"}");
    } else {
      const ws = c.object("backend.workspaces", workspacesRaw, ["platform", "workload", "tags"]) ?? {};
      if ("tags" in ws) {
        c.report("backend.workspaces.tags", "tagged workspaces cannot carry the workload stack's remote-state " +
          "reference to the platform; name one workspace per stack with \"platform\" and \"workload\"");
      }
      for (const stack of ["platform", "workload"] as const) {
        const name = c.requiredString(`backend.workspaces.${stack}`, ws[stack], RULES.workspaceName);
        if (stack === "platform") platform = name ?? "";
        else workload = name ?? "";
      }
      if (platform && platform === workload) {
        c.report("backend.workspaces.workload", `${show(workload)} is also the platform workspace; each stack needs its own workspace`);
      }
    }
    return {
      type,
      organization: required("organization", RULES.organization),
      hostname: c.string("backend.hostname", raw.hostname, RULES.hostname),
      workspaces: { platform, workload },
    };
  }
  return { type: "local", stateDir: c.string("backend.stateDir", raw.stateDir, RULES.relativeDir) ?? "state" };
}

function parseResourceGroup(c: Checker, value: unknown, namePrefix: string): ResourceGroupConfig {
  const raw = c.object("resourceGroup", value, ["name", "existing"]) ?? {};
  const existing = c.boolean("resourceGroup.existing", raw.existing) ?? false;
  if (existing && raw.name === undefined) {
    c.report("resourceGroup.name", "is required when resourceGroup.existing is true: name the group to use");
  }
  return { name: c.string("resourceGroup.name", raw.name, RULES.resourceGroupName) ?? `rg-${namePrefix}`, existing };
}

function parseNetwork(c: Checker, value: unknown): NetworkConfig {
  const raw = c.object("network", value, ["vnetAddressSpace", "clusterSubnetPrefix", "endpointSubnetPrefix"]) ?? {};
  return {
    vnetAddressSpace: c.string("network.vnetAddressSpace", raw.vnetAddressSpace, RULES.cidr) ?? "10.40.0.0/16",
    clusterSubnetPrefix: c.string("network.clusterSubnetPrefix", raw.clusterSubnetPrefix, RULES.cidr) ?? "10.40.0.0/20",
    endpointSubnetPrefix: c.string("network.endpointSubnetPrefix", raw.endpointSubnetPrefix, RULES.cidr) ?? "10.40.16.0/24",
  };
}

function parseKeyVault(
  c: Checker,
  value: unknown,
  ctx: { lab: boolean },
): KeyVaultConfig {
  const raw = c.object("keyVault", value, ["name", "sku", "softDeleteRetentionDays", "preventDestroy", "networkAccess",
    "allowedIpRanges", "logRetentionDays", "secrets", "rbacPropagationWait"]) ?? {};
  const secrets: SecretConfig[] = [];
  const seen = new Map<string, number>();
  c.array("keyVault.secrets", raw.secrets).forEach((item, i) => {
    const path = `keyVault.secrets[${i}]`;
    const s = c.object(path, item, ["name", "source", "contentType", "expirationDate", "valueVersion"]);
    if (!s) return;
    const name = c.requiredString(`${path}.name`, s.name, RULES.secretName);
    const source = c.oneOf(`${path}.source`, s.source, ["managed", "external"] as const) ?? "managed";
    const expirationDate = c.string(`${path}.expirationDate`, s.expirationDate, RULES.rfc3339Utc);
    if (expirationDate && !isRealUtcTime(expirationDate)) {
      c.report(`${path}.expirationDate`, `${show(expirationDate)} is not a real date; must be ${RULES.rfc3339Utc.allowed}`);
    }
    if (source === "managed" && s.expirationDate === undefined && !ctx.lab) {
      c.report(`${path}.expirationDate`, `is required for managed secrets in the hardened profile; must be ${RULES.rfc3339Utc.allowed}`);
    }
    if (source === "external" && s.valueVersion !== undefined) {
      c.report(`${path}.valueVersion`, "applies only to managed secrets; an external secret's value is not written by this app");
    }
    const contentType = c.string(`${path}.contentType`, s.contentType, RULES.contentType) ?? "text/plain";
    const valueVersion = c.integer(`${path}.valueVersion`, s.valueVersion, 1, 1_000_000) ?? 1;
    if (name) {
      const key = name.toLowerCase();
      if (seen.has(key)) c.report(`${path}.name`, `${show(name)} is already declared by keyVault.secrets[${seen.get(key)}] (Key Vault names are case-insensitive)`);
      else seen.set(key, i);
      secrets.push({ name, source, contentType, expirationDate, valueVersion });
    }
  });

  const networkAccess = c.oneOf("keyVault.networkAccess", raw.networkAccess, ["allowlist", "private", "public"] as const)
    ?? (ctx.lab ? "public" : "allowlist");
  const allowedIpRanges = c.stringList("keyVault.allowedIpRanges", raw.allowedIpRanges, RULES.cidr);
  if (networkAccess !== "allowlist" && allowedIpRanges.length > 0) {
    c.report("keyVault.allowedIpRanges", `only applies when keyVault.networkAccess is "allowlist", got networkAccess ${show(networkAccess)}`);
  }
  return {
    // Unset, the platform stack computes a name unique per subscription at plan time.
    name: c.string("keyVault.name", raw.name, RULES.keyVaultName),
    rbacPropagationWait: c.string("keyVault.rbacPropagationWait", raw.rbacPropagationWait, RULES.duration) ?? "30s",
    sku: c.oneOf("keyVault.sku", raw.sku, ["standard", "premium"] as const) ?? "standard",
    softDeleteRetentionDays: c.integer("keyVault.softDeleteRetentionDays", raw.softDeleteRetentionDays, 7, 90) ?? 90,
    preventDestroy: c.boolean("keyVault.preventDestroy", raw.preventDestroy) ?? !ctx.lab,
    networkAccess,
    allowedIpRanges,
    logRetentionDays: c.integer("keyVault.logRetentionDays", raw.logRetentionDays, 30, 730) ?? 90,
    secrets,
  };
}

function parseNodePool(c: Checker, path: string, value: unknown, defaults: NodePoolConfig): NodePoolConfig {
  const raw = c.object(path, value, ["name", "vmSize", "nodeCount", "autoscaling", "maxPods"]) ?? {};
  const nodeCount = c.integer(`${path}.nodeCount`, raw.nodeCount, 1, 1000) ?? defaults.nodeCount;
  let autoscaling = defaults.autoscaling;
  if (raw.autoscaling === false) {
    autoscaling = undefined;
  } else if (raw.autoscaling !== undefined) {
    const a = c.object(`${path}.autoscaling`, raw.autoscaling, ["minCount", "maxCount"]) ?? {};
    const minCount = c.integer(`${path}.autoscaling.minCount`, a.minCount, 1, 1000) ?? defaults.autoscaling?.minCount ?? 1;
    const maxCount = c.integer(`${path}.autoscaling.maxCount`, a.maxCount, 1, 1000) ?? defaults.autoscaling?.maxCount ?? 3;
    if (minCount > maxCount) {
      c.report(`${path}.autoscaling`, `minCount ${minCount} is greater than maxCount ${maxCount}; minCount must be <= maxCount`);
    }
    autoscaling = { minCount, maxCount };
  }
  if (autoscaling && (nodeCount < autoscaling.minCount || nodeCount > autoscaling.maxCount) && raw.nodeCount !== undefined) {
    c.report(`${path}.nodeCount`, `${nodeCount} is outside autoscaling ${autoscaling.minCount}-${autoscaling.maxCount}; must be within it`);
  }
  return {
    name: c.string(`${path}.name`, raw.name, RULES.nodePoolName) ?? defaults.name,
    vmSize: c.string(`${path}.vmSize`, raw.vmSize, RULES.vmSize) ?? defaults.vmSize,
    nodeCount: autoscaling && raw.nodeCount === undefined ? Math.min(Math.max(nodeCount, autoscaling.minCount), autoscaling.maxCount) : nodeCount,
    autoscaling,
    maxPods: c.integer(`${path}.maxPods`, raw.maxPods, 50, 250) ?? defaults.maxPods,
  };
}

function parseCluster(c: Checker, value: unknown, namePrefix: string, lab: boolean): ClusterConfig {
  const raw = c.object("cluster", value, ["name", "dnsPrefix", "kubernetesVersion", "skuTier", "systemNodePool", "userNodePool",
    "secretRotationInterval", "grantScope", "oidcIssuerEnabled", "localAccountsDisabled", "adminGroupObjectIds", "networkPolicy",
    "automaticUpgradeChannel", "nodeOsUpgradeChannel", "apiServerAuthorizedIpRanges", "privateCluster", "hostEncryption",
    "ephemeralOsDisk", "kubeloginMode", "availabilityZones"]) ?? {};

  const rotation = c.string("cluster.secretRotationInterval", raw.secretRotationInterval, RULES.duration) ?? "2m";
  if (durationSeconds(rotation) < MIN_ROTATION_SECONDS) {
    c.report("cluster.secretRotationInterval", `${show(rotation)} is below the floor of ${MIN_ROTATION_SECONDS}s; must be at least "30s"`);
  }
  const systemNodePool = parseNodePool(c, "cluster.systemNodePool", raw.systemNodePool, {
    name: "system", vmSize: "Standard_D2ds_v5", nodeCount: lab ? 1 : 2,
    autoscaling: lab ? undefined : { minCount: 2, maxCount: 3 }, maxPods: 50,
  });
  const userPoolDefaults: NodePoolConfig = {
    name: "user", vmSize: "Standard_D2ds_v5", nodeCount: 2, autoscaling: { minCount: 2, maxCount: 5 }, maxPods: 50,
  };
  let userNodePool: NodePoolConfig | undefined;
  if (raw.userNodePool === false) userNodePool = undefined;
  else if (raw.userNodePool === undefined) userNodePool = lab ? undefined : userPoolDefaults;
  else userNodePool = parseNodePool(c, "cluster.userNodePool", raw.userNodePool, userPoolDefaults);
  if (userNodePool && userNodePool.name === systemNodePool.name) {
    c.report("cluster.userNodePool.name", `${show(userNodePool.name)} is also the system pool's name; node pool names must differ`);
  }

  const privateCluster = c.boolean("cluster.privateCluster", raw.privateCluster) ?? false;
  const apiServerAuthorizedIpRanges = c.stringList("cluster.apiServerAuthorizedIpRanges", raw.apiServerAuthorizedIpRanges, RULES.cidr);
  if (privateCluster && apiServerAuthorizedIpRanges.length > 0) {
    c.report("cluster.apiServerAuthorizedIpRanges", "cannot be combined with cluster.privateCluster: a private API server has no public endpoint to restrict");
  }
  const localAccountsDisabled = c.boolean("cluster.localAccountsDisabled", raw.localAccountsDisabled) ?? !lab;
  const kubeloginMode = c.oneOf("cluster.kubeloginMode", raw.kubeloginMode, KUBELOGIN_MODES) ?? "azurecli";
  if (!localAccountsDisabled && raw.kubeloginMode !== undefined) {
    c.report("cluster.kubeloginMode", "only applies when cluster.localAccountsDisabled is true; with local accounts the providers use the cluster's admin certificate");
  }
  const zoneRule = { pattern: /^[123]$/, allowed: "\"1\", \"2\" or \"3\"" };
  const zones = raw.availabilityZones === undefined
    ? AVAILABILITY_ZONES.map((zone) => ({ zone, i: 0 }))
    : c.array("cluster.availabilityZones", raw.availabilityZones).flatMap((zone, i) => {
      const z = c.string(`cluster.availabilityZones[${i}]`, zone, zoneRule) as AvailabilityZone | undefined;
      return z === undefined ? [] : [{ zone: z, i }];
    });
  const availabilityZones: AvailabilityZone[] = [];
  for (const { zone, i } of zones) {
    if (availabilityZones.includes(zone)) c.report(`cluster.availabilityZones[${i}]`, `${show(zone)} is listed twice; list each zone once`);
    else availabilityZones.push(zone);
  }
  return {
    name: c.string("cluster.name", raw.name, RULES.clusterName) ?? `aks-${namePrefix}`,
    dnsPrefix: c.string("cluster.dnsPrefix", raw.dnsPrefix, RULES.dnsPrefix) ?? namePrefix,
    kubernetesVersion: c.string("cluster.kubernetesVersion", raw.kubernetesVersion, RULES.kubernetesVersion),
    skuTier: c.oneOf("cluster.skuTier", raw.skuTier, ["Free", "Standard"] as const) ?? (lab ? "Free" : "Standard"),
    systemNodePool,
    userNodePool,
    secretRotationInterval: rotation,
    grantScope: c.oneOf("cluster.grantScope", raw.grantScope, ["secret", "vault"] as const) ?? "secret",
    oidcIssuerEnabled: c.boolean("cluster.oidcIssuerEnabled", raw.oidcIssuerEnabled) ?? true,
    localAccountsDisabled,
    kubeloginMode,
    availabilityZones,
    adminGroupObjectIds: c.stringList("cluster.adminGroupObjectIds", raw.adminGroupObjectIds, RULES.uuid),
    networkPolicy: c.oneOf("cluster.networkPolicy", raw.networkPolicy, ["azure", "calico", "cilium"] as const) ?? "azure",
    automaticUpgradeChannel: c.oneOf("cluster.automaticUpgradeChannel", raw.automaticUpgradeChannel,
      ["patch", "rapid", "stable", "node-image"] as const) ?? "patch",
    nodeOsUpgradeChannel: c.oneOf("cluster.nodeOsUpgradeChannel", raw.nodeOsUpgradeChannel,
      ["NodeImage", "SecurityPatch"] as const) ?? "NodeImage",
    apiServerAuthorizedIpRanges,
    privateCluster,
    hostEncryption: c.boolean("cluster.hostEncryption", raw.hostEncryption) ?? false,
    ephemeralOsDisk: c.boolean("cluster.ephemeralOsDisk", raw.ephemeralOsDisk) ?? false,
  };
}

function parseObject(c: Checker, path: string, value: unknown): SecretObjectConfig | undefined {
  const o = c.object(path, value, ["objectName", "objectType", "objectAlias", "objectVersion", "objectFormat", "objectEncoding", "filePermission"]);
  if (!o) return undefined;
  const objectName = c.requiredString(`${path}.objectName`, o.objectName, RULES.secretName);
  const objectType = c.oneOf(`${path}.objectType`, o.objectType, ["secret", "key", "cert"] as const) ?? "secret";
  const objectFormat = c.oneOf(`${path}.objectFormat`, o.objectFormat, ["pem", "pfx"] as const);
  const objectEncoding = c.oneOf(`${path}.objectEncoding`, o.objectEncoding, ["utf-8", "hex", "base64"] as const);
  if (objectFormat === "pfx" && objectType !== "secret") {
    c.report(`${path}.objectFormat`, `"pfx" is only allowed for objectType "secret", got objectType ${show(objectType)}`);
  }
  if (objectEncoding !== undefined && objectType !== "secret") {
    c.report(`${path}.objectEncoding`, `is only allowed for objectType "secret", got objectType ${show(objectType)}`);
  }
  const objectAlias = c.string(`${path}.objectAlias`, o.objectAlias, RULES.fileName);
  const objectVersion = c.string(`${path}.objectVersion`, o.objectVersion, RULES.objectVersion);
  const filePermission = c.string(`${path}.filePermission`, o.filePermission, RULES.filePermission);
  if (!objectName) return undefined;
  return { objectName, objectType, objectAlias, objectVersion, objectFormat, objectEncoding, filePermission };
}

/** Paths the demo pod mounts besides the secrets volume (a writable /tmp under a read-only root). */
export const RESERVED_MOUNT_PATHS = ["/tmp"];

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function parseWorkloads(
  c: Checker,
  value: unknown,
  ctx: { lab: boolean; keyVault: KeyVaultConfig; cluster: ClusterConfig },
): WorkloadConfig[] {
  const declared = new Set(ctx.keyVault.secrets.map((s) => s.name.toLowerCase()));
  const byName = new Map<string, { index: number; namespace: string }>();
  const syncedSecrets = new Map<string, number>();
  const serviceAccounts = new Map<string, number>();
  const out: WorkloadConfig[] = [];
  c.array("workloads", value).forEach((item, i) => {
    const path = `workloads[${i}]`;
    const w = c.object(path, item, ["name", "namespace", "serviceAccountName", "identity", "mountPath", "image", "replicas",
      "command", "probe", "cloudName", "objects", "syncToKubernetesSecret"]);
    if (!w) return;
    const name = c.requiredString(`${path}.name`, w.name, RULES.dns1123Label);
    const namespace = c.string(`${path}.namespace`, w.namespace, RULES.dns1123Label) ?? name ?? "";
    let claimedTwice = false;
    if (name) {
      const prior = byName.get(name);
      claimedTwice = prior?.namespace === namespace;
      if (prior && prior.namespace === namespace) {
        c.report(`${path}`, `namespace ${show(namespace)} and name ${show(name)} are already claimed by workloads[${prior.index}]`);
      } else if (prior) {
        c.report(`${path}.name`, `${show(name)} is already used by workloads[${prior.index}]; workload names must be unique because they name the identity and outputs`);
      } else {
        byName.set(name, { index: i, namespace });
      }
    }
    if (["kube-system", "kube-public", "kube-node-lease", "default"].includes(namespace)) {
      c.report(`${path}.namespace`, `${show(namespace)} is a system namespace; give the workload its own namespace`);
    }

    const identity = c.oneOf(`${path}.identity`, w.identity, ["addon", "workload"] as const) ?? "addon";
    if (identity === "workload" && !ctx.cluster.oidcIssuerEnabled) {
      c.report(`${path}.identity`, "\"workload\" needs the cluster's OIDC issuer; set cluster.oidcIssuerEnabled to true or use \"addon\"");
    }
    const mountPath = c.string(`${path}.mountPath`, w.mountPath, RULES.absolutePath) ?? "/mnt/secrets-store";
    for (const reserved of RESERVED_MOUNT_PATHS) {
      if (overlaps(mountPath, reserved)) {
        c.report(`${path}.mountPath`, `${show(mountPath)} overlaps the pod's ${reserved} mount; choose a path outside ${reserved}`);
      }
    }
    const image = c.string(`${path}.image`, w.image, RULES.image) ?? DEMO_IMAGE;
    if (!ctx.lab && !image.includes("@sha256:")) {
      c.report(`${path}.image`, `${show(image)} is not pinned; the hardened profile needs an image pinned by digest (…@sha256:<64 hex>)`);
    }

    const objects: SecretObjectConfig[] = [];
    const files = new Map<string, number>();
    const objectList = c.array(`${path}.objects`, w.objects);
    if (w.objects !== undefined && Array.isArray(w.objects) && objectList.length === 0) {
      c.report(`${path}.objects`, "is empty; a workload mounts at least one object");
    }
    if (w.objects === undefined) c.report(`${path}.objects`, "is required: list the Key Vault objects this workload mounts");
    objectList.forEach((raw, j) => {
      const objectPath = `${path}.objects[${j}]`;
      const o = parseObject(c, objectPath, raw);
      if (!o) return;
      if (o.objectType === "secret" && !declared.has(o.objectName.toLowerCase())) {
        c.report(`${objectPath}.objectName`, `${show(o.objectName)} is neither managed nor external; declare it in keyVault.secrets ` +
          `(known: ${ctx.keyVault.secrets.map((s) => s.name).join(", ") || "none"})`);
      }
      const file = fileNameOf(o);
      const prior = files.get(file);
      if (prior !== undefined) {
        c.report(`${objectPath}`, `lands on file ${show(file)} like ${path}.objects[${prior}]; set a distinct objectAlias`);
      } else {
        files.set(file, j);
      }
      objects.push(o);
    });

    const sync = parseSync(c, `${path}.syncToKubernetesSecret`, w.syncToKubernetesSecret, new Set(files.keys()));
    const serviceAccountName = c.string(`${path}.serviceAccountName`, w.serviceAccountName, RULES.dns1123Label) ?? name ?? "";
    const account = `${namespace}/${serviceAccountName}`;
    const accountOwner = serviceAccounts.get(account);
    if (name && accountOwner !== undefined && !claimedTwice) {
      c.report(`${path}.serviceAccountName`, `${show(serviceAccountName)} in namespace ${show(namespace)} is already the ServiceAccount of workloads[${accountOwner}]; each workload needs its own`);
    } else if (name && accountOwner === undefined) {
      serviceAccounts.set(account, i);
    }
    if (identity === "addon" && w.serviceAccountName !== undefined) {
      c.report(`${path}.serviceAccountName`, "only applies to identity \"workload\"; add-on identity pods run without a token");
    }
    const cloudName = c.oneOf(`${path}.cloudName`, w.cloudName,
      ["AzurePublicCloud", "AzureUSGovernmentCloud", "AzureChinaCloud", "AzureGermanCloud", "AzureStackCloud"] as const);

    const replicas = c.integer(`${path}.replicas`, w.replicas, 1, 50) ?? 1;
    const command = w.command === undefined
      ? (image === DEMO_IMAGE ? demoCommand(mountPath) : undefined)
      : c.stringList(`${path}.command`, w.command, NON_EMPTY);
    if (Array.isArray(w.command) && w.command.length === 0) c.report(`${path}.command`, "is empty; leave it out to run the image's entrypoint");
    const probe = parseProbe(c, `${path}.probe`, w.probe);
    if (sync) {
      const claim = `${namespace}/${sync.secretName}`;
      const prior = syncedSecrets.get(claim);
      if (prior !== undefined) {
        c.report(`${path}.syncToKubernetesSecret.secretName`, `${show(sync.secretName)} in namespace ${show(namespace)} is already synced by workloads[${prior}]; each workload needs its own Secret`);
      } else {
        syncedSecrets.set(claim, i);
      }
    }
    if (name) {
      out.push({ name, namespace, serviceAccountName, identity, mountPath, image, replicas, command, probe, cloudName, objects, syncToKubernetesSecret: sync });
    }
  });
  return out;
}

const NON_EMPTY = { pattern: /\S/, allowed: "a non-empty string" };

function parseProbe(c: Checker, path: string, value: unknown): ProbeConfig | undefined {
  if (value === undefined) return undefined;
  const p = c.object(path, value, ["exec", "httpGet", "tcpSocket"]);
  if (!p) return undefined;
  const kinds = Object.keys(p).filter((k) => ["exec", "httpGet", "tcpSocket"].includes(k));
  if (kinds.length !== 1) {
    c.report(path, `must set exactly one of "exec", "httpGet" or "tcpSocket", got ${kinds.length === 0 ? "none" : kinds.join(" and ")}`);
    return undefined;
  }
  const port = (portPath: string, v: unknown) => {
    if (v === undefined) c.report(portPath, "is required");
    return c.integer(portPath, v, 1, 65535);
  };
  if (kinds[0] === "exec") {
    const exec = c.stringList(`${path}.exec`, p.exec, NON_EMPTY);
    if (exec.length === 0) c.report(`${path}.exec`, "must be a non-empty command list, e.g. [\"/bin/check\"]");
    return exec.length > 0 ? { exec } : undefined;
  }
  if (kinds[0] === "httpGet") {
    const h = c.object(`${path}.httpGet`, p.httpGet, ["path", "port"]) ?? {};
    const httpPath = c.string(`${path}.httpGet.path`, h.path, { pattern: /^\/\S*$/, allowed: "an absolute URL path such as \"/healthz\"" }) ?? "/";
    const httpPort = port(`${path}.httpGet.port`, h.port);
    return httpPort === undefined ? undefined : { httpGet: { path: httpPath, port: httpPort } };
  }
  const t = c.object(`${path}.tcpSocket`, p.tcpSocket, ["port"]) ?? {};
  const tcpPort = port(`${path}.tcpSocket.port`, t.port);
  return tcpPort === undefined ? undefined : { tcpSocket: { port: tcpPort } };
}

function parseSync(c: Checker, path: string, value: unknown, files: Set<string>): SecretSyncConfig | undefined {
  if (value === undefined) return undefined;
  const s = c.object(path, value, ["secretName", "items"]);
  if (!s) return undefined;
  if (s.secretName === undefined) {
    c.report(`${path}.secretName`, `is required to opt in to syncing; must be ${RULES.dns1123Label.allowed}`);
  }
  const secretName = c.string(`${path}.secretName`, s.secretName, RULES.dns1123Label);
  const items: { objectName: string; key: string; envVar: string }[] = [];
  const claimed = new Map<string, number>();
  const itemList = c.array(`${path}.items`, s.items);
  if (itemList.length === 0 && Array.isArray(s.items)) c.report(`${path}.items`, "is empty; list the mounted files to sync");
  if (s.items === undefined) c.report(`${path}.items`, "is required: list the mounted files to sync");
  itemList.forEach((raw, k) => {
    const itemPath = `${path}.items[${k}]`;
    const it = c.object(itemPath, raw, ["objectName", "key", "envVar"]);
    if (!it) return;
    const objectName = c.string(`${itemPath}.objectName`, it.objectName);
    if (objectName !== undefined && !files.has(objectName)) {
      c.report(`${itemPath}.objectName`, `${show(objectName)} is not a file this workload mounts; must be one of ${[...files].join(", ")}`);
    }
    const key = c.string(`${itemPath}.key`, it.key, { pattern: /^[-._a-zA-Z0-9]{1,253}$/, allowed: "a Secret key of letters, digits, '-', '_' and '.'" });
    const envVar = c.string(`${itemPath}.envVar`, it.envVar, { pattern: /^[A-Z_][A-Z0-9_]*$/, allowed: "an environment variable name such as DB_PASSWORD" });
    for (const [field, v] of [["objectName", it.objectName], ["key", it.key], ["envVar", it.envVar]] as const) {
      if (v === undefined) c.report(`${itemPath}.${field}`, "is required");
    }
    for (const [field, v] of [["key", key], ["envVar", envVar]] as const) {
      if (v === undefined) continue;
      const prior = claimed.get(`${field}=${v}`);
      if (prior !== undefined) c.report(`${itemPath}.${field}`, `${show(v)} is already used by ${path}.items[${prior}]; each item needs its own ${field}`);
      else claimed.set(`${field}=${v}`, k);
    }
    if (objectName && key && envVar) items.push({ objectName, key, envVar });
  });
  return secretName ? { secretName, items } : undefined;
}
