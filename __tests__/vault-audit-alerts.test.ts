import { VaultAuditAlerts, VaultAuditAlertsProps } from "../constructs/azure-monitoring";
import { configFrom, resourcesOf, sharedSynthApp, synthAny, synthApp, synthFleet } from "./helpers/synth";
import { azureStack, synthesized } from "./helpers/stacks";

const RULE = { threshold: 0, window: "15m", frequency: "5m", severity: 1 } as const;
const minimal = (extra: Partial<VaultAuditAlertsProps> = {}): VaultAuditAlertsProps => ({
  namePrefix: "kvcsi", location: "westeurope", resourceGroupName: "rg", logWorkspaceId: "/subscriptions/x/workspaces/log",
  deniedReads: RULE, throttling: { ...RULE, severity: 2 }, secretExpiry: { daysBefore: 30, severity: 2 }, declaredExpiries: [], ...extra,
});

describe("VaultAuditAlerts", () => {
  test("with only the required props, e-mails the subscription's Owners through one action group with the common schema", () => {
    const stack = azureStack();
    new VaultAuditAlerts(stack, "alerts", minimal());
    const [group] = synthesized(stack, "azurerm_monitor_action_group");
    expect(group).toMatchObject({
      name: "ag-kvcsi-kv-audit",
      short_name: "kvcsi",
      arm_role_receiver: [{ name: "role-owner", role_id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", use_common_alert_schema: true }],
    });
    expect(group).not.toHaveProperty("email_receiver");
    expect(group).not.toHaveProperty("webhook_receiver");
    expect(group).not.toHaveProperty("tags");
  });

  test("creates the denied-reads, throttling and expiry rules on the workspace, split by secret and caller, each to the action group", () => {
    const stack = azureStack();
    new VaultAuditAlerts(stack, "alerts", minimal({ declaredExpiries: [{ name: "db-password", expirationDate: "2027-12-31T00:00:00Z" }] }));
    const order = ["kv-audit-kvcsi-denied-reads", "kv-audit-kvcsi-throttled", "kv-audit-kvcsi-expiring-secrets"];
    const rules = synthesized(stack, "azurerm_monitor_scheduled_query_rules_alert_v2").sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    expect(rules.map((r) => [r.name, r.evaluation_frequency, r.window_duration, r.severity, r.criteria[0].threshold, r.criteria[0].dimension.map((d: any) => d.name)])).toEqual([
      ["kv-audit-kvcsi-denied-reads", "PT5M", "PT15M", 1, 0, ["ObjectName", "CallerAppId"]],
      ["kv-audit-kvcsi-throttled", "PT5M", "PT15M", 2, 0, ["OperationName", "CallerAppId"]],
      ["kv-audit-kvcsi-expiring-secrets", "P1D", "P1D", 2, 0, ["ObjectName", "State"]],
    ]);
    for (const r of rules) {
      expect(r.scopes).toEqual(["/subscriptions/x/workspaces/log"]);
      expect(r.criteria[0]).toMatchObject({ time_aggregation_method: "Count", operator: "GreaterThan" });
      expect(r.action.action_groups).toEqual([expect.stringMatching(/^\$\{azurerm_monitor_action_group\.alerts_action-group_[0-9A-F]{8}\.id\}$/)]);
      expect(r.auto_mitigation_enabled).toBe(true);
    }
    expect(rules[0].criteria[0].query).toContain("HttpStatusCode == 403");
    expect(rules[1].criteria[0].query).toContain("HttpStatusCode == 429");
    expect(rules[2].criteria[0].query).toContain("\"db-password\", datetime(2027-12-31T00:00:00Z)");
    expect(rules[2].criteria[0].query).toContain("ExpiresOn < now() + 30d");
  });

  test("maps the config's windows and frequencies to ISO 8601 and names receivers by their config", () => {
    const stack = azureStack();
    new VaultAuditAlerts(stack, "alerts", minimal({
      emails: ["ops@example.com"], emailRoles: ["Monitoring Reader"], webhooks: [{ name: "pager", serviceUri: "${var.alert_webhook_pager}" }],
      throttling: { threshold: 10, window: "24h", frequency: "1h", severity: 3 },
    }));
    const [group] = synthesized(stack, "azurerm_monitor_action_group");
    expect(group.email_receiver).toEqual([{ name: "email-1", email_address: "ops@example.com", use_common_alert_schema: true }]);
    expect(group.arm_role_receiver).toEqual([{ name: "role-monitoring-reader", role_id: "43d0d8ad-25c7-4714-9337-8ba259a9fe05", use_common_alert_schema: true }]);
    expect(group.webhook_receiver).toEqual([{ name: "pager", service_uri: "${var.alert_webhook_pager}", use_common_alert_schema: true }]);
    const throttled = synthesized(stack, "azurerm_monitor_scheduled_query_rules_alert_v2").find((r) => r.name === "kv-audit-kvcsi-throttled");
    expect([throttled.evaluation_frequency, throttled.window_duration, throttled.severity, throttled.criteria[0].threshold]).toEqual(["PT1H", "P1D", 3, 10]);
  });

  test("fails when no receiver is given", () => {
    expect(() => new VaultAuditAlerts(azureStack(), "a", minimal({ emailRoles: [] }))).toThrow("VaultAuditAlerts needs at least one receiver: emails, emailRoles or webhooks");
  });

  test("fails when an e-mail is not an address", () => {
    expect(() => new VaultAuditAlerts(azureStack(), "a", minimal({ emails: ["ops"] }))).toThrow("VaultAuditAlerts email \"ops\" is not an e-mail address");
  });

  test("fails when a rule's window is shorter than its frequency", () => {
    expect(() => new VaultAuditAlerts(azureStack(), "a", minimal({ deniedReads: { ...RULE, window: "5m", frequency: "1h" } })))
      .toThrow("VaultAuditAlerts deniedReads: window 5m is shorter than frequency 1h");
  });
});

describe("the vault's audit in the synthesized app", () => {
  test("the default config's output holds the four saved searches, the action group and the three alert rules", () => {
    const platform = sharedSynthApp().stackJson("platform");
    expect(resourcesOf(platform, "azurerm_log_analytics_saved_search").map((s) => s.name).sort())
      .toEqual(["kv-audit-denied-reads", "kv-audit-expiring-secrets", "kv-audit-secret-reads", "kv-audit-throttled"]);
    expect(resourcesOf(platform, "azurerm_monitor_action_group")).toHaveLength(1);
    expect(resourcesOf(platform, "azurerm_monitor_scheduled_query_rules_alert_v2")).toHaveLength(3);
    for (const s of resourcesOf(platform, "azurerm_log_analytics_saved_search")) {
      expect(s.log_analytics_workspace_id).toBe("${azurerm_log_analytics_workspace.logs.id}");
      expect(s.category).toBe("Key Vault audit (aks-keyvault-csi)");
    }
  });

  test("the vault's diagnostic setting writes AuditEvent to the resource-specific table the queries read", () => {
    const [setting] = resourcesOf(sharedSynthApp().stackJson("platform"), "azurerm_monitor_diagnostic_setting");
    expect(setting).toMatchObject({ log_analytics_destination_type: "Dedicated", enabled_log: [{ category: "AuditEvent" }] });
  });

  test("the lab profile keeps the saved searches and has no alerts", () => {
    const platform = synthApp(configFrom((raw) => { raw.profile = "lab"; })).stackJson("platform");
    expect(resourcesOf(platform, "azurerm_log_analytics_saved_search")).toHaveLength(4);
    expect(resourcesOf(platform, "azurerm_monitor_action_group")).toEqual([]);
    expect(resourcesOf(platform, "azurerm_monitor_scheduled_query_rules_alert_v2")).toEqual([]);
  });

  test("the lab profile can turn the alerts on", () => {
    const platform = synthApp(configFrom((raw) => { raw.profile = "lab"; raw.keyVault.alerts = { enabled: true, emails: ["ops@example.com"] }; })).stackJson("platform");
    expect(resourcesOf(platform, "azurerm_monitor_scheduled_query_rules_alert_v2")).toHaveLength(3);
  });

  test("a webhook's URL comes from a sensitive Terraform variable named after the receiver, never from the config", () => {
    const platform = synthApp(configFrom((raw) => { raw.keyVault.alerts = { webhooks: ["on-call"] }; })).stackJson("platform");
    expect(platform.variable.alert_webhook_on_call).toMatchObject({ type: "string", sensitive: true, nullable: false });
    expect(platform.variable.alert_webhook_on_call).not.toHaveProperty("default");
    expect(resourcesOf(platform, "azurerm_monitor_action_group")[0].webhook_receiver)
      .toEqual([{ name: "on-call", service_uri: "${var.alert_webhook_on_call}", use_common_alert_schema: true }]);
  });

  test("the expiry queries list exactly the secrets whose expiry the config declares", () => {
    const platform = synthApp(configFrom((raw) => { raw.keyVault.secrets.push({ name: "ext-token", source: "external" }); })).stackJson("platform");
    const search = resourcesOf(platform, "azurerm_log_analytics_saved_search").find((s) => s.name === "kv-audit-expiring-secrets");
    expect(search.query).toContain("\"db-password\", datetime(2027-12-31T00:00:00Z)");
    expect(search.query).toContain("\"api-key\", datetime(2027-12-31T00:00:00Z)");
    expect(search.query).not.toContain("ext-token");
  });

  test("a fleet has one set per vault, in the vault stack, and none in the cluster stacks", () => {
    const s = synthFleet(configFrom((raw) => { delete raw.workloads; raw.clusters = [{ name: "weu" }, { name: "eus", location: "eastus" }]; }));
    expect(resourcesOf(s.stackJson("vault"), "azurerm_log_analytics_saved_search")).toHaveLength(4);
    expect(resourcesOf(s.stackJson("vault"), "azurerm_monitor_scheduled_query_rules_alert_v2")).toHaveLength(3);
    for (const stack of ["cluster-weu", "cluster-eus"]) {
      expect(resourcesOf(s.stackJson(stack), "azurerm_log_analytics_saved_search")).toEqual([]);
      expect(resourcesOf(s.stackJson(stack), "azurerm_monitor_action_group")).toEqual([]);
    }
  });

  test("warns at synth when the mounts use more than half of Key Vault's request limit", () => {
    const config = configFrom((raw) => {
      raw.cluster = { secretRotationInterval: "30s" };
      raw.workloads = Array.from({ length: 10 }, (_, i) => ({
        name: `app${i}`, replicas: 50, objects: Array.from({ length: 12 }, (_, j) => ({ objectName: "db-password", objectAlias: `f${j}` })),
      }));
    });
    const warnings = Object.values<any>(synthAny(config).manifest().stacks).flatMap((st: any) => st.annotations ?? [])
      .filter((a: any) => a.level === "@cdktf/warn" && a.message.startsWith("Key Vault request budget"));
    expect(warnings.map((w: any) => w.message)).toEqual([
      "Key Vault request budget: the mounts would send the vault 2,166.7 requests per 10 seconds in steady state, more than half of Key Vault's limit " +
      "of 4,000 per 10 seconds per vault and region. Lower it: raise cluster.secretRotationInterval (now \"30s\"), run fewer replicas or mount fewer objects " +
      "(heaviest: workloads[0] \"app0\", 50 pods × 13 requests per mount = 216.7), or move some workloads' secrets to another vault",
    ]);
  });
});
