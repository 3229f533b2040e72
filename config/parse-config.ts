import { Checker, join, nearest, show } from "./checker";
import { NODE_OS_CHANNEL_REQUIRED_BY } from "./aks-upgrade-channels";
import { AZURE_REGIONS, cloudOf, REGIONS_WITH_ZONES } from "./azure-regions";
import { runnerNetworkApplies, supportedCluster } from "./cluster-support";
import { ConfigError } from "./config-error";
import { DEMO_IMAGE, demoCommand } from "./demo-app";
import { dnsZoneTagProblems } from "./dns-zone-tags";
import { DRIVER_CHARTS } from "./driver-charts";
import { KEY_VAULT_PRIVATE_ENDPOINTS_PER_VAULT } from "./key-vault-limits";
import { DEFAULT_POD_CIDR } from "./network-policy";
import { IDENTITY_LIMITS, roleAssignmentCount } from "./identity-limits";
import { FEDERATED_CREDENTIAL_NAME, federatedCredentialName } from "./federated-credential";
import { RELOADER_CHART, RELOADER_NAMESPACE } from "./reloader-chart";
import { cidrContains, cidrContainsIp, cidrsOverlap, canonicalCidr, hasHostBits, numberToIp, parseCidr } from "./ipv4";
import { durationSeconds, MAX_TAGS, RULES, SYSTEM_NAMESPACES, TAG_VALUE_MAX } from "./naming-rules";
import { describeBudget, requestBudget } from "./request-budget";
import { defaultAt, enumAt, keysAt, rangeAt, variantKeysAt } from "./shape";
import { checkSharedNames } from "./shared-names";
import { AlertEmailRole, AlertFrequency, AlertWindow, alertSeconds, webhookVariableName } from "./vault-alerts";
import { ephemeralOsDiskProblem } from "./vm-temp-disks";
import {
  AVAILABILITY_ZONES,
  AZURE_STACK_CLOUD,
  AlertRuleConfig,
  AppConfig,
  AvailabilityZone,
  BackendConfig,
  ClusterConfig,
  ClusterConnectionConfig,
  ChartSourceConfig,
  DriverConfig,
  FleetClusterConfig,
  ImagePullPolicy,
  KeyVaultConfig,
  OnRotation,
  NetworkConfig,
  NodePoolConfig,
  ProbeConfig,
  Profile,
  ResourceGroupConfig,
  SecretConfig,
  SecretObjectConfig,
  SecretSyncConfig,
  VaultAlertsConfig,
  WorkloadConfig,
  fileNameOf,
  KubeloginMode,
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
 * `now` is the instant secret expiration dates must lie after; tests pass a fixed one.
 */
export function parseConfig(raw: unknown, source = "embedded default config", now: Date = new Date()): AppConfig {
  const c = new Checker();
  // Editors read "$schema" (see config.schema.json); the app only checks that it is a string.
  const given = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  if (given) c.string("$schema", given.$schema);
  const withoutSchema = given ? Object.fromEntries(Object.entries(given).filter(([k]) => k !== "$schema")) : raw;
  const root = c.object("", withoutSchema, keysAt("").filter((k) => k !== "$schema")) ?? {};

  const profile: Profile = c.oneOf("profile", root.profile, enumAt<Profile>("profile")) ?? defaultAt<Profile>("profile");
  const lab = profile === "lab";
  const location = parseLocation(c, root.location);
  const namePrefix = c.string("namePrefix", root.namePrefix, RULES.namePrefix) ?? defaultAt<string>("namePrefix");
  const tags = parseTags(c, root.tags);
  const backend = parseBackend(c, root.backend, namePrefix);
  const resourceGroup = parseResourceGroup(c, root.resourceGroup, namePrefix);
  const network = parseNetwork(c, root.network);
  const keyVault = parseKeyVault(c, root.keyVault, { lab, now });
  const cluster = parseCluster(c, root.cluster, { namePrefix, lab, location });
  supportedCluster(c, cluster, now);
  runnerNetworkApplies(c, network, { privateVault: keyVault.networkAccess === "private", privateCluster: cluster.privateCluster });
  const workloads = parseWorkloads(c, root.workloads, { lab, keyVault, cluster });
  checkReloader(c, (root.cluster ?? {}) as Record<string, unknown>, root.workloads, workloads);

  if (!lab) {
    rejectVaultRelaxations(c, root, keyVault);
    rejectClusterRelaxations(c, (root.cluster ?? {}) as Record<string, unknown>, cluster);
  }
  checkAllowlists(c, lab, [["keyVault.allowedIpRanges", keyVault.allowedIpRanges], ["cluster.apiServerAuthorizedIpRanges", cluster.apiServerAuthorizedIpRanges]]);
  const clusters = root.clusters === undefined ? undefined : parseFleet(c, root, { lab, location, namePrefix, keyVault, now });

  // A private endpoint to the vault brings a private DNS zone, which keeps fewer tags than other resources.
  const dnsZone = clusters ? "each fleet cluster's private endpoint to the vault"
    : keyVault.networkAccess === "private" ? "keyVault.networkAccess \"private\"" : undefined;
  for (const [name, message] of dnsZone ? dnsZoneTagProblems(tags) : []) {
    c.report(name === undefined ? "tags" : join("tags", name), `${message} (this config creates one for ${dnsZone})`);
  }
  const single: AppConfig = { source, profile, location, namePrefix, tags, backend, resourceGroup, network, keyVault, cluster, workloads };
  const config = clusters ? { ...single, clusters } : single;
  checkSharedNames(c, config);
  // Judged on a config that is otherwise valid: a typo in a replica count would only add noise here.
  if (c.problems.length === 0) {
    checkRoleAssignmentLimit(c, config);
    const budget = requestBudget({ cluster, workloads, clusters });
    if (budget.level === "over") c.report("keyVault", describeBudget(budget));
  }
  if (c.problems.length > 0) throw new ConfigError(source, c.problems);
  return config;
}

/** Azure refuses the grant past its subscription's limit at apply time, half-way through a deploy; the config is refused instead. */
function checkRoleAssignmentLimit(c: Checker, config: AppConfig): void {
  const { limit, source } = IDENTITY_LIMITS.roleAssignmentsPerSubscription;
  const { total, parts, level } = roleAssignmentCount(config);
  if (level !== "over") return;
  c.report(config.clusters ? "clusters" : "workloads", `creates ${total} role assignments (${parts.map((p) => `${p.where}: ${p.count}`).join(", ")}), ` +
    `more than Azure's ${limit} per subscription, which cannot be raised (${source}); mount fewer objects, spread the clusters ` +
    `over more subscriptions, or set ${config.clusters ? "clusters[].cluster" : "cluster"}.grantScope to "vault" (one grant per identity and role)`);
}

/** Top-level keys a fleet sets per cluster instead. */
const PER_CLUSTER_KEYS = ["network", "cluster", "workloads"] as const;

/**
 * The fleet's clusters: each read like the single cluster's keys, under `clusters[i]`. Names
 * must be unique because they name the stacks (`cluster-<name>`, `workload-<name>`) and Azure
 * resources. No peering between clusters is offered (each reaches the vault through its own
 * private endpoint), so their VNets may overlap.
 */
function parseFleet(
  c: Checker,
  root: Record<string, unknown>,
  ctx: { lab: boolean; location: string; namePrefix: string; keyVault: KeyVaultConfig; now: Date },
): FleetClusterConfig[] {
  for (const key of PER_CLUSTER_KEYS) {
    if (root[key] !== undefined) c.report(key, `cannot be combined with clusters; set it per cluster as clusters[].${key}`);
  }
  const backend = (root.backend ?? {}) as Record<string, unknown>;
  if (backend.type === "cloud" && backend.workspaces !== undefined) {
    c.report("backend.workspaces", "cannot be combined with clusters: a fleet's stacks use the workspaces <namePrefix>-vault, " +
      "<namePrefix>-cluster-<name>, <namePrefix>-vault-endpoints and <namePrefix>-workload-<name>; leave it out");
  }
  if (ctx.keyVault.networkAccess === "private") {
    c.report("keyVault.networkAccess", "\"private\" is not available with clusters: the vault stack has no network to write secrets from; " +
      "must be \"allowlist\" (each cluster reaches the vault through a private endpoint in its own VNet)");
  }
  const list = c.array("clusters", root.clusters);
  if (Array.isArray(root.clusters) && list.length === 0) c.report("clusters", "is empty; list at least one cluster, or leave clusters out for a single cluster");
  if (list.length > KEY_VAULT_PRIVATE_ENDPOINTS_PER_VAULT) {
    c.report("clusters", `lists ${list.length} clusters, and each reaches the one vault through its own private endpoint; Key Vault allows at most ` +
      `${KEY_VAULT_PRIVATE_ENDPOINTS_PER_VAULT} private endpoints per vault (https://learn.microsoft.com/azure/key-vault/general/service-limits#azure-private-link-integration): ` +
      `split the fleet into fleets of at most ${KEY_VAULT_PRIVATE_ENDPOINTS_PER_VAULT} clusters, each with its own vault`);
  }
  const byName = new Map<string, number>();
  const out: FleetClusterConfig[] = [];
  list.forEach((item, i) => {
    const path = `clusters[${i}]`;
    const raw = c.object(path, item, keysAt("clusters[]"));
    if (!raw) return;
    const name = c.requiredString(`${path}.name`, raw.name, RULES.fleetClusterName);
    if (name !== undefined) {
      const prior = byName.get(name);
      if (prior !== undefined) {
        c.report(`${path}.name`, `${show(name)} is already used by clusters[${prior}]; cluster names must be unique because ` +
          `they name the stacks cluster-${name} and workload-${name}`);
      } else {
        byName.set(name, i);
      }
    }
    const s = c.within(path);
    const location = raw.location === undefined ? ctx.location : parseLocation(s, raw.location);
    const network = parseNetwork(s, raw.network);
    const cluster = parseCluster(s, raw.cluster, { namePrefix: `${ctx.namePrefix}-${name ?? i}`, lab: ctx.lab, location });
    supportedCluster(s, cluster, ctx.now);
    runnerNetworkApplies(s, network, { privateVault: false, privateCluster: cluster.privateCluster });
    const workloads = parseWorkloads(s, raw.workloads, { lab: ctx.lab, keyVault: ctx.keyVault, cluster });
    checkReloader(s, (raw.cluster ?? {}) as Record<string, unknown>, raw.workloads, workloads);
    if (!ctx.lab) rejectClusterRelaxations(s, (raw.cluster ?? {}) as Record<string, unknown>, cluster);
    checkAllowlists(s, ctx.lab, [["cluster.apiServerAuthorizedIpRanges", cluster.apiServerAuthorizedIpRanges]]);
    if (name !== undefined) out.push({ name, location, resourceGroupName: `rg-${ctx.namePrefix}-${name}`, network, cluster, workloads });
  });
  return out;
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
function rejectVaultRelaxations(c: Checker, root: Record<string, unknown>, keyVault: KeyVaultConfig): void {
  const raw = (root.keyVault ?? {}) as Record<string, unknown>;
  reportRelaxations(c, [
    ["keyVault.networkAccess", keyVault.networkAccess === "public", keyVault.networkAccess, "\"allowlist\" or \"private\""],
    ["keyVault.preventDestroy", raw.preventDestroy === false, false, "true"],
  ]);
}

/** The cluster's share of the lab relaxations; `rawCluster` is the cluster's raw config object. */
function rejectClusterRelaxations(c: Checker, rawCluster: Record<string, unknown>, cluster: ClusterConfig): void {
  reportRelaxations(c, [
    ["cluster.userNodePool", rawCluster.userNodePool === false, false, "a node pool (the default) so the system pool runs only critical add-ons"],
    ["cluster.localAccountsDisabled", !cluster.localAccountsDisabled, false, "true"],
    ["cluster.skuTier", cluster.skuTier === "Free", "Free", "\"Standard\""],
    ["cluster.oidcIssuerEnabled", !cluster.oidcIssuerEnabled, false, "true (workload identity)"],
  ]);
}

function reportRelaxations(c: Checker, relaxations: [path: string, relaxed: boolean, value: unknown, allowed: string][]): void {
  for (const [path, relaxed, value, allowed] of relaxations) {
    if (relaxed) c.report(path, `${show(value)} is only allowed in the lab profile; the hardened profile needs ${allowed} (or set "profile": "lab" for a throwaway lab)`);
  }
}

function isKnownRegion(location: string): boolean {
  return (AZURE_REGIONS as readonly string[]).includes(location);
}

function parseLocation(c: Checker, value: unknown): string {
  const location = c.string("location", value, RULES.location);
  if (location === undefined) return defaultAt<string>("location");
  if (!isKnownRegion(location)) {
    const guess = nearest(location, AZURE_REGIONS);
    c.report("location", `${show(location)} is not a known Azure region; must be a name from \`az account list-locations\` ` +
      `such as "westeurope"${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ""}`);
  } else if (cloudOf(location) !== "AzurePublicCloud") {
    // A sovereign cloud needs its own azurerm `environment`, kubelogin `--environment`, backend
    // endpoint and private DNS zone names (privatelink.vaultcore.usgovcloudapi.net, ...azure.cn);
    // every stack here targets the public cloud, so such a config would plan and then fail.
    c.report("location", `${show(location)} is a region of ${cloudOf(location)}; this app deploys to the Azure public cloud only ` +
      "(its azurerm provider, kubelogin and private DNS zones are the public cloud's); must be a public-cloud region such as \"westeurope\"");
  }
  return location;
}

function parseTags(c: Checker, value: unknown): Record<string, string> {
  const tags = c.stringMap("tags", value);
  const names = Object.keys(tags);
  if (names.length > MAX_TAGS) c.report("tags", `has ${names.length} tags; Azure allows at most ${MAX_TAGS} per resource`);
  const seen = new Map<string, string>();
  for (const [key, v] of Object.entries(tags)) {
    if (!RULES.tagName.pattern.test(key)) c.report(join("tags", key), `tag names are ${RULES.tagName.allowed}`);
    if (v.length > TAG_VALUE_MAX) c.report(join("tags", key), `tag values are at most ${TAG_VALUE_MAX} characters, got ${v.length}`);
    const prior = seen.get(key.toLowerCase());
    if (prior !== undefined) c.report(join("tags", key), `repeats tag name ${show(prior)}; Azure tag names are case-insensitive`);
    else seen.set(key.toLowerCase(), key);
  }
  return tags;
}

function parseBackend(c: Checker, value: unknown, namePrefix: string): BackendConfig {
  const given = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const withoutCredentials = given ? Object.fromEntries(Object.entries(given).filter(([k]) => !CREDENTIAL_KEYS.includes(k))) : value;
  const variant = readVariant<BackendConfig["type"]>(c, "backend", "backend", withoutCredentials);
  for (const key of CREDENTIAL_KEYS) {
    if (given && key in given) {
      c.report(join("backend", key), "credentials are never accepted in the config; sign in with `az login` " +
        "(azurerm uses Entra ID auth) or `terraform login` (cloud)");
    }
  }
  if (!variant) return { type: "local", stateDir: defaultAt<string>("backend.stateDir") };
  const { type, raw } = variant;
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
      keyPrefix: c.string("backend.keyPrefix", raw.keyPrefix, RULES.stateKeyPrefix) ?? defaultAt<string>("backend.keyPrefix"),
      subscriptionId: c.string("backend.subscriptionId", raw.subscriptionId, RULES.uuid),
      tenantId: c.string("backend.tenantId", raw.tenantId, RULES.uuid),
    };
  }
  if (type === "cloud") {
    const workspacesRaw = raw.workspaces;
    // Named after the config's identity, like local state paths and azurerm keys, so two configs never share state.
    let platform = `${namePrefix}-platform`;
    let workload = `${namePrefix}-workload`;
    if (workspacesRaw !== undefined) {
      // "tags" is no workspaces key, but it gets its own sentence below rather than "unknown key".
      const ws = c.object("backend.workspaces", workspacesRaw, [...keysAt("backend.workspaces"), "tags"]) ?? {};
      if ("tags" in ws) {
        c.report("backend.workspaces.tags", "tagged workspaces cannot carry the workload stack's remote-state " +
          "reference to the platform; name one workspace per stack with \"platform\" and \"workload\"");
      }
      // That each stack gets its own workspace is checked with the other shared names (shared-names.ts).
      platform = c.requiredString("backend.workspaces.platform", ws.platform, RULES.workspaceName) ?? "";
      workload = c.requiredString("backend.workspaces.workload", ws.workload, RULES.workspaceName) ?? "";
    }
    return {
      type,
      organization: required("organization", RULES.organization),
      hostname: c.string("backend.hostname", raw.hostname, RULES.hostname),
      workspaces: { platform, workload },
    };
  }
  return { type: "local", stateDir: c.string("backend.stateDir", raw.stateDir, RULES.relativeDir) ?? defaultAt<string>("backend.stateDir") };
}

function parseResourceGroup(c: Checker, value: unknown, namePrefix: string): ResourceGroupConfig {
  const raw = c.object("resourceGroup", value, keysAt("resourceGroup")) ?? {};
  const existing = c.boolean("resourceGroup.existing", raw.existing) ?? defaultAt<boolean>("resourceGroup.existing");
  if (existing && raw.name === undefined) {
    c.report("resourceGroup.name", "is required when resourceGroup.existing is true: name the group to use");
  }
  return { name: c.string("resourceGroup.name", raw.name, RULES.resourceGroupName) ?? `rg-${namePrefix}`, existing };
}

/**
 * AKS's own default service range (the schema's default). It lies outside the default VNet
 * (10.40.0.0/16), and AKS refuses a service range that overlaps the cluster's VNet or subnets:
 * https://learn.microsoft.com/azure/aks/azure-cni-overlay#ip-address-planning
 */
const DEFAULT_SERVICE_CIDR = defaultAt<string>("network.serviceCidr");

/** A CIDR that also has its host bits cleared: Azure rejects "10.40.1.0/16" instead of rounding it. */
function networkCidr(c: Checker, path: string, value: unknown): string | undefined {
  const cidr = c.string(path, value, RULES.cidr);
  if (cidr !== undefined && hasHostBits(cidr)) {
    c.report(path, `${show(cidr)} has host bits set; must be the range's first address, i.e. ${JSON.stringify(canonicalCidr(cidr))}`);
    return undefined;
  }
  return cidr;
}

function parseNetwork(c: Checker, value: unknown): NetworkConfig {
  const raw = c.object("network", value, keysAt("network")) ?? {};
  const vnet = networkCidr(c, "network.vnetAddressSpace", raw.vnetAddressSpace);
  const cluster = networkCidr(c, "network.clusterSubnetPrefix", raw.clusterSubnetPrefix);
  const endpoint = networkCidr(c, "network.endpointSubnetPrefix", raw.endpointSubnetPrefix);
  const service = networkCidr(c, "network.serviceCidr", raw.serviceCidr);
  const pods = networkCidr(c, "network.podCidr", raw.podCidr);
  const dnsIp = c.string("network.dnsServiceIp", raw.dnsServiceIp, RULES.ipv4);
  const network: NetworkConfig = {
    vnetAddressSpace: vnet ?? defaultAt<string>("network.vnetAddressSpace"),
    clusterSubnetPrefix: cluster ?? defaultAt<string>("network.clusterSubnetPrefix"),
    endpointSubnetPrefix: endpoint ?? defaultAt<string>("network.endpointSubnetPrefix"),
    serviceCidr: service ?? DEFAULT_SERVICE_CIDR,
    dnsServiceIp: dnsIp ?? numberToIp(parseCidr(service ?? DEFAULT_SERVICE_CIDR).first + 10),
    podCidr: pods ?? DEFAULT_POD_CIDR,
    runnerVnetId: c.string("network.runnerVnetId", raw.runnerVnetId, RULES.vnetId),
  };
  // Checks between ranges use only values that passed their own check, so one typo is one problem.
  const usable = (given: unknown, parsed: string | undefined) => given === undefined || parsed !== undefined;
  const subnets = [
    ["network.clusterSubnetPrefix", network.clusterSubnetPrefix, usable(raw.clusterSubnetPrefix, cluster)],
    ["network.endpointSubnetPrefix", network.endpointSubnetPrefix, usable(raw.endpointSubnetPrefix, endpoint)],
  ] as const;
  const vnetOk = usable(raw.vnetAddressSpace, vnet);
  for (const [path, subnet, ok] of subnets) {
    if (ok && vnetOk && !cidrContains(network.vnetAddressSpace, subnet)) {
      c.report(path, `${show(subnet)} is outside network.vnetAddressSpace ${show(network.vnetAddressSpace)}; a subnet must lie inside its VNet`);
    }
  }
  if (subnets.every(([, , ok]) => ok) && cidrsOverlap(subnets[0][1], subnets[1][1])) {
    c.report("network.endpointSubnetPrefix", `${show(subnets[1][1])} overlaps network.clusterSubnetPrefix ${show(subnets[0][1])}; subnets must not overlap`);
  }
  const serviceOk = usable(raw.serviceCidr, service);
  if (serviceOk) {
    for (const [path, range, ok] of [["network.vnetAddressSpace", network.vnetAddressSpace, vnetOk], ...subnets] as const) {
      if (ok && cidrsOverlap(network.serviceCidr, range)) {
        c.report("network.serviceCidr", `${show(network.serviceCidr)} overlaps ${path} ${show(range)}; ` +
          `the Kubernetes service range must lie outside the VNet and its subnets (AKS's default is ${JSON.stringify(DEFAULT_SERVICE_CIDR)})`);
        break;
      }
    }
  }
  // Azure CNI overlay: "Pod CIDR space must not overlap with the cluster subnet range", and the
  // service range "shouldn't overlap with the pod CIDR range"
  // (https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-overlay#ip-address-planning).
  // The whole VNet is refused, not only the node subnet: pods reach the private endpoint subnet too.
  if (usable(raw.podCidr, pods)) {
    for (const [path, range, ok] of [["network.vnetAddressSpace", network.vnetAddressSpace, vnetOk], ["network.serviceCidr", network.serviceCidr, serviceOk]] as const) {
      if (ok && cidrsOverlap(network.podCidr, range)) {
        c.report("network.podCidr", `${show(network.podCidr)} overlaps ${path} ${show(range)}; the pod range of Azure CNI overlay must lie outside ` +
          `the VNet and the service range (AKS's default is ${JSON.stringify(DEFAULT_POD_CIDR)})`);
      }
    }
  }
  if (serviceOk && raw.dnsServiceIp === undefined && !cidrContainsIp(network.serviceCidr, network.dnsServiceIp)) {
    c.report("network.serviceCidr", `${show(network.serviceCidr)} has no room for the default DNS service IP ${show(network.dnsServiceIp)}; ` +
      "use a larger range or set network.dnsServiceIp");
  }
  if (serviceOk && dnsIp !== undefined) {
    const { first, last } = parseCidr(network.serviceCidr);
    // The first address names the range and the next one is the `kubernetes` Service's ClusterIP.
    const reserved = [first, first + 1, last].map(numberToIp);
    if (!cidrContainsIp(network.serviceCidr, dnsIp) || reserved.includes(dnsIp)) {
      c.report("network.dnsServiceIp", `${show(dnsIp)} is not usable; must be an address inside network.serviceCidr ` +
        `${show(network.serviceCidr)} other than ${reserved.join(", ")}, e.g. ${JSON.stringify(numberToIp(first + 10))}`);
    }
  }
  return network;
}

/**
 * Allowlists: a range with host bits set is a typo Azure rejects, and a /0 range allows every
 * address, which the hardened profile refuses like its other relaxations.
 */
function checkAllowlists(c: Checker, lab: boolean, lists: readonly (readonly [path: string, ranges: readonly string[]])[]): void {
  for (const [path, ranges] of lists) {
    ranges.forEach((range, i) => {
      if (hasHostBits(range)) {
        c.report(`${path}[${i}]`, `${show(range)} has host bits set; must be the range's first address, i.e. ${JSON.stringify(canonicalCidr(range))}`);
      } else if (!lab && parseCidr(range).prefix === 0) {
        c.report(`${path}[${i}]`, `${show(range)} allows every address, which is only allowed in the lab profile; ` +
          "the hardened profile needs specific ranges (or set \"profile\": \"lab\" for a throwaway lab)");
      }
    });
  }
}

function parseKeyVault(
  c: Checker,
  value: unknown,
  ctx: { lab: boolean; now: Date },
): KeyVaultConfig {
  const raw = c.object("keyVault", value, keysAt("keyVault")) ?? {};
  const secrets: SecretConfig[] = [];
  const seen = new Map<string, number>();
  c.array("keyVault.secrets", raw.secrets).forEach((item, i) => {
    const path = `keyVault.secrets[${i}]`;
    const s = c.object(path, item, keysAt("keyVault.secrets[]"));
    if (!s) return;
    const name = c.requiredString(`${path}.name`, s.name, RULES.secretName);
    const source = c.oneOf(`${path}.source`, s.source, enumAt<SecretConfig["source"]>("keyVault.secrets[].source")) ?? defaultAt<SecretConfig["source"]>("keyVault.secrets[].source");
    const expirationDate = c.string(`${path}.expirationDate`, s.expirationDate, RULES.rfc3339Utc);
    if (expirationDate && !isRealUtcTime(expirationDate)) {
      c.report(`${path}.expirationDate`, `${show(expirationDate)} is not a real date; must be ${RULES.rfc3339Utc.allowed}`);
    } else if (expirationDate && Date.parse(expirationDate) <= ctx.now.getTime()) {
      // Key Vault stores an expired secret, but the driver then fails every mount of it.
      c.report(`${path}.expirationDate`, `${show(expirationDate)} is in the past; must be a later time, ${RULES.rfc3339Utc.allowed}`);
    }
    if (source === "managed" && s.expirationDate === undefined && !ctx.lab) {
      c.report(`${path}.expirationDate`, `is required for managed secrets in the hardened profile; must be ${RULES.rfc3339Utc.allowed}`);
    }
    if (source === "external" && s.valueVersion !== undefined) {
      c.report(`${path}.valueVersion`, "applies only to managed secrets; an external secret's value is not written by this app");
    }
    const contentType = c.string(`${path}.contentType`, s.contentType, RULES.contentType) ?? defaultAt<string>("keyVault.secrets[].contentType");
    const valueVersion = c.integer(`${path}.valueVersion`, s.valueVersion, ...rangeAt("keyVault.secrets[].valueVersion")) ?? defaultAt<number>("keyVault.secrets[].valueVersion");
    if (name) {
      const key = name.toLowerCase();
      if (seen.has(key)) c.report(`${path}.name`, `${show(name)} is already declared by keyVault.secrets[${seen.get(key)}] (Key Vault names are case-insensitive)`);
      else seen.set(key, i);
      secrets.push({ name, source, contentType, expirationDate, valueVersion });
    }
  });

  const networkAccess = c.oneOf("keyVault.networkAccess", raw.networkAccess, enumAt<KeyVaultConfig["networkAccess"]>("keyVault.networkAccess"))
    ?? (ctx.lab ? "public" : "allowlist");
  const allowedIpRanges = c.stringList("keyVault.allowedIpRanges", raw.allowedIpRanges, RULES.cidr);
  if (networkAccess !== "allowlist" && allowedIpRanges.length > 0) {
    c.report("keyVault.allowedIpRanges", `only applies when keyVault.networkAccess is "allowlist", got networkAccess ${show(networkAccess)}`);
  }
  return {
    // Unset, the platform stack computes a name unique per subscription at plan time.
    name: c.string("keyVault.name", raw.name, RULES.keyVaultName),
    rbacPropagationWait: c.string("keyVault.rbacPropagationWait", raw.rbacPropagationWait, RULES.duration)
      ?? defaultAt<string>("keyVault.rbacPropagationWait"),
    sku: c.oneOf("keyVault.sku", raw.sku, enumAt<KeyVaultConfig["sku"]>("keyVault.sku")) ?? defaultAt<KeyVaultConfig["sku"]>("keyVault.sku"),
    softDeleteRetentionDays: c.integer("keyVault.softDeleteRetentionDays", raw.softDeleteRetentionDays, ...rangeAt("keyVault.softDeleteRetentionDays"))
      ?? defaultAt<number>("keyVault.softDeleteRetentionDays"),
    preventDestroy: c.boolean("keyVault.preventDestroy", raw.preventDestroy) ?? !ctx.lab,
    networkAccess,
    allowedIpRanges,
    logRetentionDays: c.integer("keyVault.logRetentionDays", raw.logRetentionDays, ...rangeAt("keyVault.logRetentionDays")) ?? defaultAt<number>("keyVault.logRetentionDays"),
    alerts: parseVaultAlerts(c, raw.alerts, ctx.lab),
    secrets,
  };
}

const ALERTS = "keyVault.alerts";
/** Keys that would carry a webhook's URL, which holds its token: a credential, so never in the config. */
const WEBHOOK_URL_KEYS = ["webhookUrls", "serviceUri", "uri", "url"];

function parseVaultAlerts(c: Checker, value: unknown, lab: boolean): VaultAlertsConfig {
  const given = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const withoutUrls = given ? Object.fromEntries(Object.entries(given).filter(([k]) => !WEBHOOK_URL_KEYS.includes(k))) : value;
  const raw = c.object(ALERTS, withoutUrls, keysAt(ALERTS)) ?? {};
  for (const key of WEBHOOK_URL_KEYS) {
    if (given && key in given) {
      c.report(`${ALERTS}.${key}`, "webhook URLs carry their token and are never accepted in the config; name the receiver in " +
        `${ALERTS}.webhooks (e.g. "pager") and pass its URL as TF_VAR_${webhookVariableName("pager")}`);
    }
  }
  const enabled = c.boolean(`${ALERTS}.enabled`, raw.enabled) ?? !lab;
  if (!lab && raw.enabled === false) {
    reportRelaxations(c, [[`${ALERTS}.enabled`, true, false, "true (denied reads, throttling and expiring secrets alert someone)"]]);
  }
  const emails = c.stringList(`${ALERTS}.emails`, raw.emails, RULES.email);
  const emailRoles = raw.emailRoles === undefined
    ? defaultAt<AlertEmailRole[]>(`${ALERTS}.emailRoles`)
    : c.array(`${ALERTS}.emailRoles`, raw.emailRoles).flatMap((role, i) => c.oneOf(`${ALERTS}.emailRoles[${i}]`, role, enumAt<AlertEmailRole>(`${ALERTS}.emailRoles[]`)) ?? []);
  const webhooks: string[] = [];
  c.array(`${ALERTS}.webhooks`, raw.webhooks).forEach((item, i) => {
    if (typeof item === "string" && /^[a-z][a-z0-9+.-]*:\/\//i.test(item)) {
      c.report(`${ALERTS}.webhooks[${i}]`, "is a URL; webhook URLs carry their token and are never accepted in the config: " +
        `name the receiver here (e.g. "pager") and pass its URL as TF_VAR_${webhookVariableName("pager")}`);
      return;
    }
    const name = c.string(`${ALERTS}.webhooks[${i}]`, item, RULES.receiverName);
    if (name !== undefined) webhooks.push(name);
  });
  for (const [path, list] of [[`${ALERTS}.emails`, emails], [`${ALERTS}.emailRoles`, emailRoles], [`${ALERTS}.webhooks`, webhooks]] as const) {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.toLowerCase())) c.report(`${path}[${i}]`, `${show(item)} is listed twice; list each once`);
      seen.add(item.toLowerCase());
    });
  }
  if (enabled && emails.length + emailRoles.length + webhooks.length === 0 && c.problems.every((p) => !p.path.startsWith(`${ALERTS}.`))) {
    c.report(ALERTS, "alerts are on but notify nobody; list at least one of emails, emailRoles or webhooks (or set enabled to false in the lab profile)");
  }
  const expiry = c.object(`${ALERTS}.secretExpiry`, raw.secretExpiry, keysAt(`${ALERTS}.secretExpiry`)) ?? {};
  return {
    enabled,
    emails,
    emailRoles,
    webhooks,
    deniedReads: parseAlertRule(c, `${ALERTS}.deniedReads`, raw.deniedReads),
    throttling: parseAlertRule(c, `${ALERTS}.throttling`, raw.throttling),
    secretExpiry: {
      daysBefore: c.integer(`${ALERTS}.secretExpiry.daysBefore`, expiry.daysBefore, ...rangeAt(`${ALERTS}.secretExpiry.daysBefore`))
        ?? defaultAt<number>(`${ALERTS}.secretExpiry.daysBefore`),
      severity: c.integer(`${ALERTS}.secretExpiry.severity`, expiry.severity, ...rangeAt(`${ALERTS}.secretExpiry.severity`))
        ?? defaultAt<number>(`${ALERTS}.secretExpiry.severity`),
    },
  };
}

function parseAlertRule(c: Checker, path: string, value: unknown): AlertRuleConfig {
  const raw = c.object(path, value, keysAt(path)) ?? {};
  const rule: AlertRuleConfig = {
    threshold: c.integer(`${path}.threshold`, raw.threshold, ...rangeAt(`${path}.threshold`)) ?? defaultAt<number>(`${path}.threshold`),
    window: c.oneOf(`${path}.window`, raw.window, enumAt<AlertWindow>(`${path}.window`)) ?? defaultAt<AlertWindow>(`${path}.window`),
    frequency: c.oneOf(`${path}.frequency`, raw.frequency, enumAt<AlertFrequency>(`${path}.frequency`)) ?? defaultAt<AlertFrequency>(`${path}.frequency`),
    severity: c.integer(`${path}.severity`, raw.severity, ...rangeAt(`${path}.severity`)) ?? defaultAt<number>(`${path}.severity`),
  };
  // Azure Monitor refuses a log search alert whose frequency is longer than its window
  // (https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule#configure-the-alert-rule-conditions).
  if (alertSeconds(rule.frequency) > alertSeconds(rule.window)) {
    c.report(`${path}.window`, `${show(rule.window)} is shorter than frequency ${show(rule.frequency)}; the window must be at least the frequency`);
  }
  return rule;
}

function parseNodePool(c: Checker, path: string, value: unknown, defaults: NodePoolConfig): NodePoolConfig {
  const raw = c.object(path, value, keysAt(path)) ?? {};
  const nodeCount = c.integer(`${path}.nodeCount`, raw.nodeCount, ...rangeAt(`${path}.nodeCount`)) ?? defaults.nodeCount;
  let autoscaling = defaults.autoscaling;
  if (raw.autoscaling === false) {
    autoscaling = undefined;
  } else if (raw.autoscaling !== undefined) {
    const a = c.object(`${path}.autoscaling`, raw.autoscaling, keysAt(`${path}.autoscaling`)) ?? {};
    const minCount = c.integer(`${path}.autoscaling.minCount`, a.minCount, ...rangeAt(`${path}.autoscaling.minCount`)) ?? defaults.autoscaling?.minCount ?? 1;
    const maxCount = c.integer(`${path}.autoscaling.maxCount`, a.maxCount, ...rangeAt(`${path}.autoscaling.maxCount`)) ?? defaults.autoscaling?.maxCount ?? 3;
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
    maxPods: c.integer(`${path}.maxPods`, raw.maxPods, ...rangeAt(`${path}.maxPods`)) ?? defaults.maxPods,
  };
}

/**
 * The cluster's keys, with the defaults of its profile (`lab`) and of its region (`location`,
 * the top level's or a fleet cluster's own): both node pools span every zone where the region
 * has zones, and none where it has not.
 */
function parseCluster(c: Checker, value: unknown, ctx: { readonly namePrefix: string; readonly lab: boolean; readonly location: string }): ClusterConfig {
  const { namePrefix, lab, location } = ctx;
  const raw = c.object("cluster", value, keysAt("cluster")) ?? {};

  const rotation = c.string("cluster.secretRotationInterval", raw.secretRotationInterval, RULES.duration) ?? defaultAt<string>("cluster.secretRotationInterval");
  if (durationSeconds(rotation) < MIN_ROTATION_SECONDS) {
    c.report("cluster.secretRotationInterval", `${show(rotation)} is below the floor of ${MIN_ROTATION_SECONDS}s; must be at least "30s"`);
  }
  const systemNodePool = parseNodePool(c, "cluster.systemNodePool", raw.systemNodePool, {
    name: "system", vmSize: defaultAt("cluster.systemNodePool.vmSize"), nodeCount: lab ? 1 : 2,
    autoscaling: lab ? undefined : { minCount: 2, maxCount: 3 }, maxPods: defaultAt("cluster.systemNodePool.maxPods"),
  });
  const userPoolDefaults: NodePoolConfig = {
    name: "user", vmSize: defaultAt("cluster.userNodePool.vmSize"), nodeCount: 2, autoscaling: { minCount: 2, maxCount: 5 },
    maxPods: defaultAt("cluster.userNodePool.maxPods"),
  };
  let userNodePool: NodePoolConfig | undefined;
  if (raw.userNodePool === false) userNodePool = undefined;
  else if (raw.userNodePool === undefined) userNodePool = lab ? undefined : userPoolDefaults;
  else userNodePool = parseNodePool(c, "cluster.userNodePool", raw.userNodePool, userPoolDefaults);
  if (userNodePool && userNodePool.name === systemNodePool.name) {
    c.report("cluster.userNodePool.name", `${show(userNodePool.name)} is also the system pool's name; node pool names must differ`);
  }

  const privateCluster = c.boolean("cluster.privateCluster", raw.privateCluster) ?? defaultAt<boolean>("cluster.privateCluster");
  const apiServerAuthorizedIpRanges = c.stringList("cluster.apiServerAuthorizedIpRanges", raw.apiServerAuthorizedIpRanges, RULES.cidr);
  if (privateCluster && apiServerAuthorizedIpRanges.length > 0) {
    c.report("cluster.apiServerAuthorizedIpRanges", "cannot be combined with cluster.privateCluster: a private API server has no public endpoint to restrict");
  }
  const localAccountsDisabled = c.boolean("cluster.localAccountsDisabled", raw.localAccountsDisabled) ?? !lab;
  const kubeloginMode = c.oneOf("cluster.kubeloginMode", raw.kubeloginMode, enumAt<KubeloginMode>("cluster.kubeloginMode"))
    ?? defaultAt<KubeloginMode>("cluster.kubeloginMode");
  if (!localAccountsDisabled && raw.kubeloginMode !== undefined) {
    c.report("cluster.kubeloginMode", "only applies when cluster.localAccountsDisabled is true; with local accounts the providers use the cluster's admin certificate");
  }
  const connection = parseConnection(c, raw.connection);
  if (connection.type === "kubeconfig" && raw.kubeloginMode !== undefined) {
    c.report("cluster.kubeloginMode", "does not apply with cluster.connection.type \"kubeconfig\": the kubeconfig's context says how to authenticate");
  }
  const driver = parseDriver(c, raw.driver);
  const oidcIssuerEnabled = c.boolean("cluster.oidcIssuerEnabled", raw.oidcIssuerEnabled) ?? defaultAt<boolean>("cluster.oidcIssuerEnabled");
  if (driver.type === "helm" && !oidcIssuerEnabled) {
    c.report("cluster.oidcIssuerEnabled", "false cannot be combined with cluster.driver.type \"helm\": without the add-on, workloads read the vault " +
      "through workload identity, which needs the OIDC issuer; must be true");
  }
  const zoneRule = { pattern: /^[123]$/, allowed: "\"1\", \"2\" or \"3\"" };
  const zonal = REGIONS_WITH_ZONES.has(location);
  const zones = raw.availabilityZones === undefined
    ? (zonal ? AVAILABILITY_ZONES : []).map((zone) => ({ zone, i: 0 }))
    : c.array("cluster.availabilityZones", raw.availabilityZones).flatMap((zone, i) => {
      const z = c.string(`cluster.availabilityZones[${i}]`, zone, zoneRule) as AvailabilityZone | undefined;
      return z === undefined ? [] : [{ zone: z, i }];
    });
  const availabilityZones: AvailabilityZone[] = [];
  for (const { zone, i } of zones) {
    if (availabilityZones.includes(zone)) c.report(`cluster.availabilityZones[${i}]`, `${show(zone)} is listed twice; list each zone once`);
    else availabilityZones.push(zone);
  }
  // An unknown region is reported at location already; whether it has zones is then unknown.
  if (availabilityZones.length > 0 && !zonal && isKnownRegion(location)) {
    c.report("cluster.availabilityZones", `${show(availabilityZones)} asks for availability zones, but ${show(location)} has none ` +
      "(https://learn.microsoft.com/azure/reliability/regions-list); must be [] there, or choose a region with zones");
  }
  const ephemeralOsDisk = c.boolean("cluster.ephemeralOsDisk", raw.ephemeralOsDisk) ?? defaultAt<boolean>("cluster.ephemeralOsDisk");
  if (ephemeralOsDisk) {
    for (const [key, pool] of [["systemNodePool", systemNodePool], ["userNodePool", userNodePool]] as const) {
      const given = (raw[key] as Record<string, unknown> | undefined)?.vmSize;
      // A vmSize that broke its own rule is reported already; the default in its place is no news.
      if (!pool || (given !== undefined && given !== pool.vmSize)) continue;
      const problem = ephemeralOsDiskProblem(pool.vmSize);
      if (problem) c.report(`cluster.${key}.vmSize`, `${show(pool.vmSize)} ${problem}, or set cluster.ephemeralOsDisk to false`);
    }
  }
  const automaticUpgradeChannel = c.oneOf("cluster.automaticUpgradeChannel", raw.automaticUpgradeChannel,
    enumAt<ClusterConfig["automaticUpgradeChannel"]>("cluster.automaticUpgradeChannel"))
    ?? defaultAt<ClusterConfig["automaticUpgradeChannel"]>("cluster.automaticUpgradeChannel");
  const nodeOsUpgradeChannel = c.oneOf("cluster.nodeOsUpgradeChannel", raw.nodeOsUpgradeChannel,
    enumAt<ClusterConfig["nodeOsUpgradeChannel"]>("cluster.nodeOsUpgradeChannel"))
    ?? defaultAt<ClusterConfig["nodeOsUpgradeChannel"]>("cluster.nodeOsUpgradeChannel");
  const requiredNodeOsChannel = NODE_OS_CHANNEL_REQUIRED_BY[automaticUpgradeChannel];
  if (requiredNodeOsChannel !== undefined && nodeOsUpgradeChannel !== requiredNodeOsChannel) {
    c.report("cluster.nodeOsUpgradeChannel", `${show(nodeOsUpgradeChannel)} cannot be combined with cluster.automaticUpgradeChannel ` +
      `${show(automaticUpgradeChannel)}: AKS then keeps the node OS channel at ${show(requiredNodeOsChannel)}; must be ` +
      `${show(requiredNodeOsChannel)}, or choose another cluster.automaticUpgradeChannel`);
  }
  return {
    name: c.string("cluster.name", raw.name, RULES.clusterName) ?? `aks-${namePrefix}`,
    dnsPrefix: c.string("cluster.dnsPrefix", raw.dnsPrefix, RULES.dnsPrefix) ?? namePrefix,
    kubernetesVersion: c.string("cluster.kubernetesVersion", raw.kubernetesVersion, RULES.kubernetesVersion),
    skuTier: c.oneOf("cluster.skuTier", raw.skuTier, enumAt<ClusterConfig["skuTier"]>("cluster.skuTier")) ?? (lab ? "Free" : "Standard"),
    systemNodePool,
    userNodePool,
    secretRotationInterval: rotation,
    grantScope: c.oneOf("cluster.grantScope", raw.grantScope, enumAt<ClusterConfig["grantScope"]>("cluster.grantScope"))
      ?? defaultAt<ClusterConfig["grantScope"]>("cluster.grantScope"),
    oidcIssuerEnabled,
    localAccountsDisabled,
    kubeloginMode,
    availabilityZones,
    adminGroupObjectIds: c.stringList("cluster.adminGroupObjectIds", raw.adminGroupObjectIds, RULES.uuid),
    networkPolicy: c.oneOf("cluster.networkPolicy", raw.networkPolicy, enumAt<ClusterConfig["networkPolicy"]>("cluster.networkPolicy"))
      ?? defaultAt<ClusterConfig["networkPolicy"]>("cluster.networkPolicy"),
    automaticUpgradeChannel,
    nodeOsUpgradeChannel,
    apiServerAuthorizedIpRanges,
    privateCluster,
    hostEncryption: c.boolean("cluster.hostEncryption", raw.hostEncryption) ?? defaultAt<boolean>("cluster.hostEncryption"),
    ephemeralOsDisk,
    connection,
    driver,
    reloaderChart: parseChartSource(c, "cluster.reloaderChart", raw.reloaderChart, RELOADER_CHART),
  };
}

/**
 * A cluster installs Stakater Reloader exactly when one of its workloads restarts on rotation, so
 * its chart source applies only then, and its namespace is then taken. "restart" needs the
 * driver's rotation, which is always on here (the add-on's secretRotationEnabled and the driver
 * chart's enableSecretRotation), so no setting can contradict it.
 */
function checkReloader(c: Checker, rawCluster: Record<string, unknown>, rawWorkloads: unknown, workloads: readonly WorkloadConfig[]): void {
  if (!workloads.some((w) => w.onRotation === "restart")) {
    if (rawCluster.reloaderChart !== undefined) {
      c.report("cluster.reloaderChart", "only applies when a workload of this cluster sets onRotation \"restart\" (Reloader is installed only then); leave it out");
    }
    return;
  }
  // Raw items, so each path names the workload's own index even when an earlier one was invalid.
  (Array.isArray(rawWorkloads) ? rawWorkloads : []).forEach((raw, i) => {
    const w = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    if ((w.namespace ?? w.name) === RELOADER_NAMESPACE) {
      c.report(`workloads[${i}].namespace`, `${show(RELOADER_NAMESPACE)} is Stakater Reloader's namespace on this cluster (a workload sets ` +
        "onRotation \"restart\"); give the workload another namespace");
    }
  });
}

function parseDriver(c: Checker, value: unknown): DriverConfig {
  const variant = readVariant<DriverConfig["type"]>(c, "cluster.driver", "driver", value);
  if (variant?.type !== "helm") return { type: "addon" };
  return {
    type: "helm",
    driverChart: parseChartSource(c, "cluster.driver.driverChart", variant.raw.driverChart, DRIVER_CHARTS.driver),
    providerChart: parseChartSource(c, "cluster.driver.providerChart", variant.raw.providerChart, DRIVER_CHARTS.provider),
  };
}

/**
 * An object whose `type` picks one variant of the schema's union at `path`; keys of another
 * variant are reported as not applying. Undefined when the type itself is misspelt: that is
 * reported already, and judging the other keys against a guessed type would only add noise.
 */
function readVariant<T extends string>(c: Checker, path: string, noun: string, value: unknown): { type: T; raw: Record<string, unknown> } | undefined {
  const raw = c.object(path, value, keysAt(path)) ?? {};
  const type = c.oneOf(`${path}.type`, raw.type, enumAt<T>(path));
  if (type === undefined && raw.type !== undefined) return undefined;
  const chosen = type ?? defaultAt<T>(`${path}.type`);
  const allowed = variantKeysAt(path)[chosen];
  for (const key of Object.keys(raw)) {
    if (keysAt(path).includes(key) && !allowed.includes(key)) {
      c.report(join(path, key), `does not apply to ${noun} type ${JSON.stringify(chosen)}; allowed keys: ${allowed.join(", ")}`);
    }
  }
  return { type: chosen, raw };
}

function parseChartSource(c: Checker, path: string, value: unknown, defaults: ChartSourceConfig): ChartSourceConfig {
  const raw = c.object(path, value, keysAt(path)) ?? {};
  return {
    repository: c.string(`${path}.repository`, raw.repository, RULES.chartRepository) ?? defaults.repository,
    version: c.string(`${path}.version`, raw.version, RULES.chartVersion) ?? defaults.version,
  };
}

function parseConnection(c: Checker, value: unknown): ClusterConnectionConfig {
  const variant = readVariant<ClusterConnectionConfig["type"]>(c, "cluster.connection", "connection", value);
  if (variant?.type !== "kubeconfig") return { type: "aks" };
  const raw = variant.raw;
  // A kubeconfig's current context changes with `kubectl config use-context`; naming the context
  // keeps a plan from silently targeting whichever cluster was selected last.
  return {
    type: "kubeconfig",
    path: c.string("cluster.connection.path", raw.path, RULES.kubeconfigPath) ?? defaultAt<string>("cluster.connection.path"),
    context: c.requiredString("cluster.connection.context", raw.context, RULES.kubeconfigContext) ?? "",
  };
}

/** Schema path of a mounted object. */
const OBJECT = "workloads[].objects[]";

function parseObject(c: Checker, path: string, value: unknown): SecretObjectConfig | undefined {
  const o = c.object(path, value, keysAt(OBJECT));
  if (!o) return undefined;
  const objectName = c.requiredString(`${path}.objectName`, o.objectName, RULES.secretName);
  const objectType = c.oneOf(`${path}.objectType`, o.objectType, enumAt<SecretObjectConfig["objectType"]>(`${OBJECT}.objectType`))
    ?? defaultAt<SecretObjectConfig["objectType"]>(`${OBJECT}.objectType`);
  const objectFormat = c.oneOf(`${path}.objectFormat`, o.objectFormat, enumAt<NonNullable<SecretObjectConfig["objectFormat"]>>(`${OBJECT}.objectFormat`));
  const objectEncoding = c.oneOf(`${path}.objectEncoding`, o.objectEncoding, enumAt<NonNullable<SecretObjectConfig["objectEncoding"]>>(`${OBJECT}.objectEncoding`));
  if (objectFormat === "pfx" && objectType !== "secret") {
    c.report(`${path}.objectFormat`, `"pfx" is only allowed for objectType "secret", got objectType ${show(objectType)}`);
  }
  if (objectEncoding !== undefined && objectType !== "secret") {
    c.report(`${path}.objectEncoding`, `is only allowed for objectType "secret", got objectType ${show(objectType)}`);
  }
  const objectAlias = c.string(`${path}.objectAlias`, o.objectAlias, RULES.fileName);
  const objectVersion = c.string(`${path}.objectVersion`, o.objectVersion, RULES.objectVersion);
  const filePermission = c.string(`${path}.filePermission`, o.filePermission, RULES.filePermission);
  // Files are owned by root and the driver ignores fsGroup (Azure/secrets-store-csi-driver-provider-azure#938,
  // kubernetes-sigs/secrets-store-csi-driver#858); the pod runs as uid 65532, so only the bits for others apply.
  if (filePermission !== undefined && !RULES.readableFilePermission.pattern.test(filePermission)) {
    c.report(`${path}.filePermission`, `${show(filePermission)} leaves the file unreadable by the pod's non-root user ` +
      "(files are owned by root and the driver ignores fsGroup); must keep the read bit for others, e.g. \"0444\"");
  }
  if (!objectName) return undefined;
  return { objectName, objectType, objectAlias, objectVersion, objectFormat, objectEncoding, filePermission };
}

/** Paths the demo pod mounts besides the secrets volume (a writable /tmp under a read-only root). */
export const RESERVED_MOUNT_PATHS = ["/tmp"];

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/**
 * Clouds the Azure provider knows by name (go-autorest's environments) that are never the vault's:
 * Azure Government and Azure China are refused at location, and Azure Germany closed in 2021.
 */
const SOVEREIGN_CLOUD_NAMES = ["AzureUSGovernmentCloud", "AzureChinaCloud", "AzureGermanCloud"] as const;

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
    const w = c.object(path, item, keysAt("workloads[]"));
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
    if ((SYSTEM_NAMESPACES as readonly string[]).includes(namespace)) {
      c.report(`${path}.namespace`, `${show(namespace)} is a system namespace; give the workload its own namespace`);
    } else if (namespace.startsWith("kube-")) {
      c.report(`${path}.namespace`, `${show(namespace)} starts with "kube-", which Kubernetes reserves for system namespaces; give the workload its own namespace`);
    }

    const helmDriver = ctx.cluster.driver.type === "helm";
    // The add-on identity sits on the node pool, so every SecretProviderClass of the cluster can name it and
    // mount whatever it was granted ("Not secure. Do not use this option",
    // https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/837): the hardened profile gives each
    // workload its own federated identity. The lab keeps the seed's add-on default. A self-managed driver has no
    // add-on and so no add-on identity to lend.
    const identity = c.oneOf(`${path}.identity`, w.identity, enumAt<WorkloadConfig["identity"]>("workloads[].identity"))
      ?? (helmDriver || !ctx.lab ? "workload" : "addon");
    if (identity === "addon" && helmDriver) {
      c.report(`${path}.identity`, "\"addon\" is not available with cluster.driver.type \"helm\": the AKS add-on is off, so there is no add-on identity; " +
        "must be \"workload\" (the default with the helm driver)");
    }
    // Only a chosen identity: a defaulted one follows the hardened profile, whose own check already asks for the issuer.
    if (identity === "workload" && w.identity !== undefined && !ctx.cluster.oidcIssuerEnabled && !helmDriver) {
      c.report(`${path}.identity`, "\"workload\" needs the cluster's OIDC issuer; set cluster.oidcIssuerEnabled to true or use \"addon\"");
    }
    const mountPath = c.string(`${path}.mountPath`, w.mountPath, RULES.absolutePath) ?? defaultAt<string>("workloads[].mountPath");
    for (const reserved of RESERVED_MOUNT_PATHS) {
      if (overlaps(mountPath, reserved)) {
        c.report(`${path}.mountPath`, `${show(mountPath)} overlaps the pod's ${reserved} mount; choose a path outside ${reserved}`);
      }
    }
    const image = c.string(`${path}.image`, w.image, RULES.image) ?? DEMO_IMAGE;
    if (!ctx.lab && !image.includes("@sha256:")) {
      c.report(`${path}.image`, `${show(image)} is not pinned; the hardened profile needs an image pinned by digest (…@sha256:<64 hex>)`);
    }
    const imagePullPolicy = c.oneOf(`${path}.imagePullPolicy`, w.imagePullPolicy, enumAt<ImagePullPolicy>("workloads[].imagePullPolicy"))
      ?? defaultAt<ImagePullPolicy>("workloads[].imagePullPolicy");
    // With a cached image, a pod on the same node could run a private image it has no pull rights for (CKV_K8S_15).
    if (!ctx.lab) {
      reportRelaxations(c, [[`${path}.imagePullPolicy`, imagePullPolicy !== "Always", imagePullPolicy,
        "\"Always\" (the registry authorizes every pod start)"]]);
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
    const credential = federatedCredentialName(namespace, serviceAccountName);
    if (identity === "workload" && name && !FEDERATED_CREDENTIAL_NAME.pattern.test(credential)) {
      c.report(`${path}.serviceAccountName`, `${show(serviceAccountName)} in namespace ${show(namespace)} names the workload identity's federated ` +
        `credential ${show(credential)} (<namespace>-<serviceAccountName>, ${credential.length} characters); Azure allows ` +
        `${FEDERATED_CREDENTIAL_NAME.allowed}: shorten the namespace or the ServiceAccount name`);
    }
    if (identity === "addon" && w.serviceAccountName !== undefined) {
      c.report(`${path}.serviceAccountName`, "only applies to identity \"workload\"; add-on identity pods run without a token");
    }
    // The vault is always in the public cloud (parseLocation refuses sovereign regions), so a sovereign
    // cloud's name would point the provider at the wrong Entra ID and vault endpoints and fail every mount.
    const sovereign = typeof w.cloudName === "string" && (SOVEREIGN_CLOUD_NAMES as readonly string[]).includes(w.cloudName);
    if (sovereign) {
      c.report(`${path}.cloudName`, `${show(w.cloudName)} is not the vault's cloud: this app deploys the vault to the Azure public cloud only; ` +
        `must be "AzurePublicCloud", "${AZURE_STACK_CLOUD}" (an air-gapped cloud described in cloudEnvFileName) or left out`);
    }
    const cloudName = sovereign ? undefined : c.oneOf(`${path}.cloudName`, w.cloudName, enumAt<NonNullable<WorkloadConfig["cloudName"]>>("workloads[].cloudName"));
    const cloudEnvFileName = c.string(`${path}.cloudEnvFileName`, w.cloudEnvFileName, RULES.absolutePath);
    // The provider hands AzureStackCloud to go-autorest, which reads that cloud's endpoints from the file named by
    // AZURE_ENVIRONMENT_FILEPATH (the provider sets it from cloudEnvFileName) and fails without one; every other
    // cloud ignores the file. The provider's docs require it for AzureStackCloud:
    // https://azure.github.io/secrets-store-csi-driver-provider-azure/docs/configurations/custom-environments
    if (cloudName === AZURE_STACK_CLOUD && w.cloudEnvFileName === undefined) {
      c.report(`${path}.cloudEnvFileName`, `is required when cloudName is "${AZURE_STACK_CLOUD}": the provider reads that cloud's endpoints from it; ` +
        `must be ${RULES.absolutePath.allowed}, the file as the provider's pods see it`);
    }
    // An unknown cloudName is reported above already; the file is then neither required nor refused.
    const cloudKnown = w.cloudName === undefined || cloudName !== undefined;
    if (cloudKnown && cloudName !== AZURE_STACK_CLOUD && w.cloudEnvFileName !== undefined) {
      c.report(`${path}.cloudEnvFileName`, `is only allowed with cloudName "${AZURE_STACK_CLOUD}" (other clouds ignore the file), got ` +
        `${cloudName === undefined ? "no cloudName (the public cloud)" : `cloudName ${show(cloudName)}`}; leave it out or set cloudName to "${AZURE_STACK_CLOUD}"`);
    }

    const replicas = c.integer(`${path}.replicas`, w.replicas, ...rangeAt("workloads[].replicas")) ?? defaultAt<number>("workloads[].replicas");
    const onRotation = c.oneOf(`${path}.onRotation`, w.onRotation, enumAt<OnRotation>("workloads[].onRotation")) ?? defaultAt<OnRotation>("workloads[].onRotation");
    const command = w.command === undefined
      ? (image === DEMO_IMAGE ? demoCommand(mountPath) : undefined)
      : c.stringList(`${path}.command`, w.command, RULES.nonEmpty);
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
      out.push({
        name, namespace, serviceAccountName, identity, mountPath, image, imagePullPolicy, replicas, command, probe, cloudName, cloudEnvFileName,
        objects, syncToKubernetesSecret: sync, onRotation,
      });
    }
  });
  return out;
}

function parseProbe(c: Checker, path: string, value: unknown): ProbeConfig | undefined {
  if (value === undefined) return undefined;
  const probeKinds = keysAt("workloads[].probe");
  const p = c.object(path, value, probeKinds);
  if (!p) return undefined;
  const kinds = Object.keys(p).filter((k) => probeKinds.includes(k));
  if (kinds.length !== 1) {
    c.report(path, `must set exactly one of "exec", "httpGet" or "tcpSocket", got ${kinds.length === 0 ? "none" : kinds.join(" and ")}`);
    return undefined;
  }
  const port = (portPath: string, v: unknown) => {
    if (v === undefined) c.report(portPath, "is required");
    return c.integer(portPath, v, ...rangeAt("workloads[].probe.tcpSocket.port"));
  };
  if (kinds[0] === "exec") {
    const exec = c.stringList(`${path}.exec`, p.exec, RULES.nonEmpty);
    if (exec.length === 0) c.report(`${path}.exec`, "must be a non-empty command list, e.g. [\"/bin/check\"]");
    return exec.length > 0 ? { exec } : undefined;
  }
  if (kinds[0] === "httpGet") {
    const h = c.object(`${path}.httpGet`, p.httpGet, keysAt("workloads[].probe.httpGet")) ?? {};
    const httpPath = c.string(`${path}.httpGet.path`, h.path, RULES.urlPath) ?? defaultAt<string>("workloads[].probe.httpGet.path");
    const httpPort = port(`${path}.httpGet.port`, h.port);
    return httpPort === undefined ? undefined : { httpGet: { path: httpPath, port: httpPort } };
  }
  const t = c.object(`${path}.tcpSocket`, p.tcpSocket, keysAt("workloads[].probe.tcpSocket")) ?? {};
  const tcpPort = port(`${path}.tcpSocket.port`, t.port);
  return tcpPort === undefined ? undefined : { tcpSocket: { port: tcpPort } };
}

function parseSync(c: Checker, path: string, value: unknown, files: Set<string>): SecretSyncConfig | undefined {
  if (value === undefined) return undefined;
  const s = c.object(path, value, keysAt("workloads[].syncToKubernetesSecret"));
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
    const it = c.object(itemPath, raw, keysAt("workloads[].syncToKubernetesSecret.items[]"));
    if (!it) return;
    const objectName = c.string(`${itemPath}.objectName`, it.objectName);
    if (objectName !== undefined && !files.has(objectName)) {
      c.report(`${itemPath}.objectName`, `${show(objectName)} is not a file this workload mounts; must be one of ${[...files].join(", ")}`);
    }
    const key = c.string(`${itemPath}.key`, it.key, RULES.secretKey);
    const envVar = c.string(`${itemPath}.envVar`, it.envVar, RULES.envVar);
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
