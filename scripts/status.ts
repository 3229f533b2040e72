/**
 * `npm run status`: for a deployed cluster, every pod of every configured workload with the
 * version of each mounted object beside the vault's current version, and whether the pod is
 * current, rotating (within its rotation interval), stale (older than the interval allows) or
 * failing to mount (with its last FailedMount event). Exit 1 when a pod is stale or failing.
 *
 *   npm run status [-- --json] [--kubeconfig <file> --context <name>] [--cluster <fleet cluster>]
 *                  [--workload <name> ...] [--rotation-interval <duration>]
 *
 * The cluster: the flags, else the config's kubeconfig connection, else (AKS connection) a
 * kubeconfig from `az aks get-credentials` (and `kubelogin convert-kubeconfig` when local
 * accounts are disabled). kubectl is `$KUBECTL` or `kubectl` on the PATH.
 * The vault: the name and cloud each SecretProviderClass names; only versions and their dates
 * are read (the versions list), never a value, so "Key Vault Reader" is enough. The token is
 * `$KEYVAULT_ACCESS_TOKEN`, else `az account get-access-token` for the resource the vault's 401
 * challenge names. HTTPS_PROXY and NODE_EXTRA_CA_CERTS are honoured.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadConfig } from "../config/load-config";
import { rotationDelayAfterInterval } from "../config/driver-charts";
import { durationSeconds, RULES } from "../config/naming-rules";
import { AppConfig, ClusterConfig, WorkloadConfig } from "../config/types";
import { printable } from "../config/terminal-text";
import { UserError } from "../config/user-error";
import { exitCodeOf, podStatus, PodInput, PodStatus, renderStatus, VaultVersion } from "./mount-status";
import { VaultReader } from "./vault-versions";

interface Options {
  readonly json: boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly cluster?: string;
  readonly workloads: readonly string[];
  readonly rotationInterval?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const workloads: string[] = [];
  let json = false;
  let kubeconfig: string | undefined;
  let context: string | undefined;
  let cluster: string | undefined;
  let rotationInterval: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UserError(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case "--json": json = true; break;
      case "--kubeconfig": kubeconfig = value(); break;
      case "--context": context = value(); break;
      case "--cluster": cluster = value(); break;
      case "--workload": workloads.push(value()); break;
      case "--rotation-interval": rotationInterval = value(); break;
      default: throw new UserError(`unknown argument ${JSON.stringify(argv[i])}; usage: npm run status -- [--json] [--kubeconfig <file> --context <name>] ` +
        "[--cluster <name>] [--workload <name> ...] [--rotation-interval <duration>]");
    }
  }
  if (rotationInterval !== undefined && !RULES.duration.pattern.test(rotationInterval)) {
    throw new UserError(`--rotation-interval ${JSON.stringify(rotationInterval)} is not ${RULES.duration.allowed}`);
  }
  return { json, kubeconfig, context, cluster, workloads, rotationInterval };
}

/** One cluster to look at: its config and how kubectl reaches it. */
interface Target {
  readonly name?: string;
  readonly cluster: ClusterConfig;
  readonly resourceGroupName: string;
  readonly workloads: readonly WorkloadConfig[];
}

function targetsOf(config: AppConfig, options: Options): Target[] {
  const all: Target[] = config.clusters
    ? config.clusters.map((c) => ({ name: c.name, cluster: c.cluster, resourceGroupName: c.resourceGroupName, workloads: c.workloads }))
    : [{ cluster: config.cluster, resourceGroupName: config.resourceGroup.name, workloads: config.workloads }];
  const chosen = options.cluster === undefined ? all : all.filter((t) => t.name === options.cluster);
  if (chosen.length === 0) throw new UserError(`--cluster ${JSON.stringify(options.cluster)} is not a cluster of the config (${all.map((t) => t.name ?? "(single)").join(", ")})`);
  if (options.kubeconfig !== undefined && chosen.length > 1) throw new UserError("--kubeconfig reaches one cluster; name it with --cluster");
  return chosen.map((t) => ({
    ...t,
    workloads: options.workloads.length ? t.workloads.filter((w) => options.workloads.includes(w.name)) : t.workloads,
  }));
}

/** kubectl arguments that reach the target's cluster. */
function kubeAccess(target: Target, options: Options, scratch: string): string[] {
  if (options.kubeconfig !== undefined) return ["--kubeconfig", options.kubeconfig, ...(options.context ? ["--context", options.context] : [])];
  const connection = target.cluster.connection;
  if (connection.type === "kubeconfig") {
    return ["--kubeconfig", connection.path.replace(/^~\//, `${os.homedir()}/`), "--context", options.context ?? connection.context];
  }
  const file = path.join(scratch, `kubeconfig-${target.name ?? "cluster"}`);
  run("az", ["aks", "get-credentials", "--resource-group", target.resourceGroupName, "--name", target.cluster.name, "--file", file, "--overwrite-existing", "--only-show-errors"]);
  if (target.cluster.localAccountsDisabled) run("kubelogin", ["convert-kubeconfig", "--kubeconfig", file, "--login", target.cluster.kubeloginMode]);
  return ["--kubeconfig", file];
}

function run(command: string, args: readonly string[]): string {
  const r = spawnSync(command, args, { encoding: "utf8" });
  if (r.error) throw new UserError(`${command} could not be run (${r.error.message}); install it or pass --kubeconfig`);
  if (r.status !== 0) throw new UserError(`${command} ${args.join(" ")} failed: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

function kubectlJson(access: readonly string[], args: readonly string[]): any {
  return JSON.parse(run(process.env.KUBECTL ?? "kubectl", [...access, "get", ...args, "-o", "json"]));
}

/** Key Vault DNS suffix per cloudName (go-autorest's environments, which the provider uses). */
const VAULT_SUFFIX: Readonly<Record<string, string>> = {
  AzurePublicCloud: "vault.azure.net",
  AzureUSGovernmentCloud: "vault.usgovcloudapi.net",
  AzureChinaCloud: "vault.azure.cn",
  AzureGermanCloud: "vault.microsoftazure.de",
};

/** The vault a SecretProviderClass reads, as a URL. AzureStackCloud's suffix is in its environment file, read here when it exists here. */
function vaultUrlOf(spc: any): string {
  const p = spc.spec?.parameters ?? {};
  const cloud = p.cloudName || "AzurePublicCloud";
  let suffix = VAULT_SUFFIX[cloud];
  if (cloud === "AzureStackCloud") {
    const file = p.cloudEnvFileName;
    if (!file || !fs.existsSync(file)) throw new UserError(`SecretProviderClass ${spc.metadata.namespace}/${spc.metadata.name} uses AzureStackCloud; its environment file ${file} must be readable here for the vault's DNS suffix`);
    suffix = JSON.parse(fs.readFileSync(file, "utf8")).keyVaultDNSSuffix;
  }
  if (!suffix) throw new UserError(`SecretProviderClass ${spc.metadata.namespace}/${spc.metadata.name} names cloud ${JSON.stringify(cloud)}, which has no known Key Vault suffix`);
  return `https://${p.keyvaultName}.${suffix}`;
}

async function statusOf(target: Target, options: Options, scratch: string, now: () => Date): Promise<PodStatus[]> {
  const access = kubeAccess(target, options, scratch);
  const rotation = {
    intervalSeconds: durationSeconds(options.rotationInterval ?? target.cluster.secretRotationInterval),
    kubeletSyncSeconds: rotationDelayAfterInterval(target.cluster.driver),
  };
  const out: PodStatus[] = [];
  const readers = new Map<string, VaultReader>();
  for (const w of target.workloads) {
    const pods = kubectlJson(access, ["pods", "-n", w.namespace, "-l", `app.kubernetes.io/name=${w.name}`]).items as any[];
    const spcps = kubectlJson(access, ["secretproviderclasspodstatuses", "-n", w.namespace]).items as any[];
    const objects = w.objects.map((o) => ({ id: `${o.objectType}/${o.objectName}`, pinnedVersion: o.objectVersion }));
    const vault = new Map<string, VaultVersion>();
    if (pods.length > 0) {
      const spcName = pods[0].spec.volumes?.find((v: any) => v.csi)?.csi?.volumeAttributes?.secretProviderClass;
      const spc = kubectlJson(access, ["secretproviderclass", "-n", w.namespace, spcName]);
      const url = vaultUrlOf(spc);
      const reader = readers.get(url) ?? new VaultReader(url, {
        proxy: process.env.HTTPS_PROXY ?? process.env.https_proxy,
        token: (challenge) => process.env.KEYVAULT_ACCESS_TOKEN ?? azToken(challenge),
      });
      readers.set(url, reader);
      for (const o of objects.filter((x) => !x.pinnedVersion)) vault.set(o.id, await reader.currentVersion(o.id));
    }
    for (const pod of pods) {
      const status = spcps.find((s) => s.status?.podName === pod.metadata.name && s.status?.mounted);
      const events = (kubectlJson(access, ["events", "-n", w.namespace, "--field-selector", `involvedObject.name=${pod.metadata.name},reason=FailedMount`]).items as any[])
        .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? "").localeCompare(String(b.lastTimestamp ?? b.eventTime ?? "")));
      const input: PodInput = {
        cluster: target.name,
        namespace: w.namespace,
        workload: w.name,
        pod: pod.metadata.name,
        mounted: status?.status?.objects?.map((o: any) => ({ id: o.id, version: o.version })),
        lastFailedMount: events.at(-1)?.message,
        objects,
      };
      out.push(podStatus(input, vault, rotation, now()));
    }
  }
  return out;
}

/** Exit 0 all current (or rotating), 1 a pod stale or failing, 2 the command could not look (bad arguments, no access). */
async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "kv-status-"));
  try {
    const pods: PodStatus[] = [];
    for (const target of targetsOf(config, options)) pods.push(...await statusOf(target, options, scratch, () => new Date()));
    process.stdout.write(options.json ? `${JSON.stringify({ pods }, null, 2)}\n` : renderStatus(pods));
    process.exitCode = exitCodeOf(pods);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e) => {
  if (!(e instanceof UserError)) throw e;
  process.stderr.write(`${e.message.split("\n").map(printable).join("\n")}\n`);
  process.exitCode = 2;
});

/** `az account get-access-token` for the resource the vault's 401 challenge names (sovereign clouds and Azure Stack alike). */
function azToken(challenge: string): string {
  const resource = /resource="([^"]+)"/.exec(challenge)?.[1] ?? "https://vault.azure.net";
  return run("az", ["account", "get-access-token", "--resource", resource, "--query", "accessToken", "--output", "tsv"]).trim();
}
