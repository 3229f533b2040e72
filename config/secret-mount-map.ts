import { AppConfig, fileNameOf, WorkloadConfig } from "./types";

export interface SecretMount {
  readonly namespace: string;
  readonly deployment: string;
  readonly file: string;
  readonly vaultObject: string;
  readonly identity: "addon" | "workload";
  /** Kubernetes Secret and key the value is also copied into, if the workload opted in. */
  readonly syncedTo?: string;
}

/** Which Key Vault object lands in which file of which pod: the map ops teams audit against. */
export function secretMountMap(config: Pick<AppConfig, "workloads">): SecretMount[] {
  return mountsOf(config.workloads);
}

function mountsOf(workloads: readonly WorkloadConfig[]): SecretMount[] {
  return workloads.flatMap((w) => w.objects.map((o) => {
    const file = fileNameOf(o);
    const sync = w.syncToKubernetesSecret?.items.find((item) => item.objectName === file);
    return {
      namespace: w.namespace,
      deployment: w.name,
      file: `${w.mountPath}/${file}`,
      vaultObject: `${o.objectType}/${o.objectName}${o.objectVersion ? `@${o.objectVersion}` : ""}`,
      identity: w.identity,
      syncedTo: sync ? `${w.syncToKubernetesSecret!.secretName}[${sync.key}] as $${sync.envVar}` : undefined,
    };
  }));
}

export function renderSecretMountMap(vaultName: string, mounts: readonly SecretMount[]): string {
  const rows = mounts.map((m) => `| ${m.namespace} | ${m.deployment} | \`${m.file}\` | ${m.vaultObject} | ${m.identity} | ${m.syncedTo ?? "no"} |`);
  return [
    `Key Vault ${vaultName}`,
    "",
    "| namespace | deployment | file in every pod | Key Vault object | identity | also in a Kubernetes Secret |",
    "|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

/**
 * The map for any config: one table for a single cluster; for a fleet, one table per cluster
 * (named with its stacks and region), all from the one vault. A cluster that mounts nothing says so.
 */
export function renderMountMapOf(config: AppConfig, vaultName: string): string {
  if (!config.clusters) return renderSecretMountMap(vaultName, secretMountMap(config));
  const sections = config.clusters.map((c) => {
    const mounts = mountsOf(c.workloads);
    const table = renderSecretMountMap(vaultName, mounts).split("\n").slice(2).join("\n");
    return [
      `## Cluster ${c.name} (${c.location}; stacks cluster-${c.name}, workload-${c.name})`,
      "",
      mounts.length > 0 ? table : "No workload mounts anything: this cluster has no access to the vault.\n",
    ].join("\n");
  });
  return [`Key Vault ${vaultName}, shared by ${config.clusters.length} cluster(s)`, "", ...sections].join("\n");
}
