import { KEY_VAULT_LIMITS, REQUEST_BUDGET_WARN_SHARE } from "./key-vault-limits";
import { durationSeconds } from "./naming-rules";
import { AppConfig, ClusterConfig, WorkloadConfig } from "./types";

/**
 * Requests one mount of a workload's volume sends to Key Vault: one GET per object, plus the
 * unauthenticated first request the provider's Key Vault client makes to learn the tenant and
 * scope from the 401 challenge (azsecrets, security/keyvault/internal challenge_policy.go). The
 * provider builds a new client for every mount, so every mount pays it; counting it keeps the
 * budget on the safe side even if Key Vault does not charge 401s.
 */
export function requestsPerMount(workload: Pick<WorkloadConfig, "objects">): number {
  return workload.objects.length + 1;
}

export interface WorkloadLoad {
  /** Config path, e.g. workloads[0] or clusters[1].workloads[0]. */
  readonly path: string;
  readonly name: string;
  readonly pods: number;
  readonly requestsPerMount: number;
  /** Steady-state requests per Key Vault window (10 s). */
  readonly perWindow: number;
}

export interface ClusterLoad {
  /** The fleet cluster's name; undefined for a single cluster. */
  readonly name?: string;
  readonly rotationSeconds: number;
  readonly rotationPath: string;
  readonly rotationInterval: string;
  readonly workloads: readonly WorkloadLoad[];
  readonly perWindow: number;
}

export interface RequestBudget {
  readonly windowSeconds: number;
  readonly limit: number;
  readonly warnAbove: number;
  readonly clusters: readonly ClusterLoad[];
  /** Steady state: every pod's rotation poll, across every cluster. */
  readonly perWindow: number;
  /** Every pod of every cluster mounting within one window (a cold start of everything). */
  readonly allPodsStarting: number;
  readonly level: "ok" | "warn" | "over";
}

/**
 * Key Vault requests per vault from the mounts of every cluster that shares it: each pod polls
 * each of its objects once per rotation interval (the driver's rotation poll), plus once at every
 * pod start. Key Vault throttles per vault and region, whichever region a cluster runs in.
 */
export function requestBudget(config: Pick<AppConfig, "cluster" | "workloads" | "clusters">): RequestBudget {
  const window = KEY_VAULT_LIMITS.windowSeconds;
  const clusters: ClusterLoad[] = config.clusters
    ? config.clusters.map((c, i) => clusterLoad(c.cluster, c.workloads, `clusters[${i}].`, c.name))
    : [clusterLoad(config.cluster, config.workloads, "")];
  const perWindow = clusters.reduce((sum, c) => sum + c.perWindow, 0);
  const allPodsStarting = clusters.reduce((sum, c) => sum + c.workloads.reduce((s, w) => s + w.pods * w.requestsPerMount, 0), 0);
  const limit = KEY_VAULT_LIMITS.transactionsPerWindow;
  const warnAbove = limit * REQUEST_BUDGET_WARN_SHARE;
  const level = perWindow > limit ? "over" : perWindow > warnAbove ? "warn" : "ok";
  return { windowSeconds: window, limit, warnAbove, clusters, perWindow, allPodsStarting, level };

  function clusterLoad(cluster: ClusterConfig, workloads: readonly WorkloadConfig[], prefix: string, name?: string): ClusterLoad {
    const rotationSeconds = durationSeconds(cluster.secretRotationInterval);
    const loads = workloads.map((w, i) => {
      const perMount = requestsPerMount(w);
      return { path: `${prefix}workloads[${i}]`, name: w.name, pods: w.replicas, requestsPerMount: perMount, perWindow: (w.replicas * perMount * window) / rotationSeconds };
    });
    return {
      name,
      rotationSeconds,
      rotationPath: `${prefix}cluster.secretRotationInterval`,
      rotationInterval: cluster.secretRotationInterval,
      workloads: loads,
      perWindow: loads.reduce((sum, w) => sum + w.perWindow, 0),
    };
  }
}

/** A rate as people read it: thousands separated, at most one decimal. */
export const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

/** The sentence a config over the limit (or above half of it) gets: the numbers and what to change. */
export function describeBudget(budget: RequestBudget): string {
  const per = `per ${budget.windowSeconds} seconds`;
  const clusters = budget.clusters.length > 1
    ? ` (${budget.clusters.map((c) => `cluster ${c.name}: ${fmt(c.perWindow)}`).join(", ")})`
    : "";
  const heaviest = budget.clusters.flatMap((c) => c.workloads).sort((a, b) => b.perWindow - a.perWindow)[0];
  const rotations = [...new Set(budget.clusters.map((c) => `${c.rotationPath} (now ${JSON.stringify(c.rotationInterval)})`))].join(", ");
  const verdict = budget.level === "over"
    ? `above Key Vault's limit of ${fmt(budget.limit)} ${per} per vault and region, so the driver's reads would be throttled (HTTP 429)`
    : `more than half of Key Vault's limit of ${fmt(budget.limit)} ${per} per vault and region`;
  return `the mounts would send the vault ${fmt(budget.perWindow)} requests ${per} in steady state${clusters}, ${verdict}. ` +
    `Lower it: raise ${rotations}, run fewer replicas or mount fewer objects` +
    (heaviest ? ` (heaviest: ${heaviest.path} ${JSON.stringify(heaviest.name)}, ${heaviest.pods} pods × ${heaviest.requestsPerMount} requests per mount = ${fmt(heaviest.perWindow)})` : "") +
    ", or move some workloads' secrets to another vault";
}

/** The budget as `npm run mounts` prints it: a row per workload, then the total against the limit. */
export function renderRequestBudget(budget: RequestBudget): string {
  const per = `per ${budget.windowSeconds} s`;
  const fleet = budget.clusters.length > 1 || budget.clusters[0]?.name !== undefined;
  const rows = budget.clusters.flatMap((c) => c.workloads.map((w) =>
    `|${fleet ? ` ${c.name} |` : ""} ${w.name} | ${w.pods} | ${w.requestsPerMount} | ${c.rotationInterval} | ${fmt(w.perWindow)} |`));
  const share = Math.round((budget.perWindow / budget.limit) * 100);
  const verdict = { ok: "ok", warn: `above half the limit: ${describeBudget(budget)}`, over: `over the limit: ${describeBudget(budget)}` }[budget.level];
  return [
    `Key Vault requests from the mounts (each pod reads each object once per rotation interval, plus the provider's 401 challenge per mount; ` +
    `limit ${fmt(budget.limit)} ${per} per vault and region, warning above ${fmt(budget.warnAbove)}):`,
    "",
    `|${fleet ? " cluster |" : ""} workload | pods | requests per mount | rotation interval | requests ${per} |`,
    `|${fleet ? "---|" : ""}---|---|---|---|---|`,
    ...rows,
    "",
    `Steady state: ${fmt(budget.perWindow)} requests ${per} (${share}% of the limit): ${verdict}.`,
    `Every pod starting at once: ${fmt(budget.allPodsStarting)} requests.`,
    "",
  ].join("\n");
}
