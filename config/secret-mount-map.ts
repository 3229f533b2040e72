import { AppConfig, fileNameOf } from "./types";

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
export function secretMountMap(config: AppConfig): SecretMount[] {
  return config.workloads.flatMap((w) => w.objects.map((o) => {
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
