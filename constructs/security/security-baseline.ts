import { IConstruct } from "constructs";
import { Annotations, DefaultTokenResolver, IAspect, StringConcat, TerraformResource, TerraformStack, Tokenization } from "cdktf";

/** What a rule may know beyond the resource's own configuration. */
interface StackContext {
  /** The resource's Terraform address, e.g. azurerm_key_vault.vault. */
  readonly address: string;
  /** `${address.id}` references that an AuditEvent diagnostic setting in the same stack targets. */
  readonly auditedTargets: ReadonlySet<string>;
}

/** A control every resource of `type` must meet; `check` returns what is wrong, or undefined. */
interface Rule {
  readonly id: string;
  readonly types: readonly string[];
  readonly check: (config: any, context: StackContext) => string | undefined;
}

const exceptions = new WeakMap<IConstruct, Map<string, string>>();

const DEPLOYMENTS = ["kubernetes_deployment_v1", "kubernetes_deployment"];
const fail = (ok: boolean, message: string) => (ok ? undefined : message);
const single = (value: any) => (Array.isArray(value) ? value[0] : value);
const templateOf = (config: any): any => single(single(config.spec)?.template) ?? {};
const podOf = (config: any): any => single(templateOf(config).spec) ?? {};
const containersOf = (config: any): any[] => podOf(config).container ?? [];
/** A helm_release values document this app wrote (JSON, which is YAML); undefined for any other. */
const valuesOf = (value: unknown): any => {
  try {
    return typeof value === "string" ? JSON.parse(value) : undefined;
  } catch {
    return undefined;
  }
};
/** The resource's own block of its synthesized configuration (tokens not yet resolved). */
const configOf = (resource: TerraformResource): any => Object.values(Object.values((resource.toTerraform() as any).resource)[0] as object)[0];

/**
 * The hardening controls of this product as code. Every rule names its check; docs/security.md's
 * security section maps each to the scanner check that proves it.
 */
export const BASELINE_RULES: readonly Rule[] = [
  { id: "kv-rbac", types: ["azurerm_key_vault"], check: (c) => fail(c.rbac_authorization_enabled === true, "rbac_authorization_enabled must be true") },
  { id: "kv-purge-protection", types: ["azurerm_key_vault"], check: (c) => fail(c.purge_protection_enabled === true, "purge_protection_enabled must be true") },
  {
    id: "kv-deny-by-default",
    types: ["azurerm_key_vault"],
    check: (c) => fail(c.public_network_access_enabled === false || single(c.network_acls)?.default_action === "Deny",
      "the vault must deny network access by default (network_acls.default_action \"Deny\" or public access off)"),
  },
  {
    id: "kv-audit-logs",
    types: ["azurerm_key_vault"],
    check: (_c, ctx) => fail(ctx.auditedTargets.has(`\${${ctx.address}.id}`), "a diagnostic setting must send the vault's AuditEvent logs to a workspace"),
  },
  { id: "kv-prevent-destroy", types: ["azurerm_key_vault", "azurerm_key_vault_secret"], check: (c) => fail(c.lifecycle?.prevent_destroy === true, "lifecycle.prevent_destroy must be true") },
  { id: "kv-secret-write-only", types: ["azurerm_key_vault_secret"], check: (c) => fail(c.value === undefined, "the value must be written through value_wo, never value (it would be stored in state)") },
  { id: "kv-secret-expiration", types: ["azurerm_key_vault_secret"], check: (c) => fail(c.expiration_date !== undefined, "expiration_date must be set") },
  { id: "kv-secret-content-type", types: ["azurerm_key_vault_secret"], check: (c) => fail(c.content_type !== undefined, "content_type must be set") },
  {
    id: "aks-entra-rbac",
    types: ["azurerm_kubernetes_cluster"],
    check: (c) => fail(single(c.azure_active_directory_role_based_access_control)?.azure_rbac_enabled === true, "Entra ID integration with Azure RBAC must be enabled"),
  },
  { id: "aks-local-accounts-disabled", types: ["azurerm_kubernetes_cluster"], check: (c) => fail(c.local_account_disabled === true, "local_account_disabled must be true") },
  {
    id: "aks-workload-identity",
    types: ["azurerm_kubernetes_cluster"],
    check: (c) => fail(c.oidc_issuer_enabled === true && c.workload_identity_enabled === true, "the OIDC issuer and workload identity must be enabled"),
  },
  { id: "aks-network-policy", types: ["azurerm_kubernetes_cluster"], check: (c) => fail(Boolean(single(c.network_profile)?.network_policy), "network_profile.network_policy must be set") },
  {
    id: "aks-upgrade-channels",
    types: ["azurerm_kubernetes_cluster"],
    check: (c) => fail(Boolean(c.automatic_upgrade_channel) && ["NodeImage", "SecurityPatch"].includes(c.node_os_upgrade_channel),
      "automatic_upgrade_channel must be set and node_os_upgrade_channel must be NodeImage or SecurityPatch"),
  },
  { id: "aks-azure-policy", types: ["azurerm_kubernetes_cluster"], check: (c) => fail(c.azure_policy_enabled === true, "azure_policy_enabled must be true") },
  { id: "aks-monitoring", types: ["azurerm_kubernetes_cluster"], check: (c) => fail(Boolean(single(c.oms_agent)?.log_analytics_workspace_id), "oms_agent must send to a Log Analytics workspace") },
  {
    // Whoever runs the driver rotates: the add-on, or (add-on off) the self-managed driver chart's release.
    id: "aks-secret-rotation",
    types: ["azurerm_kubernetes_cluster", "helm_release"],
    check: (c) => c.chart === undefined
      ? fail(c.key_vault_secrets_provider === undefined || single(c.key_vault_secrets_provider)?.secret_rotation_enabled === true,
        "key_vault_secrets_provider.secret_rotation_enabled must be true")
      // Helm merges values documents in order, so the last one that sets the key decides.
      : fail(c.chart !== "secrets-store-csi-driver"
        || (c.values ?? []).map(valuesOf).filter((v: any) => v?.enableSecretRotation !== undefined).pop()?.enableSecretRotation === true,
        "the secrets-store-csi-driver chart's values must set enableSecretRotation: true"),
  },
  { id: "aks-sla-tier", types: ["azurerm_kubernetes_cluster"], check: (c) => fail(["Standard", "Premium"].includes(c.sku_tier), "sku_tier must be Standard or Premium (uptime SLA)") },
  {
    id: "aks-max-pods",
    types: ["azurerm_kubernetes_cluster", "azurerm_kubernetes_cluster_node_pool"],
    check: (c) => fail((single(c.default_node_pool)?.max_pods ?? c.max_pods ?? 0) >= 50, "max_pods must be at least 50"),
  },
  {
    id: "aks-user-pool",
    types: ["azurerm_kubernetes_cluster"],
    check: (c) => fail(single(c.default_node_pool)?.only_critical_addons_enabled === true, "the system pool must run only critical add-ons, with workloads on a user pool"),
  },
  { id: "k8s-no-secret-objects", types: ["kubernetes_secret_v1", "kubernetes_secret"], check: () => "Kubernetes Secret objects put values in etcd; mount them from Key Vault instead" },
  {
    id: "pod-non-root",
    types: DEPLOYMENTS,
    check: (c) => fail(single(podOf(c).security_context)?.run_as_non_root === true && containersOf(c).every((x) => single(x.security_context)?.run_as_non_root === true), "pods and containers must set run_as_non_root"),
  },
  { id: "pod-read-only-root", types: DEPLOYMENTS, check: (c) => fail(containersOf(c).every((x) => single(x.security_context)?.read_only_root_filesystem === true), "containers must have a read-only root filesystem") },
  { id: "pod-no-privilege-escalation", types: DEPLOYMENTS, check: (c) => fail(containersOf(c).every((x) => single(x.security_context)?.allow_privilege_escalation === false), "containers must set allow_privilege_escalation false") },
  {
    id: "pod-drop-capabilities",
    types: DEPLOYMENTS,
    check: (c) => fail(containersOf(c).every((x) => (single(single(x.security_context)?.capabilities)?.drop ?? []).includes("ALL")), "containers must drop ALL capabilities"),
  },
  {
    id: "pod-seccomp",
    types: DEPLOYMENTS,
    check: (c) => fail(single(single(podOf(c).security_context)?.seccomp_profile)?.type === "RuntimeDefault", "the pod must use the RuntimeDefault seccomp profile"),
  },
  {
    id: "pod-resources",
    types: DEPLOYMENTS,
    check: (c) => fail(containersOf(c).every((x) => single(x.resources)?.requests && single(x.resources)?.limits), "containers must set resource requests and limits"),
  },
  { id: "pod-probes", types: DEPLOYMENTS, check: (c) => fail(containersOf(c).every((x) => x.liveness_probe && x.readiness_probe), "containers must have liveness and readiness probes") },
  { id: "pod-image-digest", types: DEPLOYMENTS, check: (c) => fail(containersOf(c).every((x) => /@sha256:[0-9a-f]{64}$/.test(x.image ?? "")), "images must be pinned by digest") },
  {
    // With a cached image, a pod on the same node could run a private image it has no pull rights for (CKV_K8S_15).
    id: "pod-image-pull-always",
    types: DEPLOYMENTS,
    check: (c) => fail(containersOf(c).every((x) => x.image_pull_policy === "Always"), "containers must set image_pull_policy \"Always\" so the registry authorizes every start"),
  },
  {
    // The CSI driver gets its own token with each mount request, in both identity modes (see MountIdentity).
    id: "pod-no-service-account-token",
    types: DEPLOYMENTS,
    check: (c) => fail(podOf(c).automount_service_account_token === false,
      "pods must not automount a ServiceAccount token (automount_service_account_token = false); the CSI driver gets its own token"),
  },
];

/**
 * Visits every resource of the app and turns each broken control into an error annotation,
 * which makes app.synth() fail. A deliberate exception, declared on the resource with a reason,
 * turns that error into a warning, so relaxations stay visible at every synth.
 */
export class SecurityBaseline implements IAspect {
  /** Declares that `resource` (or every resource under a construct) may break `ruleId`, and why. */
  static allowException(resource: IConstruct, ruleId: string, reason: string): void {
    if (!BASELINE_RULES.some((r) => r.id === ruleId)) throw new Error(`SecurityBaseline has no rule ${JSON.stringify(ruleId)}`);
    if (!reason.trim()) throw new Error(`SecurityBaseline exception for ${ruleId} needs a reason`);
    const declared = exceptions.get(resource) ?? new Map<string, string>();
    declared.set(ruleId, reason);
    exceptions.set(resource, declared);
  }

  /** Per stack, recomputed each time the stack itself is visited (before its resources). */
  private readonly audited = new WeakMap<TerraformStack, Set<string>>();

  private auditedTargets(stack: TerraformStack): Set<string> {
    const targets = new Set<string>();
    for (const setting of stack.node.findAll()) {
      if (!(setting instanceof TerraformResource) || setting.terraformResourceType !== "azurerm_monitor_diagnostic_setting") continue;
      const config = Tokenization.resolve(configOf(setting), { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
      const logs: any[] = config.enabled_log ?? [];
      const audits = logs.some((l) => l.category === "AuditEvent" || ["audit", "allLogs"].includes(l.category_group));
      if (audits && config.log_analytics_workspace_id) targets.add(config.target_resource_id);
    }
    return targets;
  }

  visit(node: IConstruct): void {
    if (node instanceof TerraformStack) {
      this.audited.set(node, this.auditedTargets(node));
      return;
    }
    if (!(node instanceof TerraformResource)) return;
    const type = node.terraformResourceType;
    const rules = BASELINE_RULES.filter((r) => r.types.includes(type));
    if (rules.length === 0) return;
    const config = configOf(node);
    const context = { address: `${type}.${node.friendlyUniqueId}`, auditedTargets: this.audited.get(TerraformStack.of(node)) ?? new Set<string>() };
    for (const rule of rules) {
      const problem = rule.check(config, context);
      if (!problem) continue;
      const reason = node.node.scopes.map((scope) => exceptions.get(scope)?.get(rule.id)).find(Boolean);
      if (reason) {
        Annotations.of(node).addWarning(`SecurityBaseline ${rule.id} relaxed: ${problem}. Reason: ${reason}`);
      } else {
        Annotations.of(node).addError(`SecurityBaseline ${rule.id}: ${problem}. Fix it, or declare SecurityBaseline.allowException(resource, "${rule.id}", reason).`);
      }
    }
  }
}
