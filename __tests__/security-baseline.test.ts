import * as fs from "fs";
import * as path from "path";
import { TerraformStack } from "cdktf";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { DeploymentV1, DeploymentV1Config } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { BASELINE_RULES, SecureApp, SecurityBaseline } from "../constructs/security";
import { buildApp, BuiltApp } from "../stacks/build-app";
import { synthesizeAtomically, SynthesisError } from "../synth/synthesize";
import { resourceOf } from "./helpers/stacks";
import { configFrom, synthApp } from "./helpers/synth";
import { tempDir } from "./helpers/temp";

const outdir = () => path.join(tempDir("baseline-"), "cdktf.out");

/** Synthesizes `app` and returns the baseline's error messages (empty when it passes). */
function baselineErrors(build: (dir: string) => SecureApp): string[] {
  try {
    synthesizeAtomically(build, outdir());
    return [];
  } catch (e) {
    if (!(e instanceof SynthesisError)) throw e;
    return [...e.errors];
  }
}

function annotationsOf(dir: string, level: string): { constructPath: string; message: string }[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  return Object.values(manifest.stacks).flatMap((s: any) => s.annotations).filter((a: any) => a.level === level);
}

/** Rules on Azure resources, broken by overriding one attribute of the default app. */
const AZURE_ROWS: [rule: string, type: string, attribute: string, value: unknown][] = [
  ["kv-rbac", "azurerm_key_vault", "rbac_authorization_enabled", false],
  ["kv-purge-protection", "azurerm_key_vault", "purge_protection_enabled", false],
  ["kv-deny-by-default", "azurerm_key_vault", "network_acls.default_action", "Allow"],
  ["kv-prevent-destroy", "azurerm_key_vault", "lifecycle.prevent_destroy", false],
  ["kv-audit-logs", "azurerm_monitor_diagnostic_setting", "target_resource_id", "/subscriptions/0/other-resource"],
  ["kv-audit-logs", "azurerm_monitor_diagnostic_setting", "log_analytics_workspace_id", undefined],
  ["kv-secret-write-only", "azurerm_key_vault_secret", "value", "plain-text-in-state"],
  ["kv-secret-expiration", "azurerm_key_vault_secret", "expiration_date", undefined],
  ["kv-secret-content-type", "azurerm_key_vault_secret", "content_type", undefined],
  ["aks-entra-rbac", "azurerm_kubernetes_cluster", "azure_active_directory_role_based_access_control.azure_rbac_enabled", false],
  ["aks-local-accounts-disabled", "azurerm_kubernetes_cluster", "local_account_disabled", false],
  ["aks-workload-identity", "azurerm_kubernetes_cluster", "workload_identity_enabled", false],
  ["aks-network-policy", "azurerm_kubernetes_cluster", "network_profile.network_policy", undefined],
  ["aks-upgrade-channels", "azurerm_kubernetes_cluster", "node_os_upgrade_channel", "None"],
  ["aks-azure-policy", "azurerm_kubernetes_cluster", "azure_policy_enabled", false],
  ["aks-monitoring", "azurerm_kubernetes_cluster", "oms_agent", undefined],
  ["aks-secret-rotation", "azurerm_kubernetes_cluster", "key_vault_secrets_provider.secret_rotation_enabled", false],
  ["aks-sla-tier", "azurerm_kubernetes_cluster", "sku_tier", "Free"],
  ["aks-max-pods", "azurerm_kubernetes_cluster", "default_node_pool.max_pods", 30],
  ["aks-max-pods", "azurerm_kubernetes_cluster_node_pool", "max_pods", 30],
  ["aks-user-pool", "azurerm_kubernetes_cluster", "default_node_pool.only_critical_addons_enabled", false],
];

const GOOD_CONTAINER = {
  name: "app",
  image: "registry.example/app:1@sha256:" + "a".repeat(64),
  imagePullPolicy: "Always",
  resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
  securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
  livenessProbe: { exec: { command: ["true"] } },
  readinessProbe: { exec: { command: ["true"] } },
};
function deployment(change: (pod: any, container: any, labels: Record<string, string>) => void): DeploymentV1Config {
  const container = JSON.parse(JSON.stringify(GOOD_CONTAINER));
  const pod: any = { automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, container: [container] };
  const labels: Record<string, string> = { app: "extra" };
  change(pod, container, labels);
  return { metadata: { name: "extra" }, spec: { selector: { matchLabels: { app: "extra" } }, template: { metadata: { labels }, spec: pod } } };
}
/** Rules on pods, broken by a Deployment a user adds to the workload stack. */
const POD_ROWS: [rule: string, change: (pod: any, container: any, labels: Record<string, string>) => void][] = [
  ["pod-non-root", (pod) => (pod.securityContext.runAsNonRoot = false)],
  ["pod-read-only-root", (_p, c) => (c.securityContext.readOnlyRootFilesystem = false)],
  ["pod-no-privilege-escalation", (_p, c) => delete c.securityContext.allowPrivilegeEscalation],
  ["pod-drop-capabilities", (_p, c) => (c.securityContext.capabilities.drop = ["NET_RAW"])],
  ["pod-seccomp", (pod) => delete pod.securityContext.seccompProfile],
  ["pod-resources", (_p, c) => delete c.resources],
  ["pod-probes", (_p, c) => delete c.readinessProbe],
  ["pod-image-digest", (_p, c) => (c.image = "registry.example/app:latest")],
  ["pod-image-pull-always", (_p, c) => (c.imagePullPolicy = "IfNotPresent")],
  ["pod-no-service-account-token", (pod) => (pod.automountServiceAccountToken = true)],
  // The CSI driver gets its own token, so a workload-identity label is no reason to mount one.
  ["pod-no-service-account-token", (pod, _c, labels) => {
    pod.automountServiceAccountToken = true;
    labels["azure.workload.identity/use"] = "true";
  }],
];

describe("SecurityBaseline", () => {
  test("passes the default app with no error and no warning", () => {
    const s = synthApp();
    expect(annotationsOf(s.outdir, "@cdktf/error")).toEqual([]);
    expect(annotationsOf(s.outdir, "@cdktf/warn")).toEqual([]);
  });

  test("every rule is exercised by a test row", () => {
    const covered = new Set([...AZURE_ROWS.map((r) => r[0]), ...POD_ROWS.map((r) => r[0]), "k8s-no-secret-objects"]);
    expect(BASELINE_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test.each(AZURE_ROWS)("fails synthesis when %s is broken on %s (%s)", (rule, type, attribute, value) => {
    const errors = baselineErrors((dir) => {
      const built: BuiltApp = buildApp(configFrom(), { outdir: dir });
      resourceOf(built.platform, type).addOverride(attribute, value);
      return built.app as SecureApp;
    });
    expect(errors).toEqual([expect.stringContaining(`SecurityBaseline ${rule}:`)]);
  });

  test("fails synthesis when a self-managed driver release turns rotation off, and passes it with rotation on", () => {
    const helm = configFrom((raw) => { raw.cluster = { driver: { type: "helm" } }; });
    const build = (values?: string) => (dir: string) => {
      const built = buildApp(helm, { outdir: dir });
      if (values !== undefined) built.csiDriver!.driver.driver.addOverride("values", [values]);
      return built.app as SecureApp;
    };
    expect(baselineErrors(build())).toEqual([]);
    expect(baselineErrors(build(JSON.stringify({ enableSecretRotation: false })))).toEqual([
      expect.stringContaining("SecurityBaseline aks-secret-rotation: the secrets-store-csi-driver chart's values must set enableSecretRotation: true"),
    ]);
  });

  test.each(POD_ROWS)("fails synthesis when a user-added Deployment breaks %s", (rule, change) => {
    const errors = baselineErrors((dir) => {
      const built = buildApp(configFrom(), { outdir: dir });
      new DeploymentV1(built.workload, "extra", deployment(change));
      return built.app as SecureApp;
    });
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^\\[workload/extra\\] SecurityBaseline ${rule}:`))]);
  });

  test.each([
    ["category AuditEvent", true, [{ category: "AuditEvent" }]],
    ["category group audit", true, [{ categoryGroup: "audit" }]],
    ["category group allLogs", true, [{ categoryGroup: "allLogs" }]],
    ["only AzurePolicyEvaluationDetails", false, [{ category: "AzurePolicyEvaluationDetails" }]],
  ])("kv-audit-logs with %s in the diagnostic setting passes: %s", (_what, passes, logs) => {
    const errors = baselineErrors((dir) => {
      const built = buildApp(configFrom(), { outdir: dir });
      (resourceOf(built.platform, "azurerm_monitor_diagnostic_setting") as MonitorDiagnosticSetting).putEnabledLog(logs);
      return built.app as SecureApp;
    });
    expect(errors).toEqual(passes ? [] : [expect.stringContaining("SecurityBaseline kv-audit-logs:")]);
  });

  test("accepts the well-formed user-added Deployment the pod rows start from", () => {
    expect(baselineErrors((dir) => {
      const built = buildApp(configFrom(), { outdir: dir });
      new DeploymentV1(built.workload, "extra", deployment(() => undefined));
      return built.app as SecureApp;
    })).toEqual([]);
  });

  test("fails synthesis when a Kubernetes Secret object is added", () => {
    const errors = baselineErrors((dir) => {
      const built = buildApp(configFrom(), { outdir: dir });
      new SecretV1(built.workload, "leaky", { metadata: { name: "leaky" }, data: { k: "v" } });
      return built.app as SecureApp;
    });
    expect(errors).toEqual([expect.stringContaining("SecurityBaseline k8s-no-secret-objects:")]);
  });

  test("holds a stack the user adds to the app to the same bar", () => {
    const errors = baselineErrors((dir) => {
      const built = buildApp(configFrom(), { outdir: dir });
      const extra = new TerraformStack(built.app, "extra");
      new KubernetesProvider(extra, "kubernetes", {});
      new SecretV1(extra, "leaky", { metadata: { name: "leaky" } });
      return built.app as SecureApp;
    });
    expect(errors).toEqual([expect.stringContaining("[extra/leaky] SecurityBaseline k8s-no-secret-objects:")]);
  });

  test("turns a violation with a declared exception into a warning that carries the reason", () => {
    const dir = outdir();
    synthesizeAtomically((d) => {
      const built = buildApp(configFrom(), { outdir: d });
      resourceOf(built.platform, "azurerm_kubernetes_cluster").addOverride("sku_tier", "Free");
      SecurityBaseline.allowException(built.platform.cluster, "aks-sla-tier", "cost test environment");
      return built.app as SecureApp;
    }, dir);
    expect(annotationsOf(dir, "@cdktf/warn")).toEqual([
      { constructPath: "platform/aks/cluster", level: "@cdktf/warn", message: expect.stringMatching(/aks-sla-tier relaxed: .*Reason: cost test environment$/) },
    ]);
  });

  test("refuses an exception for an unknown rule or without a reason", () => {
    const { platform } = buildApp(configFrom());
    expect(() => SecurityBaseline.allowException(platform.vault, "kv-nonsense", "x")).toThrow('SecurityBaseline has no rule "kv-nonsense"');
    expect(() => SecurityBaseline.allowException(platform.vault, "kv-rbac", "  ")).toThrow("SecurityBaseline exception for kv-rbac needs a reason");
  });

  test("the lab profile relaxes controls only with a warning for each relaxation", () => {
    const s = synthApp(configFrom((raw) => {
      raw.profile = "lab";
      raw.workloads[0].image = "busybox:1.36";
      delete raw.keyVault.secrets[0].expirationDate;
    }));
    const relaxed = annotationsOf(s.outdir, "@cdktf/warn").map((a) => `${a.constructPath} ${a.message.split(" relaxed:")[0].replace("SecurityBaseline ", "")}`);
    expect(relaxed.sort()).toEqual([
      "platform/aks/cluster aks-local-accounts-disabled",
      "platform/aks/cluster aks-sla-tier",
      "platform/aks/cluster aks-user-pool",
      "platform/key-vault/secret-api-key kv-prevent-destroy",
      "platform/key-vault/secret-db-password kv-prevent-destroy",
      "platform/key-vault/secret-db-password kv-secret-expiration",
      "platform/key-vault/vault kv-deny-by-default",
      "platform/key-vault/vault kv-prevent-destroy",
      "workload/apps/demo/deployment pod-image-digest",
    ]);
    expect(annotationsOf(s.outdir, "@cdktf/warn").every((a) => a.message.includes("Reason: lab profile"))).toBe(true);
  });

  test("the lab profile is never the default", () => {
    expect(configFrom().profile).toBe("hardened");
  });
});
