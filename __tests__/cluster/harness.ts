import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { AppConfig } from "../../config/types";
import { stackNamesOf } from "../../stacks/build-app";
import { PLATFORM_OUTPUTS } from "../../stacks/platform-outputs";
import { SHIPPED_CONFIGS } from "../helpers/shipped-configs";
import { synthAny } from "../helpers/synth";

// Required untyped, like the other tests do with the project's plain-JS scripts.
const { stackObjects } = require("../../scripts/k8s-manifests.js") as {
  stackObjects(tf: unknown): { objects: { type: string; name: string; object: any }[]; errors: string[] };
};

/** Set by `scripts/control-plane.sh test` (npm run test:cluster), which starts the API server. */
const DIR = process.env.CLUSTER_TEST_DIR;
export const CRD_FILE = process.env.SPC_CRD_FILE ?? "";
if (!DIR || !CRD_FILE) {
  throw new Error("the cluster tests need a running API server: run them with `npm run test:cluster`");
}
export const KUBECONFIG = path.join(DIR, "kubeconfig");
/** Where scratch files of one test run go (inside the control plane's folder, removed with it). */
export const SCRATCH = fs.mkdtempSync(path.join(DIR, "scratch-"));


/**
 * Every workload stack of every shipped config, as [label, config, stack name]: one for a
 * single cluster, one per cluster of a fleet.
 */
export const SHIPPED_WORKLOAD_STACKS: [string, AppConfig, string][] = SHIPPED_CONFIGS.flatMap(([label, config]) => stackNamesOf(config)
  .filter((stack) => stack === "workload" || stack.startsWith("workload-"))
  .map((stack): [string, AppConfig, string] => [stack === "workload" ? label : `${label} ${stack}`, config, stack]));

/** Server-side apply, as the provider's kubernetes_manifest does, with the API's strict field validation. */
export const SERVER_SIDE_APPLY = ["apply", "--server-side", "--field-manager=cluster-test", "--validate=strict", "-f", "-"];

export interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** kubectl against the local API server; any warning from the server is an error. */
export function kubectl(args: readonly string[], input?: string): Result {
  const r = spawnSync(path.join(DIR!, "kubectl"), ["--kubeconfig", KUBECONFIG, "--warnings-as-errors", ...args], {
    input,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** kubectl that must succeed; its stdout. */
export function kubectlOk(args: readonly string[], input?: string): string {
  const r = kubectl(args, input);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Objects as one kubectl input (a v1 List). */
export const asList = (objects: readonly any[]): string => JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });

/**
 * Plausible values for the platform's outputs, which the workload stack reads through remote
 * state: an Azure GUID for tenant and client ids, a Key Vault name for the vault.
 */
export function platformOutputValue(output: string): string {
  if (output === PLATFORM_OUTPUTS.keyVaultName) return "kv-kvcsi-3f9a2c";
  if (output === PLATFORM_OUTPUTS.tenantId) return "6b2e4c1d-8f3a-4e5b-9c7d-0a1b2c3d4e5f";
  if (output === PLATFORM_OUTPUTS.secretsProviderClientId) return "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
  // Each identity its own id, so the admission policy's tests can tell them apart.
  if (/^workload_identity_client_id_/.test(output)) return guidOf(output);
  throw new Error(`no plausible value for platform output ${output}; add one to platformOutputValue`);
}

/** A GUID-shaped id derived from `text`, stable across runs. */
export function guidOf(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const REMOTE_OUTPUT = /\$\{data\.terraform_remote_state\.platform\.outputs\.([a-z0-9_]+)\}/g;

/**
 * A workload stack's Kubernetes objects for `config` (a fleet has one per cluster), as the API would receive them: converted
 * by scripts/k8s-manifests.js (the scan's converter), platform outputs filled in. Namespaces come
 * first, so everything else has a namespace to land in.
 */
export function workloadObjects(config: AppConfig, stack = "workload", outputValue: (output: string) => string = platformOutputValue): any[] {
  const workload = synthAny(config).stackJson(stack);
  const { objects, errors } = stackObjects(workload);
  if (errors.length) throw new Error(`cannot convert: ${errors.join("; ")}`);
  const text = JSON.stringify(objects.map((o) => o.object)).replace(REMOTE_OUTPUT, (_, output) => outputValue(output));
  const unresolved = /\$\{[^}]*\}/.exec(text);
  if (unresolved) throw new Error(`unresolved Terraform expression ${unresolved[0]} in a workload object`);
  const items: any[] = JSON.parse(text);
  const rank = (o: any) => (o.kind === "Namespace" ? 0 : 1);
  return items.sort((a, b) => rank(a) - rank(b));
}

/**
 * The "default" ServiceAccount that kube-controller-manager would create in every namespace; it
 * does not run here, and the ServiceAccount admission plugin rejects a pod whose account is missing.
 */
export function createDefaultServiceAccount(namespace: string): void {
  const account = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace } };
  kubectlOk(["apply", "--server-side", "--field-manager=cluster-test", "-f", "-"], JSON.stringify(account));
}

/** A Pod as a Deployment's ReplicaSet would create it from the template. */
export function podFromTemplate(deployment: any): any {
  const template = deployment.spec.template;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `${deployment.metadata.name}-from-template`, namespace: deployment.metadata.namespace, labels: template.metadata?.labels },
    spec: template.spec,
  };
}

/** The live objects the API server holds for `objects`. */
export function liveObjects(objects: readonly any[]): any[] {
  return JSON.parse(kubectlOk(["get", "-f", "-", "-o", "json"], asList(objects))).items;
}

/** `<kind> <namespace>/<name>` -> resourceVersion of the live objects. */
export function resourceVersions(objects: readonly any[]): Record<string, string> {
  return Object.fromEntries(liveObjects(objects).map((o) => [`${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`, o.metadata.resourceVersion]));
}

/**
 * The API server drops a deleted ValidatingAdmissionPolicy only at its next background refresh
 * (every second, k8s.io/apiserver policy_source.go), so the next config's objects could still be
 * judged by this one. Every identity policy refuses the VM identity in `default`, a namespace no
 * config may use: once a dry-run of such a SecretProviderClass is admitted, none is enforced.
 */
function waitUntilNoIdentityPolicy(): void {
  const probe = JSON.stringify({
    apiVersion: "secrets-store.csi.x-k8s.io/v1",
    kind: "SecretProviderClass",
    metadata: { name: "no-policy-probe", namespace: "default" },
    spec: { provider: "azure", parameters: { useVMManagedIdentity: "true" } },
  });
  const deadline = Date.now() + 30_000;
  while (kubectl(["create", "--dry-run=server", "-f", "-"], probe).status !== 0) {
    if (Date.now() > deadline) throw new Error("a deleted identity admission policy is still enforced 30 s later");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
}

/** Cluster-scoped kinds a workload stack creates (its identity admission policy). */
const CLUSTER_SCOPED = new Set(["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]);

/**
 * Removes the namespaces of `objects` with everything in them, and their cluster-scoped objects
 * (a config's admission policy would judge the next config's objects), so the next config (or the
 * Terraform test) starts from an empty cluster. No kube-controller-manager runs, so its
 * namespace controller is done by hand: empty the namespace, then clear its finalizer.
 */
export function deleteNamespaces(objects: readonly any[]): void {
  const admission = objects.filter((x) => CLUSTER_SCOPED.has(x.kind));
  for (const o of admission) kubectlOk(["delete", o.kind.toLowerCase(), o.metadata.name, "--ignore-not-found"]);
  if (admission.length > 0) waitUntilNoIdentityPolicy();
  for (const ns of objects.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name as string)) {
    kubectlOk(["delete", "deployments,pods,serviceaccounts,networkpolicies,secretproviderclasses,secrets,configmaps",
      "--all", "-n", ns, "--ignore-not-found", "--wait=false"]);
    kubectlOk(["delete", "namespace", ns, "--ignore-not-found", "--wait=false"]);
    const live = kubectl(["get", "namespace", ns, "-o", "json"]);
    if (live.status !== 0) continue;
    const namespace = JSON.parse(live.stdout);
    namespace.spec.finalizers = [];
    kubectlOk(["replace", "--raw", `/api/v1/namespaces/${ns}/finalize`, "-f", "-"], JSON.stringify(namespace));
  }
}
