import { AppConfig, ClusterConfig, WorkloadConfig } from "./types";

/**
 * Azure's limits on what a config's identities need, as data with their sources (read 2026-12-04).
 * Only limits a config can actually reach are checked; the others are documented in docs/identity.md
 * with the reason they cannot be reached.
 */
export const IDENTITY_LIMITS = {
  /**
   * "Azure supports up to 4000 role assignments per subscription. This limit includes role
   * assignments at the subscription, resource group, and resource scopes ... The 4000 role
   * assignments limit per subscription is fixed and cannot be increased."
   */
  roleAssignmentsPerSubscription: {
    limit: 4000,
    source: "https://learn.microsoft.com/azure/role-based-access-control/troubleshoot-limits",
    read: "2026-12-04",
  },
  /**
   * "A maximum of 20 federated identity credentials can be added to an application or
   * user-assigned managed identity." Each workload identity here has exactly one (its own
   * ServiceAccount on its own cluster's issuer), so no config can reach it.
   */
  federatedCredentialsPerIdentity: {
    limit: 20,
    source: "https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations",
    read: "2026-12-04",
  },
} as const;

/**
 * Above this share of the subscription's role assignments, synthesis warns. The count covers only
 * what this config creates; the subscription's other assignments (other teams, policies,
 * Defender, other configs) share the same 4,000, and Azure refuses the next grant at apply time
 * (RoleAssignmentLimitExceeded), half-way through a deploy.
 */
export const ROLE_ASSIGNMENT_WARN_SHARE = 0.5;

/** Role assignments of one place (the vault's stack, or a cluster's), and why. */
export interface RoleAssignmentPart {
  /** Where they are created: "platform", "vault" or "cluster <name>". */
  readonly where: string;
  readonly count: number;
}

export interface RoleAssignmentCount {
  readonly total: number;
  readonly parts: readonly RoleAssignmentPart[];
  /** "over" above the subscription's limit (refused), "warn" above ROLE_ASSIGNMENT_WARN_SHARE of it, else "ok". */
  readonly level: "ok" | "warn" | "over";
}

/**
 * Every role assignment a config creates, across all its stacks. It mirrors the constructs: the
 * deployer's Secrets Officer on the vault (SecretsVault); per cluster the cluster identity's
 * Network Contributor on its subnet and the deployer's RBAC Cluster Admin (AksCluster); and per
 * identity the read grants (SecretReadGrants): one per mounted object with grantScope "secret",
 * one per role with "vault", each identity's repeats created once. A test compares it with the
 * azurerm_role_assignment resources every shipped config synthesizes.
 */
export function roleAssignmentCount(config: AppConfig): RoleAssignmentCount {
  const vault = 1;
  const parts: RoleAssignmentPart[] = config.clusters
    ? [{ where: "vault", count: vault }, ...config.clusters.map((c) => ({ where: `cluster ${c.name}`, count: clusterAssignments(c.cluster, c.workloads) }))]
    : [{ where: "platform", count: vault + clusterAssignments(config.cluster, config.workloads) }];
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  const { limit } = IDENTITY_LIMITS.roleAssignmentsPerSubscription;
  const level = total > limit ? "over" : total > limit * ROLE_ASSIGNMENT_WARN_SHARE ? "warn" : "ok";
  return { total, parts, level };
}

function clusterAssignments(cluster: Pick<ClusterConfig, "grantScope">, workloads: readonly WorkloadConfig[]): number {
  const grants = new Set<string>();
  for (const w of workloads) {
    const identity = w.identity === "addon" ? "addon" : `workload ${w.name}`;
    for (const o of w.objects) {
      const target = cluster.grantScope === "vault"
        ? (o.objectType === "secret" ? "secrets" : "certificates")
        : `${o.objectType}/${o.objectName.toLowerCase()}`;
      grants.add(`${identity} ${target}`);
    }
  }
  const clusterIdentityAndDeployer = 2;
  return clusterIdentityAndDeployer + grants.size;
}

/** The line `npm run mounts` prints under its table. */
export function renderRoleAssignmentBudget(config: AppConfig): string {
  const { limit, source } = IDENTITY_LIMITS.roleAssignmentsPerSubscription;
  const { total, parts } = roleAssignmentCount(config);
  const split = parts.length > 1 ? ` (${parts.map((p) => `${p.where}: ${p.count}`).join(", ")})` : "";
  return `Role assignments this config creates: ${total}${split} of Azure's ${limit.toLocaleString("en-US")} per subscription ` +
    `(${source}); synthesis warns above ${(limit * ROLE_ASSIGNMENT_WARN_SHARE).toLocaleString("en-US")} and refuses above ${limit.toLocaleString("en-US")}.\n`;
}
