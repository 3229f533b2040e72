#!/usr/bin/env node
/**
 * Writes the Kubernetes objects declared in synthesized cdktf stacks as plain YAML manifests,
 * so `checkov --framework kubernetes` can scan them (checkov reads neither the Terraform
 * kubernetes provider's resource shape nor `kubernetes_manifest`).
 *
 *   node scripts/k8s-manifests.js <cdktf outdir> <dest dir>
 *
 * For every <outdir>/stacks/<stack>/cdk.tf.json, each supported `kubernetes_*` resource becomes
 * <dest>/<stack>/<resource type>.<resource name>.yaml:
 *  - kubernetes_manifest: the `manifest` attribute as is;
 *  - typed resources (kubernetes_deployment_v1, ...): converted from the provider's shape to the
 *    Kubernetes API shape (snake_case -> camelCase, singular list blocks -> plural API fields,
 *    numeric/boolean strings -> numbers/booleans, Terraform meta-arguments dropped).
 * Terraform interpolations ("${...}") stay as strings. An unsupported kubernetes_* resource type
 * is an error, so a new kind of object cannot slip past the scan unnoticed.
 * Only reads and writes files; exits 1 on any problem.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

/** Terraform resource type -> Kubernetes apiVersion/kind. */
const KINDS = {
  kubernetes_namespace: ["v1", "Namespace"],
  kubernetes_service_account: ["v1", "ServiceAccount"],
  kubernetes_config_map: ["v1", "ConfigMap"],
  kubernetes_secret: ["v1", "Secret"],
  kubernetes_service: ["v1", "Service"],
  kubernetes_pod: ["v1", "Pod"],
  kubernetes_limit_range: ["v1", "LimitRange"],
  kubernetes_resource_quota: ["v1", "ResourceQuota"],
  kubernetes_persistent_volume_claim: ["v1", "PersistentVolumeClaim"],
  kubernetes_deployment: ["apps/v1", "Deployment"],
  kubernetes_stateful_set: ["apps/v1", "StatefulSet"],
  kubernetes_daemon_set: ["apps/v1", "DaemonSet"],
  kubernetes_daemonset: ["apps/v1", "DaemonSet"],
  kubernetes_job: ["batch/v1", "Job"],
  kubernetes_cron_job: ["batch/v1", "CronJob"],
  kubernetes_role: ["rbac.authorization.k8s.io/v1", "Role"],
  kubernetes_role_binding: ["rbac.authorization.k8s.io/v1", "RoleBinding"],
  kubernetes_cluster_role: ["rbac.authorization.k8s.io/v1", "ClusterRole"],
  kubernetes_cluster_role_binding: ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding"],
  kubernetes_network_policy: ["networking.k8s.io/v1", "NetworkPolicy"],
  kubernetes_pod_disruption_budget: ["policy/v1", "PodDisruptionBudget"],
  kubernetes_horizontal_pod_autoscaler: ["autoscaling/v2", "HorizontalPodAutoscaler"],
  kubernetes_ingress: ["networking.k8s.io/v1", "Ingress"],
};

/** Provider resource types that create no Kubernetes object of their own (nothing to scan). */
const NOT_OBJECTS = new Set(["kubernetes_labels", "kubernetes_annotations", "kubernetes_env", "kubernetes_node_taint", "kubernetes_config_map_v1_data", "kubernetes_secret_v1_data"]);

/** Terraform meta-arguments and provider-only attributes; not part of the Kubernetes object. */
const TERRAFORM_ONLY = new Set([
  "//", "depends_on", "count", "for_each", "provider", "lifecycle", "provisioner", "connection", "timeouts",
  "wait_for_rollout", "wait_for_load_balancer", "wait_for_completion", "wait_for_default_secret",
  "wait_for_service_account_token",
]);

/** Provider attribute name -> API field name, where it is not simply the camelCase of it. */
const RENAMES = {
  container: "containers",
  init_container: "initContainers",
  volume: "volumes",
  volume_mount: "volumeMounts",
  volume_device: "volumeDevices",
  toleration: "tolerations",
  host_aliases: "hostAliases",
  topology_spread_constraint: "topologySpreadConstraints",
  readiness_gate: "readinessGates",
  image_pull_secret: "imagePullSecrets",
  volume_claim_template: "volumeClaimTemplates",
  rule: "rules",
  subject: "subjects",
  sysctl: "sysctls",
  http_header: "httpHeaders",
  node_selector_term: "nodeSelectorTerms",
  non_resource_urls: "nonResourceURLs",
  host_pid: "hostPID",
  host_ipc: "hostIPC",
  downward_api: "downwardAPI",
  set_hostname_as_fqdn: "setHostnameAsFQDN",
};

/** Renames that depend on the parent API field (same provider name, different API meaning). */
const CONTEXT_RENAMES = {
  // list block in containers and Service specs; a scalar/object in probes, backends and policy ports
  port: (parent) => (["containers", "initContainers", "spec"].includes(parent) ? "ports" : "port"),
  // list of references on a ServiceAccount; a volume/projection source elsewhere
  secret: (parent) => (parent === "" ? "secrets" : "secret"),
  // list of HTTP paths in an Ingress rule; a scalar elsewhere
  path: (parent) => (parent === "http" ? "paths" : "path"),
  // list in an HPA spec; the metric identifier inside a metric source
  metric: (parent) => (parent === "spec" ? "metrics" : "metric"),
  option: (parent) => (parent === "dnsConfig" ? "options" : "option"),
};

/** Map-valued attributes: their keys are user data (labels, resource names) and stay verbatim. */
const VERBATIM_MAPS = new Set([
  "labels", "annotations", "match_labels", "volume_attributes", "node_selector", "limits", "requests",
  "data", "binary_data", "string_data", "parameters", "hard", "max", "min", "default", "default_request",
  "max_limit_request_ratio", "capacity", "driver_attributes",
]);

/** API fields that are integers (Terraform often renders them as strings). */
const INTEGERS = new Set([
  "replicas", "runAsUser", "runAsGroup", "fsGroup", "periodSeconds", "initialDelaySeconds", "timeoutSeconds",
  "successThreshold", "failureThreshold", "containerPort", "hostPort", "nodePort", "terminationGracePeriodSeconds",
  "revisionHistoryLimit", "minReadySeconds", "progressDeadlineSeconds", "activeDeadlineSeconds", "defaultMode",
  "mode", "backoffLimit", "completions", "parallelism", "ttlSecondsAfterFinished", "successfulJobsHistoryLimit",
  "failedJobsHistoryLimit", "startingDeadlineSeconds", "priority", "weight", "maxSkew", "expirationSeconds",
  "minReplicas", "maxReplicas", "port", "targetPort", "number",
]);

/** File-mode fields the provider takes as octal strings ("0644"). */
const OCTAL_MODES = new Set(["defaultMode", "mode"]);

/** API fields that are booleans. */
const BOOLEANS = new Set([
  "runAsNonRoot", "readOnlyRootFilesystem", "allowPrivilegeEscalation", "privileged", "readOnly", "hostNetwork",
  "hostPID", "hostIPC", "automountServiceAccountToken", "shareProcessNamespace", "stdin", "stdinOnce", "tty",
  "enableServiceLinks", "optional", "paused", "suspend", "immutable", "setHostnameAsFQDN", "hostUsers",
]);

/** API fields that are lists (a provider block written as a single object is wrapped); any other field holding a one-object list is unwrapped (a MaxItems-1 block). */
const LIST_FIELDS = new Set([
  "containers", "initContainers", "volumes", "volumeMounts", "volumeDevices", "ports", "tolerations", "hostAliases",
  "topologySpreadConstraints", "readinessGates", "imagePullSecrets", "secrets", "volumeClaimTemplates", "rules",
  "subjects", "sysctls", "options", "httpHeaders", "nodeSelectorTerms", "matchExpressions", "matchFields", "env",
  "envFrom", "items", "sources", "ingress", "egress", "from", "to", "paths", "metrics", "tls",
  "preferredDuringSchedulingIgnoredDuringExecution", "policyTypes", "command", "args", "add", "drop",
  "accessModes", "finalizers", "values", "apiGroups", "verbs", "resourceNames", "nonResourceUrls",
  "nameservers", "searches", "hostnames", "supplementalGroups",
]);

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

function fieldName(key, parentField) {
  if (CONTEXT_RENAMES[key]) return CONTEXT_RENAMES[key](parentField);
  return RENAMES[key] ?? camel(key);
}

function scalar(field, value) {
  if (typeof value !== "string" || value.includes("${")) return value;
  if (OCTAL_MODES.has(field) && /^0[0-7]+$/.test(value)) return parseInt(value, 8); // "0440" file modes
  if (INTEGERS.has(field) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEANS.has(field) && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** Converts one provider attribute value into the API shape. `field` is the API field name it lands in. */
function convert(value, field, providerKey) {
  if (value === null || value === undefined) return undefined;
  if (VERBATIM_MAPS.has(providerKey) && isPlainObject(value)) {
    // `resources { limits/requests }` etc.: keep user keys; only drop empty maps.
    return Object.keys(value).length ? { ...value } : undefined;
  }
  if (providerKey === "selector" && isPlainObject(value) && !("match_labels" in value) && !("match_expressions" in value)) {
    return { ...value }; // a Service's selector is a plain label map
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => (isPlainObject(v) ? convertObject(v, field) : convert(v, field, providerKey))).filter((v) => v !== undefined);
    if (LIST_FIELDS.has(field)) return items;
    // A MaxItems-1 block written as a one-element list.
    if (items.length <= 1 && items.every(isPlainObject)) return items[0];
    return items;
  }
  if (isPlainObject(value)) {
    const out = convertObject(value, field);
    // A list block written as a single object.
    return LIST_FIELDS.has(field) ? [out] : out;
  }
  return scalar(field, value);
}

function convertObject(value, field) {
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "//") continue;
    const name = fieldName(k, field);
    const converted = convert(v, name, k);
    if (converted !== undefined) out[name] = converted;
  }
  return out;
}

function isPlainObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function resourceKind(type) {
  const base = type.replace(/_v\d+(beta\d+)?$/, "");
  return KINDS[base];
}

/** Converts one typed kubernetes_* resource to an API object. */
function typedObject(type, body) {
  const [apiVersion, kind] = resourceKind(type);
  const object = { apiVersion, kind };
  for (const [k, v] of Object.entries(body)) {
    if (TERRAFORM_ONLY.has(k)) continue;
    const name = fieldName(k, "");
    const converted = convert(v, name, k);
    if (converted !== undefined) object[name] = converted;
  }
  return object;
}

/**
 * Checks a converted object against the Kubernetes OpenAPI schema (kubernetes-models), to catch
 * conversion mistakes such as a list where the API wants an object. Interpolations in integer or
 * boolean fields are replaced by a placeholder for the check only. Unknown fields are not flagged.
 */
function validate(object) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
  let models;
  try {
    models = require(`kubernetes-models/${group ? `${group}/` : ""}${version}`);
  } catch {
    throw new Error(`no schema for ${object.apiVersion} in kubernetes-models`);
  }
  const Model = models[object.kind];
  if (!Model) throw new Error(`no schema for ${object.apiVersion} ${object.kind} in kubernetes-models`);
  const placeholder = JSON.parse(JSON.stringify(object), (k, v) => {
    if (typeof v !== "string" || !v.includes("${")) return v;
    if (INTEGERS.has(k)) return 1;
    if (BOOLEANS.has(k)) return false;
    return v;
  });
  try {
    new Model(placeholder).validate();
  } catch (e) {
    throw new Error(`converted ${object.kind} does not match the Kubernetes schema: ${e.message}`);
  }
}

function manifestObject(body) {
  const manifest = body.manifest;
  if (!isPlainObject(manifest)) {
    throw new Error(`manifest is ${typeof manifest === "string" ? `the expression ${JSON.stringify(manifest.slice(0, 60))}` : typeof manifest}, not an object; cannot be scanned`);
  }
  if (!manifest.apiVersion || !manifest.kind) throw new Error(`manifest has no apiVersion/kind`);
  return manifest;
}

/**
 * The Kubernetes objects declared in one synthesized stack (parsed cdk.tf.json), in API shape,
 * with a message per resource that cannot be converted (`<type>.<name>: <why>`).
 */
function stackObjects(tf) {
  const objects = [];
  const errors = [];
  for (const [type, instances] of Object.entries(tf.resource ?? {})) {
    if (!type.startsWith("kubernetes_") || NOT_OBJECTS.has(type.replace(/_v\d+$/, "")) || NOT_OBJECTS.has(type)) continue;
    for (const [name, body] of Object.entries(instances)) {
      try {
        if (body.count !== undefined || body.for_each !== undefined) throw new Error("count/for_each resources are not supported");
        let object;
        if (type === "kubernetes_manifest") object = manifestObject(body);
        else if (resourceKind(type)) {
          object = typedObject(type, body);
          validate(object);
        }
        else throw new Error(`unsupported resource type ${type}; add it to KINDS in scripts/k8s-manifests.js`);
        objects.push({ type, name, object });
      } catch (e) {
        errors.push(`${type}.${name}: ${e.message}`);
      }
    }
  }
  return { objects, errors };
}

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write("usage: node scripts/k8s-manifests.js <cdktf outdir> <dest dir>\n");
    return 2;
  }
  const [outdir, dest] = argv.map((p) => path.resolve(p));
  const stacksDir = path.join(outdir, "stacks");
  if (!fs.existsSync(stacksDir)) throw new Error(`${stacksDir} does not exist; synthesize first`);
  fs.rmSync(dest, { recursive: true, force: true });
  const errors = [];
  let total = 0;
  for (const stack of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, stack, "cdk.tf.json");
    if (!fs.existsSync(file)) {
      errors.push(`${file} missing (was the stack synthesized as HCL?)`);
      continue;
    }
    const tf = JSON.parse(fs.readFileSync(file, "utf8"));
    const found = stackObjects(tf);
    errors.push(...found.errors.map((e) => `${stack}/${e}`));
    const written = [];
    for (const { type, name, object } of found.objects) {
      const target = path.join(dest, stack, `${type}.${name}.yaml`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const header = `# Generated by scripts/k8s-manifests.js from ${path.relative(process.cwd(), file)} ${type}.${name}\n`;
      fs.writeFileSync(target, header + YAML.stringify(object, { lineWidth: 0 }));
      written.push(`${object.kind}/${object.metadata?.name ?? "?"}`);
    }
    total += written.length;
    if (written.length) process.stdout.write(`${stack}: ${written.length} object(s): ${written.join(", ")}\n`);
  }
  for (const e of errors) process.stderr.write(`k8s-manifests: ${e}\n`);
  if (errors.length) return 1;
  if (!total) process.stdout.write("no Kubernetes objects found\n");
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`k8s-manifests: ${e.message}\n`);
    process.exitCode = 1;
  }
}

module.exports = { typedObject, convert, validate, stackObjects };
