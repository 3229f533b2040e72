import { parseConfig } from "../../config/parse-config";
import { AppConfig } from "../../config/types";
import { freshConfig, NOW, RawConfig } from "./bad-configs";

/**
 * Configs whose names sit at the edges of every naming rule a config name passes
 * (config/naming-rules.ts), for the round trip config name -> address -> Terraform
 * (name-round-trip.test.ts, and terraform/name-round-trip.test.ts for Terraform's side).
 */

/** Key Vault secret names (RULES.secretName: 1-127 letters, digits and hyphens). */
const SECRET_NAMES = ["1password", "9", "x", "Db-Password-2", "s".repeat(127), "a--b", "-lead", "trail-", "0-0"];
/** Key and certificate names: the same rule, granted by their own role. */
const KEY_NAMES = ["1key", "k".repeat(127)];
const CERT_NAMES = ["9-cert", "tls--cert"];
/** DNS-1123 labels (workload names, namespaces, ServiceAccounts): 1-63, leading digits allowed. */
const LABELS = ["9app", "a", "z".repeat(63), "b--c", "0"];
/** Fleet cluster names (RULES.fleetClusterName: 1-12, starting with a letter). */
const CLUSTER_NAMES = ["q", "abcdefghijkl", "z9-x"];

function edgeWorkloads(): RawConfig[] {
  const objects = [
    ...SECRET_NAMES.map((objectName) => ({ objectName })),
    ...KEY_NAMES.map((objectName) => ({ objectName, objectType: "key" })),
    ...CERT_NAMES.map((objectName) => ({ objectName, objectType: "cert" })),
  ];
  return LABELS.map((name) => ({
    name,
    // Two workloads share the add-on identity; the others get their own, and the longest name meets the
    // 120-character limit of its federated credential (<namespace>-<serviceAccountName>).
    identity: name === "a" || name === "0" ? "addon" : "workload",
    namespace: name.length === 63 ? name : `${name}-ns`,
    ...(name.length === 63 ? { serviceAccountName: "s".repeat(56) } : {}),
    objects,
  }));
}

function edgeSecrets(): RawConfig[] {
  return SECRET_NAMES.map((name, i) => ({ name, ...(i % 3 === 2 ? { source: "external" } : {}) }));
}

/** The generated configs: one cluster with per-secret and per-vault grants, and a fleet. */
export const EDGE_CONFIGS: [string, RawConfig][] = [
  ["one cluster, grants per secret", { profile: "lab", namePrefix: "ab", keyVault: { secrets: edgeSecrets() }, workloads: edgeWorkloads() }],
  ["one cluster, grants on the vault", {
    profile: "lab", namePrefix: "a1", keyVault: { secrets: edgeSecrets() }, cluster: { grantScope: "vault" }, workloads: edgeWorkloads(),
  }],
  ["a fleet", {
    profile: "lab",
    namePrefix: "abcdefghijkl",
    keyVault: { secrets: edgeSecrets() },
    clusters: CLUSTER_NAMES.map((name, i) => ({
      name,
      network: { vnetAddressSpace: `10.${50 + i}.0.0/16`, clusterSubnetPrefix: `10.${50 + i}.0.0/20`, endpointSubnetPrefix: `10.${50 + i}.16.0/24` },
      workloads: edgeWorkloads().slice(i, i + 2),
    })),
  }],
];

export function parseGenerated(raw: RawConfig): AppConfig {
  return parseConfig({ ...freshConfig(), workloads: undefined, ...raw }, "generated config", NOW);
}
