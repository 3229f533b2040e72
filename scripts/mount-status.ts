/**
 * What `npm run status` decides: for every pod of every configured workload, the version of each
 * mounted object (from the driver's SecretProviderClassPodStatus) against the vault's current
 * version, and whether the pod is current, rotating, stale or failing. Pure: the command feeds it
 * what it read from the cluster and the vault.
 */

/**
 * Time the driver needs beyond its rotation interval to put a new version in place: its poll,
 * the provider's round trip to Key Vault and the write of the files (seconds in the e2e run). A
 * pod whose vault version is older than interval + this is stale, not still rotating.
 */
export const ROTATION_SLACK_SECONDS = 15;

export type PodState = "current" | "rotating" | "stale" | "failing";
export type ObjectState = "current" | "rotating" | "stale" | "unknown";

/** The vault's current version of an object, or why it could not be read. */
export type VaultVersion = { readonly version: string; readonly created: Date } | { readonly error: string };

export interface ObjectStatus {
  /** `<objectType>/<objectName>`, as the provider names it in the SecretProviderClassPodStatus. */
  readonly id: string;
  readonly mounted?: string;
  /** The version the pod should have: the pinned objectVersion, or the vault's current one. */
  readonly expected?: string;
  readonly state: ObjectState;
  readonly detail?: string;
}

export interface PodStatus {
  readonly cluster?: string;
  readonly namespace: string;
  readonly workload: string;
  readonly pod: string;
  readonly state: PodState;
  readonly objects: readonly ObjectStatus[];
  /** For a failing pod: the last FailedMount event. */
  readonly lastMountEvent?: string;
}

export interface PodInput {
  readonly cluster?: string;
  readonly namespace: string;
  readonly workload: string;
  readonly pod: string;
  /** The objects the pod's SecretProviderClassPodStatus lists; undefined when it has none (not mounted). */
  readonly mounted?: readonly { readonly id: string; readonly version: string }[];
  /** The newest FailedMount event of the pod, if any. */
  readonly lastFailedMount?: string;
  /** The objects the workload mounts: id and pinned version. */
  readonly objects: readonly { readonly id: string; readonly pinnedVersion?: string }[];
}

const RANK: Record<PodState, number> = { current: 0, rotating: 1, stale: 2, failing: 3 };

/**
 * How long the driver has to put a new vault version in place: its rotation interval, the slack
 * above, and (driver 1.6 and later) the wait for kubelet's next sync of the pod
 * (config/driver-charts.ts rotationDelayAfterInterval).
 */
export interface RotationWindow {
  readonly intervalSeconds: number;
  readonly kubeletSyncSeconds: number;
}

export function podStatus(input: PodInput, vault: ReadonlyMap<string, VaultVersion>, rotation: RotationWindow, now: Date): PodStatus {
  const base = { cluster: input.cluster, namespace: input.namespace, workload: input.workload, pod: input.pod };
  if (!input.mounted) {
    return {
      ...base,
      state: "failing",
      objects: input.objects.map((o) => ({ id: o.id, state: "unknown" as const, detail: "not mounted" })),
      lastMountEvent: input.lastFailedMount ?? "no SecretProviderClassPodStatus and no FailedMount event yet (the pod may be starting)",
    };
  }
  const objects = input.objects.map((o): ObjectStatus => {
    const mounted = input.mounted!.find((m) => m.id === o.id)?.version;
    if (o.pinnedVersion) {
      return { id: o.id, mounted, expected: o.pinnedVersion, state: mounted === o.pinnedVersion ? "current" : "stale", detail: "pinned objectVersion" };
    }
    const current = vault.get(o.id);
    if (!current || "error" in current) return { id: o.id, mounted, state: "unknown", detail: current ? current.error : "not read" };
    if (mounted === current.version) return { id: o.id, mounted, expected: current.version, state: "current" };
    const ageSeconds = Math.max(0, (now.getTime() - current.created.getTime()) / 1000);
    const allowed = rotation.intervalSeconds + ROTATION_SLACK_SECONDS + rotation.kubeletSyncSeconds;
    const kubelet = rotation.kubeletSyncSeconds > 0 ? ` + up to ${rotation.kubeletSyncSeconds}s until kubelet's next sync of the pod (driver 1.6)` : "";
    return {
      id: o.id,
      mounted,
      expected: current.version,
      state: ageSeconds > allowed ? "stale" : "rotating",
      detail: `the vault's version is ${Math.round(ageSeconds)}s old; the driver has ${allowed}s (rotation interval ${rotation.intervalSeconds}s + ${ROTATION_SLACK_SECONDS}s${kubelet})`,
    };
  });
  const worst = objects.reduce<PodState>((state, o) => {
    const s: PodState = o.state === "unknown" ? "stale" : o.state;
    return RANK[s] > RANK[state] ? s : state;
  }, "current");
  return { ...base, state: worst, objects };
}

/** Stale and failing pods make the command fail; a pod still within its rotation window does not. */
export function exitCodeOf(pods: readonly PodStatus[]): number {
  return pods.some((p) => p.state === "stale" || p.state === "failing") ? 1 : 0;
}

const short = (version?: string) => (version ? version.slice(0, 8) : "-");

/** The table for people: one row per pod and object. */
export function renderStatus(pods: readonly PodStatus[]): string {
  const fleet = pods.some((p) => p.cluster !== undefined);
  const header = `|${fleet ? " cluster |" : ""} namespace | workload | pod | object | mounted | vault | state |`;
  const rows = pods.flatMap((p) => p.objects.map((o) =>
    `|${fleet ? ` ${p.cluster} |` : ""} ${p.namespace} | ${p.workload} | ${p.pod} | ${o.id} | ${short(o.mounted)} | ${short(o.expected)} | ${p.state === "failing" ? "failing" : o.state} |`));
  const notes = pods.flatMap((p) => [
    ...(p.lastMountEvent ? [`${p.namespace}/${p.pod} failing to mount: ${p.lastMountEvent.split("\n")[0]}`] : []),
    ...p.objects.filter((o) => o.state !== "current" && o.detail && p.state !== "failing").map((o) => `${p.namespace}/${p.pod} ${o.id} ${o.state}: ${o.detail}`),
  ]);
  const counts = (["current", "rotating", "stale", "failing"] as const).map((s) => `${pods.filter((p) => p.state === s).length} ${s}`).join(", ");
  return [header, `|${fleet ? "---|" : ""}---|---|---|---|---|---|---|`, ...rows, "", ...notes, ...(notes.length ? [""] : []), `${pods.length} pods: ${counts}`, ""].join("\n");
}
