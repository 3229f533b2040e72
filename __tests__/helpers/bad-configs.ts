import { ConfigProblem } from "../../config/config-error";
import { DEFAULT_CONFIG } from "../../config/default-config";

/**
 * The bad-config table: each row breaks the default config one way and lists the exact problems
 * the parser must report. __tests__/config-validation.test.ts checks the parser's report;
 * __tests__/config-schema.test.ts checks that config.schema.json gives the same verdict.
 */

/** A mutable copy of the raw JSON config; rows reach into it freely. */
export type RawConfig = Record<string, any>;

export function freshConfig(): RawConfig {
  return JSON.parse(JSON.stringify(DEFAULT_CONFIG)) as RawConfig;
}

/** The instant every row is checked at, so no verdict depends on the wall clock. */
export const NOW = new Date("2026-06-01T00:00:00Z");

export const VALID_DATE = "2027-12-31T00:00:00Z";
export const AKS_SOURCE = "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions (read 2026-12-04)";
export { DEMO_IMAGE as PINNED } from "../../config/demo-app";

// The "allowed" sentences, spelled out literally so a changed rule text fails a row.
export const KV_NAME = "3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, without \"--\"";
export const SECRET_NAME = "1-127 letters, digits and hyphens";
export const DNS1123 = "a DNS-1123 label: 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit";
export const ABS_PATH = "an absolute path such as \"/mnt/secrets-store\", without \"..\", \"//\" or a trailing \"/\"";
export const DURATION = "a duration such as \"2m\", \"30s\" or \"1h30m\"";
export const REL_DIR = "a folder inside the project, such as \"state\" (relative, without \"..\")";
export const RFC3339 = "an RFC 3339 UTC time such as \"2027-12-31T00:00:00Z\"";
export const KV_KEYS = "name, rbacPropagationWait, sku, softDeleteRetentionDays, preventDestroy, networkAccess, allowedIpRanges, logRetentionDays, alerts, secrets";
export const OBJECT_KEYS = "objectName, objectType, objectAlias, objectVersion, objectFormat, objectEncoding, filePermission";
export const BACKEND_KEYS = "type, stateDir, resourceGroupName, storageAccountName, containerName, keyPrefix, subscriptionId, tenantId, " +
  "organization, hostname, workspaces";
/** The refusal of a region outside the public cloud (every stack targets the public cloud). */
const SOVEREIGN = (region: string, cloud: string) => `"${region}" is a region of ${cloud}; this app deploys to the Azure public cloud only ` +
  "(its azurerm provider, kubelogin and private DNS zones are the public cloud's); must be a public-cloud region such as \"westeurope\"";
/** What `show` prints for a JSON string longer than 60 characters: the first 57 characters and "...". */
export const cut = (value: string): string => `${JSON.stringify(value).slice(0, 57)}...`;

export interface Row {
  /** Completes "fails when ..." */
  readonly name: string;
  readonly mutate: (c: RawConfig) => void;
  readonly problems: readonly ConfigProblem[];
  /**
   * "accepts": JSON Schema cannot express this rule (it relates two fields, depends on the
   * profile or on now, or needs arithmetic), so config.schema.json accepts the config and only
   * the parser rejects it. Every other row is rejected by both.
   */
  readonly schema?: "accepts";
}

export const rows: Row[] = [
  // --- command and probe of a workload's container ---
  {
    name: "a probe names two kinds of check",
    mutate: (c) => { c.workloads[0].probe = { exec: ["/check"], tcpSocket: { port: 80 } }; },
    problems: [{ path: "workloads[0].probe", message: "must set exactly one of \"exec\", \"httpGet\" or \"tcpSocket\", got exec and tcpSocket" }],
  },
  {
    name: "an HTTP probe has a relative path and a port out of range",
    mutate: (c) => { c.workloads[0].probe = { httpGet: { path: "healthz", port: 70000 } }; },
    problems: [
      { path: "workloads[0].probe.httpGet.path", message: "\"healthz\" is not allowed; must be an absolute URL path such as \"/healthz\"" },
      { path: "workloads[0].probe.httpGet.port", message: "must be a whole number from 1 to 65535, got 70000" },
    ],
  },
  {
    name: "the command is an empty list",
    mutate: (c) => { c.workloads[0].command = []; },
    problems: [{ path: "workloads[0].command", message: "is empty; leave it out to run the image's entrypoint" }],
  },
  // --- the hardened profile refuses the lab's relaxations, naming the config key ---
  {
    name: "the hardened profile opens the vault to every network",
    schema: "accepts",
    mutate: (c) => { c.keyVault.networkAccess = "public"; },
    problems: [{ path: "keyVault.networkAccess", message: "\"public\" is only allowed in the lab profile; the hardened profile needs \"allowlist\" or \"private\" (or set \"profile\": \"lab\" for a throwaway lab)" }],
  },
  {
    name: "the hardened profile turns off prevent_destroy, drops the user pool, enables local accounts and picks the Free tier",
    schema: "accepts",
    mutate: (c) => { c.keyVault.preventDestroy = false; c.cluster = { userNodePool: false, localAccountsDisabled: false, skuTier: "Free" }; },
    problems: [
      { path: "keyVault.preventDestroy", message: "false is only allowed in the lab profile; the hardened profile needs true (or set \"profile\": \"lab\" for a throwaway lab)" },
      { path: "cluster.userNodePool", message: "false is only allowed in the lab profile; the hardened profile needs a node pool (the default) so the system pool runs only critical add-ons (or set \"profile\": \"lab\" for a throwaway lab)" },
      { path: "cluster.localAccountsDisabled", message: "false is only allowed in the lab profile; the hardened profile needs true (or set \"profile\": \"lab\" for a throwaway lab)" },
      { path: "cluster.skuTier", message: "\"Free\" is only allowed in the lab profile; the hardened profile needs \"Standard\" (or set \"profile\": \"lab\" for a throwaway lab)" },
    ],
  },
  // --- rules added after review: impossible dates, siblings of a bad name, duplicate sync targets ---
  {
    name: "a secret expires on February 31",
    schema: "accepts",
    mutate: (c) => { c.keyVault.secrets[0].expirationDate = "2027-02-31T00:00:00Z"; },
    problems: [{ path: "keyVault.secrets[0].expirationDate", message: `"2027-02-31T00:00:00Z" is not a real date; must be ${RFC3339}` }],
  },
  {
    name: "an object has a bad name and bad sibling fields, all reported",
    mutate: (c) => { c.workloads[0].objects.push({ objectName: "x_y", objectAlias: "../etc", filePermission: "777" }); },
    problems: [
      { path: "workloads[0].objects[2].objectName", message: `"x_y" is not allowed; must be ${SECRET_NAME}` },
      { path: "workloads[0].objects[2].objectAlias", message: "\"../etc\" is not allowed; must be a file name of 1-253 letters, digits, '.', '_' and '-'" },
      { path: "workloads[0].objects[2].filePermission", message: "\"777\" is not allowed; must be an octal mode such as \"0444\"" },
    ],
  },
  {
    name: "a workload has a bad name and zero replicas, both reported",
    mutate: (c) => { c.workloads[0].name = "Demo"; c.workloads[0].replicas = 0; },
    problems: [
      { path: "workloads[0].name", message: `"Demo" is not allowed; must be ${DNS1123}` },
      { path: "workloads[0].replicas", message: "must be a whole number from 1 to 50, got 0" },
    ],
  },
  {
    name: "a secret has a bad name, an empty content type and version 0, all reported",
    mutate: (c) => { c.keyVault.secrets.push({ name: "a_b", contentType: "", valueVersion: 0, expirationDate: VALID_DATE }); },
    problems: [
      { path: "keyVault.secrets[2].name", message: `"a_b" is not allowed; must be ${SECRET_NAME}` },
      { path: "keyVault.secrets[2].contentType", message: "\"\" is not allowed; must be 1-255 characters, e.g. \"text/plain\"" },
      { path: "keyVault.secrets[2].valueVersion", message: "must be a whole number from 1 to 1000000, got 0" },
    ],
  },
  {
    name: "two synced items use the same key and environment variable",
    schema: "accepts",
    mutate: (c) => {
      c.workloads[0].syncToKubernetesSecret = { secretName: "demo-env", items: [
        { objectName: "db-password", key: "value", envVar: "SECRET" },
        { objectName: "api-key", key: "value", envVar: "SECRET" },
      ] };
    },
    problems: [
      { path: "workloads[0].syncToKubernetesSecret.items[1].key", message: "\"value\" is already used by workloads[0].syncToKubernetesSecret.items[0]; each item needs its own key" },
      { path: "workloads[0].syncToKubernetesSecret.items[1].envVar", message: "\"SECRET\" is already used by workloads[0].syncToKubernetesSecret.items[0]; each item needs its own envVar" },
    ],
  },
  {
    name: "two workloads in one namespace sync to the same Secret",
    schema: "accepts",
    mutate: (c) => {
      const sync = { secretName: "shared-env", items: [{ objectName: "db-password", key: "password", envVar: "DB_PASSWORD" }] };
      c.workloads[0].syncToKubernetesSecret = sync;
      c.workloads.push({ name: "other", namespace: "demo", objects: [{ objectName: "db-password" }], syncToKubernetesSecret: sync });
    },
    problems: [{ path: "workloads[1].syncToKubernetesSecret.secretName", message: "\"shared-env\" in namespace \"demo\" is already synced by workloads[0]; each workload needs its own Secret" }],
  },
  // --- unknown keys and typo'd enums, with suggestions ---
  {
    name: "a top-level key is misspelled (namePrefx)",
    mutate: (c) => { c.namePrefx = "demo"; },
    problems: [{ path: "namePrefx", message: "unknown key; did you mean \"namePrefix\"? Allowed keys: profile, location, namePrefix, tags, backend, resourceGroup, network, keyVault, cluster, workloads, clusters" }],
  },
  {
    name: "a key vault key is misspelled (skuu)",
    mutate: (c) => { c.keyVault.skuu = "premium"; },
    problems: [{ path: "keyVault.skuu", message: `unknown key; did you mean "sku"? Allowed keys: ${KV_KEYS}` }],
  },
  {
    name: "a mounted object's key is misspelled (objectTyp)",
    mutate: (c) => { c.workloads[0].objects[0].objectTyp = "secret"; },
    problems: [{ path: "workloads[0].objects[0].objectTyp", message: `unknown key; did you mean "objectType"? Allowed keys: ${OBJECT_KEYS}` }],
  },
  {
    name: "an autoscaling key four levels deep is misspelled (maxCnt)",
    mutate: (c) => { c.cluster = { systemNodePool: { autoscaling: { minCount: 2, maxCnt: 3 } } }; },
    problems: [{ path: "cluster.systemNodePool.autoscaling.maxCnt", message: "unknown key; did you mean \"maxCount\"? Allowed keys: minCount, maxCount" }],
  },
  {
    // Current wording has no separator between "unknown key" and "Allowed keys" when nothing is near.
    name: "a key vault key has no close match",
    mutate: (c) => { c.keyVault.colour = "blue"; },
    problems: [{ path: "keyVault.colour", message: `unknown key. Allowed keys: ${KV_KEYS}` }],
  },
  {
    name: "a backend key is misspelled (stateDri)",
    mutate: (c) => { c.backend = { type: "local", stateDri: "state" }; },
    problems: [{ path: "backend.stateDri", message: `unknown key; did you mean "stateDir"? Allowed keys: ${BACKEND_KEYS}` }],
  },
  {
    name: "the vault sku is a typo (standrad)",
    mutate: (c) => { c.keyVault.sku = "standrad"; },
    problems: [{ path: "keyVault.sku", message: "\"standrad\" is not allowed; must be \"standard\" or \"premium\" (did you mean \"standard\"?)" }],
  },
  {
    name: "the profile is a typo (hardend)",
    mutate: (c) => { c.profile = "hardend"; },
    problems: [{ path: "profile", message: "\"hardend\" is not allowed; must be \"hardened\" or \"lab\" (did you mean \"hardened\"?)" }],
  },
  {
    name: "an object type is a typo (secrets)",
    mutate: (c) => { c.workloads[0].objects[0].objectType = "secrets"; },
    problems: [{ path: "workloads[0].objects[0].objectType", message: "\"secrets\" is not allowed; must be \"secret\", \"key\" or \"cert\" (did you mean \"secret\"?)" }],
  },
  {
    name: "the backend type is a typo (azurerrm)",
    mutate: (c) => { c.backend = { type: "azurerrm" }; },
    problems: [{ path: "backend.type", message: "\"azurerrm\" is not allowed; must be \"local\", \"azurerm\" or \"cloud\" (did you mean \"azurerm\"?)" }],
  },

  // --- Azure names ---
  {
    name: "the vault name is too short",
    mutate: (c) => { c.keyVault.name = "kv"; },
    problems: [{ path: "keyVault.name", message: `"kv" is not allowed; must be ${KV_NAME}` }],
  },
  {
    name: "the vault name is 25 characters long",
    mutate: (c) => { c.keyVault.name = "kv-abcdefghijklmnopqrstuv"; },
    problems: [{ path: "keyVault.name", message: `"kv-abcdefghijklmnopqrstuv" is not allowed; must be ${KV_NAME}` }],
  },
  {
    name: "the vault name starts with a digit",
    mutate: (c) => { c.keyVault.name = "1kv-demo"; },
    problems: [{ path: "keyVault.name", message: `"1kv-demo" is not allowed; must be ${KV_NAME}` }],
  },
  {
    name: "the vault name ends with a hyphen",
    mutate: (c) => { c.keyVault.name = "kv-demo-"; },
    problems: [{ path: "keyVault.name", message: `"kv-demo-" is not allowed; must be ${KV_NAME}` }],
  },
  {
    name: "the vault name has a double hyphen",
    mutate: (c) => { c.keyVault.name = "kv--demo"; },
    problems: [{ path: "keyVault.name", message: `"kv--demo" is not allowed; must be ${KV_NAME}` }],
  },
  {
    name: "the vault name has an underscore",
    mutate: (c) => { c.keyVault.name = "kv_demo"; },
    problems: [{ path: "keyVault.name", message: `"kv_demo" is not allowed; must be ${KV_NAME}` }],
  },
  {
    name: "the AKS cluster name has a period",
    mutate: (c) => { c.cluster = { name: "aks.demo" }; },
    problems: [{ path: "cluster.name", message: "\"aks.demo\" is not allowed; must be 1-63 letters, digits, underscores and hyphens, starting and ending with a letter or digit" }],
  },
  {
    name: "the DNS prefix has an underscore",
    mutate: (c) => { c.cluster = { dnsPrefix: "kv_csi" }; },
    problems: [{ path: "cluster.dnsPrefix", message: "\"kv_csi\" is not allowed; must be 1-54 letters, digits and hyphens, starting and ending with a letter or digit" }],
  },
  {
    name: "the resource group name ends with a period",
    mutate: (c) => { c.resourceGroup = { name: "rg-demo." }; },
    problems: [{ path: "resourceGroup.name", message: "\"rg-demo.\" is not allowed; must be 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period" }],
  },
  {
    name: "an existing resource group has no name",
    schema: "accepts",
    mutate: (c) => { c.resourceGroup = { existing: true }; },
    problems: [{ path: "resourceGroup.name", message: "is required when resourceGroup.existing is true: name the group to use" }],
  },

  // --- secrets ---
  {
    name: "a secret name has an underscore",
    mutate: (c) => { c.keyVault.secrets.push({ name: "db_password", expirationDate: VALID_DATE }); },
    problems: [{ path: "keyVault.secrets[2].name", message: `"db_password" is not allowed; must be ${SECRET_NAME}` }],
  },
  {
    name: "a secret name is 128 characters long",
    mutate: (c) => { c.keyVault.secrets.push({ name: "a".repeat(128), expirationDate: VALID_DATE }); },
    problems: [{ path: "keyVault.secrets[2].name", message: `${cut("a".repeat(128))} is not allowed; must be ${SECRET_NAME}` }],
  },
  {
    name: "two secrets differ only in case",
    schema: "accepts",
    mutate: (c) => { c.keyVault.secrets.push({ name: "DB-Password", expirationDate: VALID_DATE }); },
    problems: [{ path: "keyVault.secrets[2].name", message: "\"DB-Password\" is already declared by keyVault.secrets[0] (Key Vault names are case-insensitive)" }],
  },
  {
    name: "a managed secret has no expirationDate in the hardened profile",
    schema: "accepts",
    mutate: (c) => { delete c.keyVault.secrets[1].expirationDate; },
    problems: [{ path: "keyVault.secrets[1].expirationDate", message: `is required for managed secrets in the hardened profile; must be ${RFC3339}` }],
  },
  {
    name: "an external secret sets valueVersion",
    schema: "accepts",
    mutate: (c) => {
      c.keyVault.secrets.push({ name: "tls-key", source: "external", valueVersion: 2 });
    },
    problems: [{ path: "keyVault.secrets[2].valueVersion", message: "applies only to managed secrets; an external secret's value is not written by this app" }],
  },
  {
    name: "soft delete retention is 6 days",
    mutate: (c) => { c.keyVault.softDeleteRetentionDays = 6; },
    problems: [{ path: "keyVault.softDeleteRetentionDays", message: "must be a whole number from 7 to 90, got 6" }],
  },
  {
    name: "soft delete retention is 91 days",
    mutate: (c) => { c.keyVault.softDeleteRetentionDays = 91; },
    problems: [{ path: "keyVault.softDeleteRetentionDays", message: "must be a whole number from 7 to 90, got 91" }],
  },
  {
    name: "soft delete retention is 7.5 days",
    mutate: (c) => { c.keyVault.softDeleteRetentionDays = 7.5; },
    problems: [{ path: "keyVault.softDeleteRetentionDays", message: "must be a whole number from 7 to 90, got 7.5" }],
  },
  {
    name: "soft delete retention is the string \"90\"",
    mutate: (c) => { c.keyVault.softDeleteRetentionDays = "90"; },
    problems: [{ path: "keyVault.softDeleteRetentionDays", message: "must be a whole number from 7 to 90, got \"90\"" }],
  },
  {
    name: "allowed IP ranges are set while the vault is private",
    schema: "accepts",
    mutate: (c) => { c.keyVault.networkAccess = "private"; c.keyVault.allowedIpRanges = ["203.0.113.0/24"]; },
    problems: [{ path: "keyVault.allowedIpRanges", message: "only applies when keyVault.networkAccess is \"allowlist\", got networkAccess \"private\"" }],
  },

  // --- cluster and node pools ---
  {
    name: "the system pool has 0 nodes",
    mutate: (c) => { c.cluster = { systemNodePool: { nodeCount: 0 } }; },
    problems: [{ path: "cluster.systemNodePool.nodeCount", message: "must be a whole number from 1 to 1000, got 0" }],
  },
  {
    name: "the user pool has 0 nodes",
    mutate: (c) => { c.cluster = { userNodePool: { nodeCount: 0 } }; },
    problems: [{ path: "cluster.userNodePool.nodeCount", message: "must be a whole number from 1 to 1000, got 0" }],
  },
  {
    name: "autoscaling minCount is greater than maxCount",
    schema: "accepts",
    mutate: (c) => { c.cluster = { systemNodePool: { autoscaling: { minCount: 5, maxCount: 3 } } }; },
    problems: [{ path: "cluster.systemNodePool.autoscaling", message: "minCount 5 is greater than maxCount 3; minCount must be <= maxCount" }],
  },
  {
    name: "nodeCount is outside the default autoscaling range",
    schema: "accepts",
    mutate: (c) => { c.cluster = { systemNodePool: { nodeCount: 5 } }; },
    problems: [{ path: "cluster.systemNodePool.nodeCount", message: "5 is outside autoscaling 2-3; must be within it" }],
  },
  {
    name: "maxPods is 49",
    mutate: (c) => { c.cluster = { systemNodePool: { maxPods: 49 } }; },
    problems: [{ path: "cluster.systemNodePool.maxPods", message: "must be a whole number from 50 to 250, got 49" }],
  },
  {
    name: "the user pool reuses the system pool's name",
    schema: "accepts",
    mutate: (c) => { c.cluster = { userNodePool: { name: "system" } }; },
    problems: [{ path: "cluster.userNodePool.name", message: "\"system\" is also the system pool's name; node pool names must differ" }],
  },
  {
    name: "the rotation interval is written out (\"2 minutes\")",
    mutate: (c) => { c.cluster = { secretRotationInterval: "2 minutes" }; },
    problems: [{ path: "cluster.secretRotationInterval", message: `"2 minutes" is not allowed; must be ${DURATION}` }],
  },
  {
    name: "the rotation interval is 10s, below the 30s floor",
    schema: "accepts",
    mutate: (c) => { c.cluster = { secretRotationInterval: "10s" }; },
    problems: [{ path: "cluster.secretRotationInterval", message: "\"10s\" is below the floor of 30s; must be at least \"30s\"" }],
  },
  {
    name: "the rotation interval is 0m",
    schema: "accepts",
    mutate: (c) => { c.cluster = { secretRotationInterval: "0m" }; },
    problems: [{ path: "cluster.secretRotationInterval", message: "\"0m\" is below the floor of 30s; must be at least \"30s\"" }],
  },
  {
    name: "a private cluster also restricts API server IP ranges",
    schema: "accepts",
    mutate: (c) => { c.cluster = { privateCluster: true, apiServerAuthorizedIpRanges: ["203.0.113.0/24"] }; },
    problems: [{ path: "cluster.apiServerAuthorizedIpRanges", message: "cannot be combined with cluster.privateCluster: a private API server has no public endpoint to restrict" }],
  },

  // --- cluster.connection: how the workload stack reaches its cluster ---
  {
    name: "a kubeconfig connection names no context, and a relative path",
    mutate: (c) => { (c.cluster ??= {}).connection = { type: "kubeconfig", path: "kube/config" }; },
    problems: [
      { path: "cluster.connection.path", message: "\"kube/config\" is not allowed; must be an absolute path or one starting with \"~/\", such as \"~/.kube/config\"" },
      { path: "cluster.connection.context", message: "is required; must be a kubeconfig context name of 1-253 characters" },
    ],
  },
  {
    name: "an AKS connection sets a kubeconfig path and context, and an unknown key",
    mutate: (c) => { (c.cluster ??= {}).connection = { type: "aks", path: "~/.kube/config", context: "ci", contxt: "ci" }; },
    problems: [
      { path: "cluster.connection.contxt", message: "unknown key; did you mean \"context\"? Allowed keys: type, path, context" },
      { path: "cluster.connection.path", message: "does not apply to connection type \"aks\"; allowed keys: type" },
      { path: "cluster.connection.context", message: "does not apply to connection type \"aks\"; allowed keys: type" },
    ],
  },
  // --- cluster.driver: who installs the Secrets Store CSI driver ---
  {
    name: "a helm-driver cluster has a workload that asks for the add-on identity",
    mutate: (c) => { (c.cluster ??= {}).driver = { type: "helm" }; c.workloads[0].identity = "addon"; },
    problems: [
      { path: "workloads[0].identity", message: "\"addon\" is not available with cluster.driver.type \"helm\": the AKS add-on is off, so there is no " +
        "add-on identity; must be \"workload\" (the default with the helm driver)" },
    ],
    schema: "accepts",
  },
  {
    name: "a helm-driver lab cluster turns the OIDC issuer off",
    mutate: (c) => { c.profile = "lab"; (c.cluster ??= {}).driver = { type: "helm" }; c.cluster.oidcIssuerEnabled = false; },
    problems: [
      { path: "cluster.oidcIssuerEnabled", message: "false cannot be combined with cluster.driver.type \"helm\": without the add-on, workloads read " +
        "the vault through workload identity, which needs the OIDC issuer; must be true" },
    ],
    schema: "accepts",
  },
  {
    name: "an add-on driver names a chart",
    mutate: (c) => { (c.cluster ??= {}).driver = { type: "addon", providerChart: { version: "1.8.2" } }; },
    problems: [
      { path: "cluster.driver.providerChart", message: "does not apply to driver type \"addon\"; allowed keys: type" },
    ],
  },
  {
    name: "a helm driver's chart version is a range and its repository is plain http",
    mutate: (c) => {
      (c.cluster ??= {}).driver = { type: "helm", driverChart: { version: "^1.5.0", repository: "http://charts.example.com" } };
    },
    problems: [
      { path: "cluster.driver.driverChart.repository", message: "\"http://charts.example.com\" is not allowed; must be an https:// chart repository URL " +
        "or an oci:// registry path, such as \"oci://myregistry.azurecr.io/helm\"" },
      { path: "cluster.driver.driverChart.version", message: "\"^1.5.0\" is not allowed; must be an exact chart version such as \"1.5.6\" " +
        "(no ranges: the release must be reproducible)" },
    ],
  },
  // --- workloads[].onRotation and cluster.reloaderChart (issue 22): Stakater Reloader ---
  {
    name: "a workload's onRotation is not one of the two behaviours",
    mutate: (c) => { c.workloads[0].onRotation = "rollout"; },
    problems: [{ path: "workloads[0].onRotation", message: "\"rollout\" is not allowed; must be \"none\" or \"restart\"" }],
  },
  {
    name: "a cluster names a Reloader chart but no workload restarts on rotation (Reloader would not be installed)",
    mutate: (c) => { (c.cluster ??= {}).reloaderChart = { version: "2.2.18" }; },
    problems: [{ path: "cluster.reloaderChart", message: "only applies when a workload of this cluster sets onRotation \"restart\" " +
      "(Reloader is installed only then); leave it out" }],
    schema: "accepts",
  },
  {
    name: "the Reloader chart version is a range and its repository is plain http",
    mutate: (c) => {
      c.workloads[0].onRotation = "restart";
      (c.cluster ??= {}).reloaderChart = { version: "2.x", repository: "http://stakater.github.io/stakater-charts" };
    },
    problems: [
      { path: "cluster.reloaderChart.repository", message: "\"http://stakater.github.io/stakater-charts\" is not allowed; must be an https:// chart repository URL " +
        "or an oci:// registry path, such as \"oci://myregistry.azurecr.io/helm\"" },
      { path: "cluster.reloaderChart.version", message: "\"2.x\" is not allowed; must be an exact chart version such as \"1.5.6\" " +
        "(no ranges: the release must be reproducible)" },
    ],
  },
  {
    name: "a workload lives in Reloader's namespace on a cluster that installs Reloader",
    mutate: (c) => {
      c.workloads[0].onRotation = "restart";
      c.workloads.push({ ...c.workloads[0], name: "cache", namespace: "reloader", onRotation: "none" });
    },
    problems: [{ path: "workloads[1].namespace", message: "\"reloader\" is Stakater Reloader's namespace on this cluster (a workload sets " +
      "onRotation \"restart\"); give the workload another namespace" }],
    schema: "accepts",
  },
  {
    name: "a fleet cluster names a Reloader chart while only another cluster restarts on rotation",
    mutate: (c) => {
      const restart = { ...c.workloads[0], onRotation: "restart" };
      c.clusters = [{ name: "weu", workloads: [restart] }, { name: "neu", cluster: { reloaderChart: { version: "2.2.18" } }, workloads: [c.workloads[0]] }];
      delete c.workloads;
    },
    problems: [{ path: "clusters[1].cluster.reloaderChart", message: "only applies when a workload of this cluster sets onRotation \"restart\" " +
      "(Reloader is installed only then); leave it out" }],
    schema: "accepts",
  },
  {
    name: "the driver type is misspelt (its chart keys are then not judged against a guessed type)",
    mutate: (c) => { (c.cluster ??= {}).driver = { type: "helmm", driverChart: { version: "1.5.6" } }; },
    problems: [
      { path: "cluster.driver.type", message: "\"helmm\" is not allowed; must be \"addon\" or \"helm\" (did you mean \"helm\"?)" },
    ],
  },
  {
    name: "the connection type is misspelt (its other keys are then not judged against a guessed type)",
    mutate: (c) => { (c.cluster ??= {}).connection = { type: "kubeconfg", context: "ci" }; },
    problems: [
      { path: "cluster.connection.type", message: "\"kubeconfg\" is not allowed; must be \"aks\" or \"kubeconfig\" (did you mean \"kubeconfig\"?)" },
    ],
  },
  {
    name: "a kubeconfig context has a line break and the path ends with a slash",
    mutate: (c) => { (c.cluster ??= {}).connection = { type: "kubeconfig", path: "/etc/kube/", context: "a\nb" }; },
    problems: [
      { path: "cluster.connection.path", message: "\"/etc/kube/\" is not allowed; must be an absolute path or one starting with \"~/\", such as \"~/.kube/config\"" },
      { path: "cluster.connection.context", message: "\"a\\nb\" is not allowed; must be a kubeconfig context name of 1-253 characters" },
    ],
  },

  // --- workload names and namespaces ---
  {
    name: "the workload name has an uppercase letter",
    mutate: (c) => { c.workloads[0].name = "Demo"; },
    problems: [{ path: "workloads[0].name", message: `"Demo" is not allowed; must be ${DNS1123}` }],
  },
  {
    name: "the workload name is 64 characters long",
    mutate: (c) => { c.workloads[0].name = "a".repeat(64); },
    problems: [{ path: "workloads[0].name", message: `${cut("a".repeat(64))} is not allowed; must be ${DNS1123}` }],
  },
  {
    name: "the namespace has an uppercase letter",
    mutate: (c) => { c.workloads[0].namespace = "Demo"; },
    problems: [{ path: "workloads[0].namespace", message: `"Demo" is not allowed; must be ${DNS1123}` }],
  },
  {
    name: "the namespace has an underscore",
    mutate: (c) => { c.workloads[0].namespace = "my_ns"; },
    problems: [{ path: "workloads[0].namespace", message: `"my_ns" is not allowed; must be ${DNS1123}` }],
  },
  {
    name: "the service account name has an underscore",
    mutate: (c) => { c.workloads[0].identity = "workload"; c.workloads[0].serviceAccountName = "demo_sa"; },
    problems: [{ path: "workloads[0].serviceAccountName", message: `"demo_sa" is not allowed; must be ${DNS1123}` }],
  },
  {
    name: "a service account name is set for the add-on identity",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].identity = "addon"; c.workloads[0].serviceAccountName = "demo-sa"; },
    problems: [{ path: "workloads[0].serviceAccountName", message: "only applies to identity \"workload\"; add-on identity pods run without a token" }],
  },
  {
    name: "the workload runs in kube-system",
    mutate: (c) => { c.workloads[0].namespace = "kube-system"; },
    problems: [{ path: "workloads[0].namespace", message: "\"kube-system\" is a system namespace; give the workload its own namespace" }],
  },
  {
    name: "the workload runs in the default namespace",
    mutate: (c) => { c.workloads[0].namespace = "default"; },
    problems: [{ path: "workloads[0].namespace", message: "\"default\" is a system namespace; give the workload its own namespace" }],
  },
  {
    name: "two workloads share namespace and name",
    schema: "accepts",
    mutate: (c) => { c.workloads.push(JSON.parse(JSON.stringify(c.workloads[0]))); },
    problems: [{ path: "workloads[1]", message: "namespace \"demo\" and name \"demo\" are already claimed by workloads[0]" }],
  },
  {
    name: "two workloads share a name in different namespaces",
    schema: "accepts",
    mutate: (c) => { c.workloads.push({ ...JSON.parse(JSON.stringify(c.workloads[0])), namespace: "other" }); },
    problems: [{ path: "workloads[1].name", message: "\"demo\" is already used by workloads[0]; workload names must be unique because they name the identity and outputs" }],
  },
  {
    name: "the workload identity is used with the OIDC issuer off (lab)",
    schema: "accepts",
    mutate: (c) => { c.profile = "lab"; c.cluster = { oidcIssuerEnabled: false }; c.workloads[0].identity = "workload"; },
    problems: [{ path: "workloads[0].identity", message: "\"workload\" needs the cluster's OIDC issuer; set cluster.oidcIssuerEnabled to true or use \"addon\"" }],
  },
  {
    name: "the workloads' grants exceed Azure's 4,000 role assignments per subscription",
    schema: "accepts",
    mutate: (c) => {
      const names = Array.from({ length: 2000 }, (_, i) => `s${i}`);
      c.keyVault.secrets = names.map((name) => ({ name, expirationDate: VALID_DATE }));
      c.workloads = ["a", "b"].map((name) => ({ name, objects: names.map((objectName) => ({ objectName })) }));
    },
    problems: [{ path: "workloads", message: "creates 4003 role assignments (platform: 4003), more than Azure's 4000 per subscription, which cannot be raised " +
      "(https://learn.microsoft.com/azure/role-based-access-control/troubleshoot-limits); mount fewer objects, spread the clusters over more subscriptions, " +
      "or set cluster.grantScope to \"vault\" (one grant per identity and role)" }],
  },
  {
    name: "the cluster runs a Kubernetes version without ValidatingAdmissionPolicy v1",
    schema: "accepts",
    mutate: (c) => { c.cluster = { kubernetesVersion: "1.29" }; },
    // One problem, not two: the admission policy's floor is judged before the AKS calendar (config/aks-versions.ts).
    problems: [
      { path: "cluster.kubernetesVersion", message: "\"1.29\" is too old: the identity admission policy (ValidatingAdmissionPolicy v1) needs " +
        "Kubernetes 1.30 or later; choose one AKS creates clusters on now (1.33, 1.34, 1.35), or leave it out for the region's default" },
    ],
  },
  {
    name: "the hardened profile turns the OIDC issuer off",
    schema: "accepts",
    mutate: (c) => { c.cluster = { oidcIssuerEnabled: false }; },
    problems: [{ path: "cluster.oidcIssuerEnabled", message: "false is only allowed in the lab profile; the hardened profile needs true (workload identity) (or set \"profile\": \"lab\" for a throwaway lab)" }],
  },
  {
    name: "the node OS upgrade channel is Unmanaged",
    mutate: (c) => { c.cluster = { nodeOsUpgradeChannel: "Unmanaged" }; },
    problems: [{ path: "cluster.nodeOsUpgradeChannel", message: "\"Unmanaged\" is not allowed; must be \"NodeImage\" or \"SecurityPatch\"" }],
  },
  {
    name: "two workloads in one namespace use the same ServiceAccount",
    schema: "accepts",
    mutate: (c) => {
      c.workloads[0].identity = "workload";
      c.workloads[0].serviceAccountName = "reader";
      c.workloads.push({ name: "other", namespace: "demo", identity: "workload", serviceAccountName: "reader", objects: [{ objectName: "api-key" }] });
    },
    problems: [{ path: "workloads[1].serviceAccountName", message: "\"reader\" in namespace \"demo\" is already the ServiceAccount of workloads[0]; each workload needs its own" }],
  },
  {
    name: "the image is not pinned by digest in the hardened profile",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].image = "nginx:1.27"; },
    problems: [{ path: "workloads[0].image", message: "\"nginx:1.27\" is not pinned; the hardened profile needs an image pinned by digest (…@sha256:<64 hex>)" }],
  },
  {
    name: "the hardened profile runs an image cached on the node (imagePullPolicy Never)",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].imagePullPolicy = "Never"; },
    problems: [{ path: "workloads[0].imagePullPolicy", message: "\"Never\" is only allowed in the lab profile; the hardened profile needs \"Always\" " +
      "(the registry authorizes every pod start) (or set \"profile\": \"lab\" for a throwaway lab)" }],
  },
  {
    name: "a hardened fleet cluster's workload pulls only if not present",
    schema: "accepts",
    mutate: (c) => {
      c.clusters = [{ name: "east", workloads: [{ ...c.workloads[0], imagePullPolicy: "IfNotPresent" }] }];
      delete c.workloads;
    },
    problems: [{ path: "clusters[0].workloads[0].imagePullPolicy", message: "\"IfNotPresent\" is only allowed in the lab profile; the hardened profile needs \"Always\" " +
      "(the registry authorizes every pod start) (or set \"profile\": \"lab\" for a throwaway lab)" }],
  },
  {
    name: "the image pull policy is not a Kubernetes one",
    mutate: (c) => { c.profile = "lab"; c.workloads[0].imagePullPolicy = "always"; },
    problems: [{ path: "workloads[0].imagePullPolicy", message: "\"always\" is not allowed; must be \"Always\", \"IfNotPresent\" or \"Never\" (did you mean \"Always\"?)" }],
  },

  // --- custom Azure environments (Azure Stack Hub) ---
  {
    name: "cloudName is AzureStackCloud without the environment file",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].cloudName = "AzureStackCloud"; },
    problems: [{ path: "workloads[0].cloudEnvFileName", message: "is required when cloudName is \"AzureStackCloud\": the provider reads that cloud's endpoints " +
      `from it; must be ${ABS_PATH}, the file as the provider's pods see it` }],
  },
  {
    name: "an environment file is given without a cloudName",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].cloudEnvFileName = "/etc/kubernetes/azurestackcloud.json"; },
    problems: [{ path: "workloads[0].cloudEnvFileName", message: "is only allowed with cloudName \"AzureStackCloud\" (other clouds ignore the file), " +
      "got no cloudName (the public cloud); leave it out or set cloudName to \"AzureStackCloud\"" }],
  },
  {
    name: "an environment file is given for a built-in cloud",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].cloudName = "AzurePublicCloud"; c.workloads[0].cloudEnvFileName = "/etc/kubernetes/azurestackcloud.json"; },
    problems: [{ path: "workloads[0].cloudEnvFileName", message: "is only allowed with cloudName \"AzureStackCloud\" (other clouds ignore the file), " +
      "got cloudName \"AzurePublicCloud\"; leave it out or set cloudName to \"AzureStackCloud\"" }],
  },
  {
    name: "the environment file is a relative path",
    mutate: (c) => { c.workloads[0].cloudName = "AzureStackCloud"; c.workloads[0].cloudEnvFileName = "azurestackcloud.json"; },
    problems: [{ path: "workloads[0].cloudEnvFileName", message: `"azurestackcloud.json" is not allowed; must be ${ABS_PATH}` }],
  },

  // --- mount paths ---
  {
    name: "the mount path is relative",
    mutate: (c) => { c.workloads[0].mountPath = "mnt/secrets"; },
    problems: [{ path: "workloads[0].mountPath", message: `"mnt/secrets" is not allowed; must be ${ABS_PATH}` }],
  },
  {
    name: "the mount path contains \"..\"",
    mutate: (c) => { c.workloads[0].mountPath = "/mnt/../etc"; },
    problems: [{ path: "workloads[0].mountPath", message: `"/mnt/../etc" is not allowed; must be ${ABS_PATH}` }],
  },
  {
    name: "the mount path has a trailing slash",
    mutate: (c) => { c.workloads[0].mountPath = "/mnt/secrets/"; },
    problems: [{ path: "workloads[0].mountPath", message: `"/mnt/secrets/" is not allowed; must be ${ABS_PATH}` }],
  },
  {
    name: "the mount path is inside /tmp",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].mountPath = "/tmp/secrets"; },
    problems: [{ path: "workloads[0].mountPath", message: "\"/tmp/secrets\" overlaps the pod's /tmp mount; choose a path outside /tmp" }],
  },
  {
    name: "the mount path is /tmp itself",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].mountPath = "/tmp"; },
    problems: [{ path: "workloads[0].mountPath", message: "\"/tmp\" overlaps the pod's /tmp mount; choose a path outside /tmp" }],
  },

  // --- cross-references between vault, objects and sync ---
  {
    name: "an object names a secret that is neither managed nor external",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].objects.push({ objectName: "redis-password" }); },
    problems: [{ path: "workloads[0].objects[2].objectName", message: "\"redis-password\" is neither managed nor external; declare it in keyVault.secrets (known: db-password, api-key)" }],
  },
  {
    name: "the same object is mounted twice",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].objects.push({ objectName: "db-password" }); },
    problems: [{ path: "workloads[0].objects[2]", message: "lands on file \"db-password\" like workloads[0].objects[0]; set a distinct objectAlias" }],
  },
  {
    name: "an alias collides with another object's file name",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].objects[1].objectAlias = "db-password"; },
    problems: [{ path: "workloads[0].objects[1]", message: "lands on file \"db-password\" like workloads[0].objects[0]; set a distinct objectAlias" }],
  },
  {
    name: "a certificate asks for the pfx format",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].objects.push({ objectName: "tls-cert", objectType: "cert", objectFormat: "pfx" }); },
    problems: [{ path: "workloads[0].objects[2].objectFormat", message: "\"pfx\" is only allowed for objectType \"secret\", got objectType \"cert\"" }],
  },
  {
    name: "a key sets an objectEncoding",
    schema: "accepts",
    mutate: (c) => { c.workloads[0].objects.push({ objectName: "signing-key", objectType: "key", objectEncoding: "base64" }); },
    problems: [{ path: "workloads[0].objects[2].objectEncoding", message: "is only allowed for objectType \"secret\", got objectType \"key\"" }],
  },
  {
    name: "syncing is opted in without a secretName",
    mutate: (c) => {
      c.workloads[0].syncToKubernetesSecret = { items: [{ objectName: "db-password", key: "password", envVar: "DB_PASSWORD" }] };
    },
    problems: [{ path: "workloads[0].syncToKubernetesSecret.secretName", message: `is required to opt in to syncing; must be ${DNS1123}` }],
  },
  {
    name: "a sync item names a file the workload does not mount",
    schema: "accepts",
    mutate: (c) => {
      c.workloads[0].syncToKubernetesSecret = {
        secretName: "demo-env",
        items: [{ objectName: "redis-password", key: "password", envVar: "REDIS_PASSWORD" }],
      };
    },
    problems: [{ path: "workloads[0].syncToKubernetesSecret.items[0].objectName", message: "\"redis-password\" is not a file this workload mounts; must be one of db-password, api-key" }],
  },

  // --- backends ---
  {
    name: "an azurerm backend has no storageAccountName",
    mutate: (c) => { c.backend = { type: "azurerm", resourceGroupName: "rg-tfstate", containerName: "tfstate" }; },
    problems: [{ path: "backend.storageAccountName", message: "is required for backend type \"azurerm\"; must be 3-24 lowercase letters and digits" }],
  },
  {
    name: "an azurerm backend carries an access key",
    mutate: (c) => {
      c.backend = { type: "azurerm", resourceGroupName: "rg-tfstate", storageAccountName: "sttfstate", containerName: "tfstate", accessKey: "c2VjcmV0" };
    },
    problems: [{ path: "backend.accessKey", message: "credentials are never accepted in the config; sign in with `az login` (azurerm uses Entra ID auth) or `terraform login` (cloud)" }],
  },
  {
    name: "an azurerm backend sets the local stateDir",
    mutate: (c) => {
      c.backend = { type: "azurerm", resourceGroupName: "rg-tfstate", storageAccountName: "sttfstate", containerName: "tfstate", stateDir: "state" };
    },
    problems: [{ path: "backend.stateDir", message: "does not apply to backend type \"azurerm\"; allowed keys: type, resourceGroupName, storageAccountName, containerName, keyPrefix, subscriptionId, tenantId" }],
  },
  {
    name: "a cloud backend uses tagged workspaces",
    mutate: (c) => { c.backend = { type: "cloud", organization: "acme", workspaces: { platform: "kv-platform", workload: "kv-workload", tags: ["aks"] } }; },
    problems: [{ path: "backend.workspaces.tags", message: "tagged workspaces cannot carry the workload stack's remote-state reference to the platform; name one workspace per stack with \"platform\" and \"workload\"" }],
  },
  {
    name: "a cloud backend uses one workspace for both stacks",
    schema: "accepts",
    mutate: (c) => { c.backend = { type: "cloud", organization: "acme", workspaces: { platform: "kv", workload: "kv" } }; },
    problems: [{ path: "backend.workspaces.workload", message: "\"kv\" is also the platform workspace; each stack needs its own workspace" }],
  },
  {
    name: "a local backend's stateDir is absolute",
    mutate: (c) => { c.backend = { type: "local", stateDir: "/var/lib/tfstate" }; },
    problems: [{ path: "backend.stateDir", message: `"/var/lib/tfstate" is not allowed; must be ${REL_DIR}` }],
  },
  {
    name: "a local backend's stateDir climbs out with \"..\"",
    mutate: (c) => { c.backend = { type: "local", stateDir: "../state" }; },
    problems: [{ path: "backend.stateDir", message: `"../state" is not allowed; must be ${REL_DIR}` }],
  },

  // --- network ranges (issue 10) ---
  {
    name: "a subnet lies outside its VNet",
    schema: "accepts",
    mutate: (c) => { c.network = { clusterSubnetPrefix: "10.41.0.0/20" }; },
    problems: [{ path: "network.clusterSubnetPrefix", message: "\"10.41.0.0/20\" is outside network.vnetAddressSpace \"10.40.0.0/16\"; a subnet must lie inside its VNet" }],
  },
  {
    name: "the endpoint subnet overlaps the cluster subnet",
    schema: "accepts",
    mutate: (c) => { c.network = { endpointSubnetPrefix: "10.40.15.0/24" }; },
    problems: [{ path: "network.endpointSubnetPrefix", message: "\"10.40.15.0/24\" overlaps network.clusterSubnetPrefix \"10.40.0.0/20\"; subnets must not overlap" }],
  },
  {
    name: "the VNet range has host bits set",
    schema: "accepts",
    mutate: (c) => { c.network = { vnetAddressSpace: "10.40.1.0/16" }; },
    problems: [{ path: "network.vnetAddressSpace", message: "\"10.40.1.0/16\" has host bits set; must be the range's first address, i.e. \"10.40.0.0/16\"" }],
  },
  {
    name: "the service CIDR overlaps the VNet",
    schema: "accepts",
    mutate: (c) => { c.network = { serviceCidr: "10.40.0.0/16" }; },
    problems: [{ path: "network.serviceCidr", message: "\"10.40.0.0/16\" overlaps network.vnetAddressSpace \"10.40.0.0/16\"; the Kubernetes service range must lie outside the VNet and its subnets (AKS's default is \"10.0.0.0/16\")" }],
  },
  {
    name: "the service CIDR is an address without a prefix length",
    mutate: (c) => { c.network = { serviceCidr: "10.0.0.0" }; },
    problems: [{ path: "network.serviceCidr", message: "\"10.0.0.0\" is not allowed; must be an IPv4 CIDR range such as \"203.0.113.0/24\"" }],
  },
  {
    name: "the DNS service IP lies outside the service CIDR",
    schema: "accepts",
    mutate: (c) => { c.network = { dnsServiceIp: "10.1.0.10" }; },
    problems: [{ path: "network.dnsServiceIp", message: "\"10.1.0.10\" is not usable; must be an address inside network.serviceCidr \"10.0.0.0/16\" other than 10.0.0.0, 10.0.0.1, 10.0.255.255, e.g. \"10.0.0.10\"" }],
  },
  {
    name: "the DNS service IP is the service range's first address",
    schema: "accepts",
    mutate: (c) => { c.network = { serviceCidr: "172.16.0.0/16", dnsServiceIp: "172.16.0.0" }; },
    problems: [{ path: "network.dnsServiceIp", message: "\"172.16.0.0\" is not usable; must be an address inside network.serviceCidr \"172.16.0.0/16\" other than 172.16.0.0, 172.16.0.1, 172.16.255.255, e.g. \"172.16.0.10\"" }],
  },
  {
    name: "the service CIDR is too small for the default DNS service IP",
    schema: "accepts",
    mutate: (c) => { c.network = { serviceCidr: "10.0.0.0/29" }; },
    problems: [{ path: "network.serviceCidr", message: "\"10.0.0.0/29\" has no room for the default DNS service IP \"10.0.0.10\"; use a larger range or set network.dnsServiceIp" }],
  },
  {
    name: "the DNS service IP is not an IPv4 address",
    mutate: (c) => { c.network = { dnsServiceIp: "10.0.0.300" }; },
    problems: [{ path: "network.dnsServiceIp", message: "\"10.0.0.300\" is not allowed; must be an IPv4 address such as \"10.0.0.10\"" }],
  },
  {
    name: "the hardened vault allowlist contains 0.0.0.0/0",
    schema: "accepts",
    mutate: (c) => { c.keyVault.allowedIpRanges = ["203.0.113.0/24", "0.0.0.0/0"]; },
    problems: [{ path: "keyVault.allowedIpRanges[1]", message: "\"0.0.0.0/0\" allows every address, which is only allowed in the lab profile; the hardened profile needs specific ranges (or set \"profile\": \"lab\" for a throwaway lab)" }],
  },
  {
    name: "the hardened API server allowlist contains 0.0.0.0/0",
    schema: "accepts",
    mutate: (c) => { c.cluster = { apiServerAuthorizedIpRanges: ["0.0.0.0/0"] }; },
    problems: [{ path: "cluster.apiServerAuthorizedIpRanges[0]", message: "\"0.0.0.0/0\" allows every address, which is only allowed in the lab profile; the hardened profile needs specific ranges (or set \"profile\": \"lab\" for a throwaway lab)" }],
  },
  {
    name: "an allowlist range has host bits set",
    schema: "accepts",
    mutate: (c) => { c.keyVault.allowedIpRanges = ["203.0.113.7/24"]; },
    problems: [{ path: "keyVault.allowedIpRanges[0]", message: "\"203.0.113.7/24\" has host bits set; must be the range's first address, i.e. \"203.0.113.0/24\"" }],
  },

  // --- Azure limits (issue 10) ---
  {
    name: "there are 51 tags",
    mutate: (c) => { c.tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`tag${i}`, "x"])); },
    problems: [{ path: "tags", message: "has 51 tags; Azure allows at most 50 per resource" }],
  },
  {
    name: "a tag name contains a slash",
    mutate: (c) => { c.tags = { "cost/center": "4711" }; },
    problems: [{ path: "tags.cost/center", message: "tag names are 1-512 characters without < > % & \\ ? /" }],
  },
  {
    name: "a tag name is 513 characters long",
    mutate: (c) => { c.tags = { ["n".repeat(513)]: "x" }; },
    problems: [{ path: `tags.${"n".repeat(513)}`, message: "tag names are 1-512 characters without < > % & \\ ? /" }],
  },
  {
    name: "a tag value is 257 characters long",
    mutate: (c) => { c.tags = { owner: "v".repeat(257) }; },
    problems: [{ path: "tags.owner", message: "tag values are at most 256 characters, got 257" }],
  },
  {
    name: "two tag names differ only in case",
    schema: "accepts",
    mutate: (c) => { c.tags = { env: "prod", Env: "dev" }; },
    problems: [{ path: "tags.Env", message: "repeats tag name \"env\"; Azure tag names are case-insensitive" }],
  },
  {
    name: "the region is a typo (westeurop)",
    mutate: (c) => { c.location = "westeurop"; },
    problems: [{ path: "location", message: "\"westeurop\" is not a known Azure region; must be a name from `az account list-locations` such as \"westeurope\" (did you mean \"westeurope\"?)" }],
  },
  {
    name: "the region does not exist (moonbase)",
    mutate: (c) => { c.location = "moonbase"; },
    problems: [{ path: "location", message: "\"moonbase\" is not a known Azure region; must be a name from `az account list-locations` such as \"westeurope\"" }],
  },

  // --- Kubernetes rules (issue 10) ---
  {
    name: "a synced Secret key is \"..\"",
    mutate: (c) => {
      c.workloads[0].syncToKubernetesSecret = { secretName: "demo-env", items: [{ objectName: "db-password", key: "..", envVar: "DB_PASSWORD" }] };
    },
    problems: [{ path: "workloads[0].syncToKubernetesSecret.items[0].key", message: "\"..\" is not allowed; must be a Secret key of 1-253 letters, digits, '-', '_' and '.', other than \".\" and \"..\"" }],
  },
  {
    name: "a synced Secret key contains a slash",
    mutate: (c) => {
      c.workloads[0].syncToKubernetesSecret = { secretName: "demo-env", items: [{ objectName: "db-password", key: "db/password", envVar: "DB_PASSWORD" }] };
    },
    problems: [{ path: "workloads[0].syncToKubernetesSecret.items[0].key", message: "\"db/password\" is not allowed; must be a Secret key of 1-253 letters, digits, '-', '_' and '.', other than \".\" and \"..\"" }],
  },
  {
    name: "the namespace starts with kube-",
    mutate: (c) => { c.workloads[0].namespace = "kube-apps"; },
    problems: [{ path: "workloads[0].namespace", message: "\"kube-apps\" starts with \"kube-\", which Kubernetes reserves for system namespaces; give the workload its own namespace" }],
  },
  {
    name: "a file permission leaves the file unreadable by the pod's user",
    mutate: (c) => { c.workloads[0].objects[0].filePermission = "0440"; },
    problems: [{ path: "workloads[0].objects[0].filePermission", message: "\"0440\" leaves the file unreadable by the pod's non-root user (files are owned by root and the driver ignores fsGroup); must keep the read bit for others, e.g. \"0444\"" }],
  },

  // --- dates (issue 10) ---
  {
    name: "a secret expired before now",
    schema: "accepts",
    mutate: (c) => { c.keyVault.secrets[0].expirationDate = "2026-05-31T23:59:59Z"; },
    problems: [{ path: "keyVault.secrets[0].expirationDate", message: `"2026-05-31T23:59:59Z" is in the past; must be a later time, ${RFC3339}` }],
  },
  // --- a first real deploy (issue 9) ---
  {
    name: "the role propagation wait is not a duration",
    mutate: (c) => { c.keyVault.rbacPropagationWait = "30 seconds"; },
    problems: [{ path: "keyVault.rbacPropagationWait", message: `"30 seconds" is not allowed; must be ${DURATION}` }],
  },
  {
    name: "the kubelogin mode is interactive (devicecode)",
    mutate: (c) => { c.cluster = { kubeloginMode: "devicecode" }; },
    problems: [{ path: "cluster.kubeloginMode", message: "\"devicecode\" is not allowed; must be \"azurecli\", \"workloadidentity\", \"spn\", \"msi\", \"azurepipelines\" or \"azd\"" }],
  },
  {
    name: "a kubelogin mode is set while local accounts are enabled",
    schema: "accepts",
    mutate: (c) => { c.profile = "lab"; c.cluster = { localAccountsDisabled: false, kubeloginMode: "msi" }; },
    problems: [{ path: "cluster.kubeloginMode", message: "only applies when cluster.localAccountsDisabled is true; with local accounts the providers use the cluster's admin certificate" }],
  },
  {
    name: "an availability zone is unknown or listed twice",
    mutate: (c) => { c.cluster = { availabilityZones: ["1", "4", 2, "1"] }; },
    problems: [
      { path: "cluster.availabilityZones[1]", message: "\"4\" is not allowed; must be \"1\", \"2\" or \"3\"" },
      { path: "cluster.availabilityZones[2]", message: "must be a string, got 2" },
      { path: "cluster.availabilityZones[3]", message: "\"1\" is listed twice; list each zone once" },
    ],
  },
  {
    name: "a kubelogin mode is set for a kubeconfig connection",
    schema: "accepts",
    mutate: (c) => { c.cluster = { kubeloginMode: "msi", connection: { type: "kubeconfig", context: "ci" } }; },
    problems: [{ path: "cluster.kubeloginMode", message: "does not apply with cluster.connection.type \"kubeconfig\": the kubeconfig's context says how to authenticate" }],
  },
  // --- what AKS creates at NOW (2026-06-01) in a region (issue 19; config/aks-versions.ts, config/azure-regions.ts) ---
  {
    name: "the Kubernetes version is past AKS's end of community support",
    schema: "accepts",
    mutate: (c) => { c.cluster = { kubernetesVersion: "1.32" }; },
    problems: [{ path: "cluster.kubernetesVersion", message: "\"1.32\": AKS ended community support for 1.32 on 2026-03-31 and creates no new cluster on it " +
      "(long-term support, until 2027-03-31, needs the Premium tier and the AKSLongTermSupport plan, which this app does not configure; " +
      `${AKS_SOURCE}); choose one AKS creates clusters on now (1.33, 1.34, 1.35), or leave it out for the region's default. ` +
      "A cluster that already runs 1.32 upgrades one minor version at a time" }],
  },
  {
    name: "the Kubernetes version is not yet offered (AKS rolls its GA out through the GA month)",
    schema: "accepts",
    mutate: (c) => { c.cluster = { kubernetesVersion: "1.36.1" }; },
    problems: [{ path: "cluster.kubernetesVersion", message: "\"1.36.1\": AKS makes 1.36 generally available in 2026-06, region by region, and this app offers it from 2026-07-01 " +
      `(${AKS_SOURCE}); choose one AKS creates clusters on now (1.33, 1.34, 1.35), or leave it out for the region's default` }],
  },
  {
    name: "the Kubernetes version is not in the AKS release calendar",
    schema: "accepts",
    mutate: (c) => { c.cluster = { kubernetesVersion: "1.40" }; },
    problems: [{ path: "cluster.kubernetesVersion", message: "\"1.40\" is not in the AKS release calendar this app knows (config/aks-versions.ts, " +
      `${AKS_SOURCE}); choose one AKS creates clusters on now (1.33, 1.34, 1.35), or leave it out for the region's default` }],
  },
  {
    name: "zones are asked for in a region without availability zones",
    schema: "accepts",
    mutate: (c) => { c.location = "westus"; c.cluster = { availabilityZones: ["1", "2"] }; },
    problems: [{ path: "cluster.availabilityZones", message: "[\"1\",\"2\"] asks for availability zones, but \"westus\" has none " +
      "(https://learn.microsoft.com/azure/reliability/regions-list); must be [] there, or choose a region with zones" }],
  },
  {
    name: "a fleet cluster asks for zones in its own region, which has none, while the top-level region has them",
    schema: "accepts",
    mutate: (c) => { delete c.workloads; c.clusters = [{ name: "weu" }, { name: "wus", location: "westus", cluster: { availabilityZones: ["1"] } }]; },
    problems: [{ path: "clusters[1].cluster.availabilityZones", message: "[\"1\"] asks for availability zones, but \"westus\" has none " +
      "(https://learn.microsoft.com/azure/reliability/regions-list); must be [] there, or choose a region with zones" }],
  },
  {
    name: "zones are asked for in an unknown region (only the region is reported: whether it has zones is unknown)",
    mutate: (c) => { c.location = "moonbase"; c.cluster = { availabilityZones: ["1", "2"] }; },
    problems: [{ path: "location", message: "\"moonbase\" is not a known Azure region; must be a name from `az account list-locations` such as \"westeurope\"" }],
  },
  {
    name: "the pod range of Azure CNI overlay overlaps the VNet and the service range",
    schema: "accepts",
    mutate: (c) => { c.network = { podCidr: "10.0.0.0/8" }; },
    problems: [
      { path: "network.podCidr", message: "\"10.0.0.0/8\" overlaps network.vnetAddressSpace \"10.40.0.0/16\"; the pod range of Azure CNI overlay must lie outside the VNet and the service range (AKS's default is \"10.244.0.0/16\")" },
      { path: "network.podCidr", message: "\"10.0.0.0/8\" overlaps network.serviceCidr \"10.0.0.0/16\"; the pod range of Azure CNI overlay must lie outside the VNet and the service range (AKS's default is \"10.244.0.0/16\")" },
    ],
  },
  {
    name: "the pod range has host bits set",
    mutate: (c) => { c.network = { podCidr: "10.244.1.0/16" }; },
    problems: [{ path: "network.podCidr", message: "\"10.244.1.0/16\" has host bits set; must be the range's first address, i.e. \"10.244.0.0/16\"" }],
    schema: "accepts",
  },
  {
    name: "a workload's cloudName is not the cloud of the vault's region",
    mutate: (c) => { c.workloads[0].cloudName = "AzureUSGovernmentCloud"; },
    problems: [{ path: "workloads[0].cloudName", message: "\"AzureUSGovernmentCloud\" is not the vault's cloud: this app deploys the vault to the Azure public cloud only; " +
      "must be \"AzurePublicCloud\", \"AzureStackCloud\" (an air-gapped cloud described in cloudEnvFileName) or left out" }],
  },
  {
    name: "a workload names the closed Azure Germany cloud",
    mutate: (c) => { c.workloads[0].cloudName = "AzureGermanCloud"; },
    problems: [{ path: "workloads[0].cloudName", message: "\"AzureGermanCloud\" is not the vault's cloud: this app deploys the vault to the Azure public cloud only; " +
      "must be \"AzurePublicCloud\", \"AzureStackCloud\" (an air-gapped cloud described in cloudEnvFileName) or left out" }],
  },
  {
    // The region is refused at location; the public cloud the workload names is the vault's, so it is no second problem.
    name: "the vault is in Azure Government and a workload names the public cloud",
    schema: "accepts",
    mutate: (c) => { c.location = "usgovvirginia"; c.workloads[0].cloudName = "AzurePublicCloud"; },
    problems: [{ path: "location", message: SOVEREIGN("usgovvirginia", "AzureUSGovernmentCloud") }],
  },
  {
    name: "a fleet cluster is in a sovereign cloud while the vault is in the public cloud",
    schema: "accepts",
    mutate: (c) => { delete c.workloads; c.clusters = [{ name: "weu" }, { name: "gov", location: "usgovvirginia" }]; },
    problems: [{ path: "clusters[1].location", message: SOVEREIGN("usgovvirginia", "AzureUSGovernmentCloud") }],
  },
  {
    name: "the vault is in an Azure China region",
    schema: "accepts",
    mutate: (c) => { c.location = "chinanorth3"; },
    problems: [{ path: "location", message: SOVEREIGN("chinanorth3", "AzureChinaCloud") }],
  },
  {
    name: "a runner VNet is given where every endpoint is public",
    schema: "accepts",
    mutate: (c) => { c.network = { runnerVnetId: "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-ci/providers/Microsoft.Network/virtualNetworks/vnet-ci" }; },
    problems: [{ path: "network.runnerVnetId", message: "only applies with keyVault.networkAccess \"private\" or cluster.privateCluster true: with public endpoints the runner needs no peering; leave it out" }],
  },
  {
    name: "the runner VNet is not a virtual network's resource id",
    mutate: (c) => { c.keyVault.networkAccess = "private"; c.network = { runnerVnetId: "vnet-ci" }; },
    problems: [{ path: "network.runnerVnetId", message: "\"vnet-ci\" is not allowed; must be a virtual network resource id such as " +
      "\"/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>\"" }],
  },
  // --- a fleet (issue 13) ---
  {
    name: "two clusters share a name (their stacks would collide)",
    schema: "accepts",
    mutate: (c) => { delete c.workloads; c.clusters = [{ name: "weu" }, { name: "weu", location: "northeurope" }]; },
    problems: [{ path: "clusters[1].name", message: "\"weu\" is already used by clusters[0]; cluster names must be unique because they name the stacks cluster-weu and workload-weu" }],
  },
  {
    name: "a cluster's workload mounts a secret the vault does not hold",
    schema: "accepts",
    mutate: (c) => { delete c.workloads; c.clusters = [{ name: "weu", workloads: [{ name: "app", objects: [{ objectName: "nope" }] }] }]; },
    problems: [{ path: "clusters[0].workloads[0].objects[0].objectName", message: "\"nope\" is neither managed nor external; declare it in keyVault.secrets (known: db-password, api-key)" }],
  },
  {
    name: "a fleet also sets the single cluster's workloads and network",
    schema: "accepts",
    mutate: (c) => { c.network = {}; c.clusters = [{ name: "weu" }]; },
    problems: [
      { path: "network", message: "cannot be combined with clusters; set it per cluster as clusters[].network" },
      { path: "workloads", message: "cannot be combined with clusters; set it per cluster as clusters[].workloads" },
    ],
  },
  {
    name: "a fleet's vault is private (the vault stack has no network to write from)",
    schema: "accepts",
    mutate: (c) => { delete c.workloads; c.keyVault.networkAccess = "private"; c.clusters = [{ name: "weu" }]; },
    problems: [{ path: "keyVault.networkAccess", message: "\"private\" is not available with clusters: the vault stack has no network to write secrets from; " +
      "must be \"allowlist\" (each cluster reaches the vault through a private endpoint in its own VNet)" }],
  },
  {
    name: "a fleet cluster has a bad name, an unknown region and a lab-only setting",
    mutate: (c) => { delete c.workloads; c.clusters = [{ name: "West_EU", location: "mars", cluster: { skuTier: "Free" } }]; },
    problems: [
      { path: "clusters[0].name", message: "\"West_EU\" is not allowed; must be 1-12 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit" },
      { path: "clusters[0].location", message: "\"mars\" is not a known Azure region; must be a name from `az account list-locations` such as \"westeurope\"" },
      { path: "clusters[0].cluster.skuTier", message: "\"Free\" is only allowed in the lab profile; the hardened profile needs \"Standard\" (or set \"profile\": \"lab\" for a throwaway lab)" },
    ],
  },
  {
    name: "a fleet needs more private endpoints into its vault than Key Vault allows (64)",
    schema: "accepts",
    mutate: (c) => { delete c.workloads; c.clusters = Array.from({ length: 65 }, (_, i) => ({ name: `c${i}` })); },
    problems: [{ path: "clusters", message: "lists 65 clusters, and each reaches the one vault through its own private endpoint; Key Vault allows at most 64 " +
      "private endpoints per vault (https://learn.microsoft.com/azure/key-vault/general/service-limits#azure-private-link-integration): " +
      "split the fleet into fleets of at most 64 clusters, each with its own vault" }],
  },
  {
    name: "the fleet's cluster list is empty",
    mutate: (c) => { delete c.workloads; c.clusters = []; },
    problems: [{ path: "clusters", message: "is empty; list at least one cluster, or leave clusters out for a single cluster" }],
  },
  {
    name: "a fleet names Terraform Cloud workspaces for the single cluster's two stacks",
    schema: "accepts",
    mutate: (c) => {
      delete c.workloads;
      c.backend = { type: "cloud", organization: "acme", workspaces: { platform: "a", workload: "b" } };
      c.clusters = [{ name: "weu" }];
    },
    problems: [{ path: "backend.workspaces", message: "cannot be combined with clusters: a fleet's stacks use the workspaces <namePrefix>-vault, " +
      "<namePrefix>-cluster-<name>, <namePrefix>-vault-endpoints and <namePrefix>-workload-<name>; leave it out" }],
  },
  // --- names two stacks would share, and Azure rules a deploy would meet (issue 20) ---
  {
    name: "a fleet's vault group is also a cluster's group, written in other case (Azure compares group names without case)",
    schema: "accepts",
    mutate: (c) => { delete c.workloads; c.resourceGroup = { name: "RG-kvcsi-weu" }; c.clusters = [{ name: "weu" }]; },
    problems: [{ path: "resourceGroup.name", message: "\"RG-kvcsi-weu\" is also the resource group stack cluster-weu creates for clusters[0], rg-<namePrefix>-<name> " +
      "(Azure compares resource group names without case): both stacks would create one group, so the second apply fails because it exists, " +
      "and the first destroy deletes the other stack's resources with it; choose another name" }],
  },
  {
    name: "a fleet's existing vault group is the group a cluster creates",
    schema: "accepts",
    mutate: (c) => { delete c.workloads; c.resourceGroup = { name: "rg-kvcsi-neu", existing: true }; c.clusters = [{ name: "weu" }, { name: "neu" }]; },
    problems: [{ path: "resourceGroup.name", message: "\"rg-kvcsi-neu\" is looked up (resourceGroup.existing), but it is the resource group stack cluster-neu " +
      "creates for clusters[1], rg-<namePrefix>-<name> (Azure compares resource group names without case): the vault stack deploys first and finds no group, " +
      "and destroying that cluster would delete the vault with it; choose another group" }],
  },
  {
    name: "the platform creates the group that holds the azurerm backend's state",
    schema: "accepts",
    mutate: (c) => {
      c.backend = { type: "azurerm", resourceGroupName: "rg-tfstate", storageAccountName: "sttfstate", containerName: "tfstate" };
      c.resourceGroup = { name: "RG-TFSTATE" };
    },
    problems: [{ path: "resourceGroup.name", message: "\"RG-TFSTATE\" is also backend.resourceGroupName, the group of the state's storage account " +
      "(Azure compares resource group names without case): it exists before the first plan, so the platform stack fails to create it, and its destroy " +
      "would delete the state with it; set resourceGroup.existing to true to use that group, or choose another name" }],
  },
  {
    name: "a fleet cluster creates the group that holds the azurerm backend's state",
    schema: "accepts",
    mutate: (c) => {
      delete c.workloads;
      c.backend = { type: "azurerm", resourceGroupName: "rg-kvcsi-weu", storageAccountName: "sttfstate", containerName: "tfstate" };
      c.clusters = [{ name: "weu" }];
    },
    problems: [{ path: "backend.resourceGroupName", message: "\"rg-kvcsi-weu\" holds the state's storage account, but it is also the resource group " +
      "stack cluster-weu creates for clusters[0], rg-<namePrefix>-<name> (Azure compares resource group names without case): it exists before the first plan, " +
      "so that stack fails to create it, and its destroy would delete the state with it; keep the state in another group, or rename the cluster" }],
  },
  {
    name: "the platform workspace is the one the helm driver's csi-driver stack derives",
    schema: "accepts",
    mutate: (c) => {
      c.cluster = { driver: { type: "helm" } };
      c.backend = { type: "cloud", organization: "acme", workspaces: { platform: "kvcsi-csi-driver", workload: "kvcsi-workload" } };
    },
    problems: [{ path: "backend.workspaces.platform", message: "\"kvcsi-csi-driver\" is also the csi-driver stack's workspace (<namePrefix>-csi-driver); each stack needs its own workspace" }],
  },
  {
    name: "the two workspaces differ only in case",
    schema: "accepts",
    mutate: (c) => { c.backend = { type: "cloud", organization: "acme", workspaces: { platform: "KV", workload: "kv" } }; },
    problems: [{ path: "backend.workspaces.workload", message: "\"kv\" is also the platform workspace \"KV\" (workspace names are compared ignoring case); each stack needs its own workspace" }],
  },
  {
    name: "a workload identity's federated credential name (<namespace>-<serviceAccountName>) is over Azure's 120 characters",
    schema: "accepts",
    mutate: (c) => { Object.assign(c.workloads[0], { identity: "workload", namespace: "n".repeat(60), serviceAccountName: "s".repeat(60) }); },
    problems: [{ path: "workloads[0].serviceAccountName", message: `${cut("s".repeat(60))} in namespace ${cut("n".repeat(60))} names the workload identity's ` +
      `federated credential ${cut(`${"n".repeat(60)}-${"s".repeat(60)}`)} (<namespace>-<serviceAccountName>, 121 characters); Azure allows ` +
      "3-120 letters, digits, hyphens and underscores, starting with a letter or digit: shorten the namespace or the ServiceAccount name" }],
  },
  {
    name: "the cluster upgrade channel node-image meets another node OS channel",
    schema: "accepts",
    mutate: (c) => { c.cluster = { automaticUpgradeChannel: "node-image", nodeOsUpgradeChannel: "SecurityPatch" }; },
    problems: [{ path: "cluster.nodeOsUpgradeChannel", message: "\"SecurityPatch\" cannot be combined with cluster.automaticUpgradeChannel \"node-image\": " +
      "AKS then keeps the node OS channel at \"NodeImage\"; must be \"NodeImage\", or choose another cluster.automaticUpgradeChannel" }],
  },
  {
    name: "ephemeral OS disks meet the default VM size, whose 75 GiB temp disk is under the 128 GiB AKS needs",
    schema: "accepts",
    mutate: (c) => { c.cluster = { ephemeralOsDisk: true }; },
    problems: ["systemNodePool", "userNodePool"].map((pool) => ({
      path: `cluster.${pool}.vmSize`,
      message: "\"Standard_D2ds_v5\" cannot hold an ephemeral OS disk: its temp disk has 75 GiB, and AKS places its default ephemeral OS disk only on " +
        "a temp disk of at least 128 GiB; choose a size with a temp disk of at least 128 GiB such as \"Standard_D4ds_v5\", or set cluster.ephemeralOsDisk to false",
    })),
  },
  {
    name: "ephemeral OS disks meet a size without a temp disk and a size whose disks are not in the table",
    schema: "accepts",
    mutate: (c) => { c.cluster = { ephemeralOsDisk: true, systemNodePool: { vmSize: "Standard_D4s_v5" }, userNodePool: { vmSize: "Standard_F8s_v2" } }; },
    problems: [
      { path: "cluster.systemNodePool.vmSize", message: "\"Standard_D4s_v5\" cannot hold an ephemeral OS disk: it has no temp disk, and AKS places its default " +
        "ephemeral OS disk only on a temp disk of at least 128 GiB; choose a size with a temp disk of at least 128 GiB such as \"Standard_D4ds_v5\", " +
        "or set cluster.ephemeralOsDisk to false" },
      { path: "cluster.userNodePool.vmSize", message: "\"Standard_F8s_v2\" is not known to hold an ephemeral OS disk: its temp disk is not in " +
        "config/vm-temp-disks.ts; choose a size with a temp disk of at least 128 GiB such as \"Standard_D4ds_v5\", or add the size's temp disk to that " +
        "table from its Azure VM size page, or set cluster.ephemeralOsDisk to false" },
    ],
  },
  {
    name: "a private vault's DNS zone gets tag names with a space, a colon and a leading digit",
    schema: "accepts",
    mutate: (c) => { c.keyVault.networkAccess = "private"; c.tags = { ...c.tags, "Cost Center": "42", "env:stage": "x", "1st": "y" }; },
    problems: ["Cost Center", "env:stage", "1st"].map((name) => ({
      path: `tags.${name}`,
      message: "private DNS zones keep only tag names of letters, digits, '-' and '_', not starting with a digit (no spaces, parentheses, ':' or other " +
        "special characters); Azure drops any other, so every plan adds it again (this config creates one for keyVault.networkAccess \"private\")",
    })),
  },
  {
    name: "a fleet, whose clusters each get a private DNS zone, has 16 tags (private DNS zones keep 15)",
    schema: "accepts",
    mutate: (c) => {
      delete c.workloads;
      c.clusters = [{ name: "weu" }];
      c.tags = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`tag${i}`, "x"]));
    },
    problems: [{ path: "tags", message: "has 16 tags; private DNS zones keep at most 15 (this config creates one for each fleet cluster's private endpoint to the vault)" }],
  },
  // --- the vault's audit alerts (Azure Monitor's rules; webhook URLs are credentials) ---
  {
    name: "the hardened profile turns the vault's audit alerts off",
    schema: "accepts",
    mutate: (c) => { c.keyVault.alerts = { enabled: false }; },
    problems: [{ path: "keyVault.alerts.enabled", message: "false is only allowed in the lab profile; the hardened profile needs true (denied reads, throttling and expiring secrets alert someone) (or set \"profile\": \"lab\" for a throwaway lab)" }],
  },
  {
    name: "the audit alerts notify nobody",
    schema: "accepts",
    mutate: (c) => { c.keyVault.alerts = { emailRoles: [] }; },
    problems: [{ path: "keyVault.alerts", message: "alerts are on but notify nobody; list at least one of emails, emailRoles or webhooks (or set enabled to false in the lab profile)" }],
  },
  {
    name: "a webhook is given as a URL with its token, and under a URL key",
    mutate: (c) => { c.keyVault.alerts = { webhooks: ["https://hooks.example.com/services/T000?token=abc"], serviceUri: "https://hooks.example.com/x" }; },
    problems: [
      { path: "keyVault.alerts.serviceUri", message: "webhook URLs carry their token and are never accepted in the config; name the receiver in keyVault.alerts.webhooks (e.g. \"pager\") and pass its URL as TF_VAR_alert_webhook_pager" },
      { path: "keyVault.alerts.webhooks[0]", message: "is a URL; webhook URLs carry their token and are never accepted in the config: name the receiver here (e.g. \"pager\") and pass its URL as TF_VAR_alert_webhook_pager" },
    ],
  },
  {
    name: "an alert e-mail is not an address, a role is unknown and a receiver name is listed twice",
    mutate: (c) => { c.keyVault.alerts = { emails: ["ops at example"], emailRoles: ["Ownr"], webhooks: ["pager", "pager"] }; },
    problems: [
      { path: "keyVault.alerts.emails[0]", message: "\"ops at example\" is not allowed; must be an e-mail address such as \"ops@example.com\"" },
      { path: "keyVault.alerts.emailRoles[0]", message: "\"Ownr\" is not allowed; must be \"Owner\", \"Contributor\", \"Monitoring Contributor\" or \"Monitoring Reader\" (did you mean \"Owner\"?)" },
      { path: "keyVault.alerts.webhooks[1]", message: "\"pager\" is listed twice; list each once" },
    ],
  },
  {
    name: "an alert's window is not one Azure Monitor offers, and a severity is out of range",
    mutate: (c) => { c.keyVault.alerts = { deniedReads: { window: "20m", severity: 5 } }; },
    problems: [
      { path: "keyVault.alerts.deniedReads.window", message: "\"20m\" is not allowed; must be \"1m\", \"5m\", \"10m\", \"15m\", \"30m\", \"45m\", \"1h\", \"2h\", \"3h\", \"4h\", \"5h\", \"6h\", \"24h\" or \"48h\" (did you mean \"10m\"?)" },
      { path: "keyVault.alerts.deniedReads.severity", message: "must be a whole number from 0 to 4, got 5" },
    ],
  },
  {
    name: "an alert is evaluated less often than its window (Azure Monitor refuses a frequency above the window)",
    schema: "accepts",
    mutate: (c) => { c.keyVault.alerts = { throttling: { window: "5m", frequency: "1h" } }; },
    problems: [{ path: "keyVault.alerts.throttling.window", message: "\"5m\" is shorter than frequency \"1h\"; the window must be at least the frequency" }],
  },
  // --- Key Vault's request limit (service limits: 4,000 transactions per 10 s per vault and region) ---
  {
    name: "the mounts would throttle the vault: 20 workloads of 50 pods with 12 objects each, polled every 30s",
    schema: "accepts",
    mutate: (c) => {
      c.cluster = { secretRotationInterval: "30s" };
      c.workloads = Array.from({ length: 20 }, (_, i) => ({
        name: `app${i}`, replicas: 50, objects: Array.from({ length: 12 }, (_, j) => ({ objectName: "db-password", objectAlias: `f${j}` })),
      }));
    },
    problems: [{ path: "keyVault", message: "the mounts would send the vault 4,333.3 requests per 10 seconds in steady state, above Key Vault's limit of 4,000 " +
      "per 10 seconds per vault and region, so the driver's reads would be throttled (HTTP 429). Lower it: raise cluster.secretRotationInterval (now \"30s\"), " +
      "run fewer replicas or mount fewer objects (heaviest: workloads[0] \"app0\", 50 pods × 13 requests per mount = 216.7), or move some workloads' secrets to another vault" }],
  },
  {
    name: "a fleet's clusters together would throttle their shared vault, though each alone would not",
    schema: "accepts",
    mutate: (c) => {
      delete c.workloads;
      const apps = Array.from({ length: 10 }, (_, i) => ({
        name: `app${i}`, replicas: 50, objects: Array.from({ length: 12 }, (_, j) => ({ objectName: "db-password", objectAlias: `f${j}` })),
      }));
      c.clusters = ["weu", "neu", "eus"].map((name) => ({ name, cluster: { secretRotationInterval: "45s" }, workloads: apps }));
    },
    problems: [{ path: "keyVault", message: "the mounts would send the vault 4,333.3 requests per 10 seconds in steady state (cluster weu: 1,444.4, cluster neu: 1,444.4, " +
      "cluster eus: 1,444.4), above Key Vault's limit of 4,000 per 10 seconds per vault and region, so the driver's reads would be throttled (HTTP 429). " +
      "Lower it: raise clusters[0].cluster.secretRotationInterval (now \"45s\"), clusters[1].cluster.secretRotationInterval (now \"45s\"), " +
      "clusters[2].cluster.secretRotationInterval (now \"45s\"), run fewer replicas or mount fewer objects " +
      "(heaviest: clusters[0].workloads[0] \"app0\", 50 pods × 13 requests per mount = 144.4), or move some workloads' secrets to another vault" }],
  },
];
