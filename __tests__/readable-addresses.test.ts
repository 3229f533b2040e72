import * as fs from "fs";
import * as path from "path";
import { TerraformOutput, Testing } from "cdktf";
import { Construct } from "constructs";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { loadConfig } from "../config/load-config";
import { UserError } from "../config/user-error";
import { AppConfig } from "../config/types";
import { buildApp } from "../stacks/build-app";
import { identityClientIdOutput, PLATFORM_OUTPUTS } from "../stacks/platform-outputs";
import { terraformName } from "../constructs/terraform";
import { ReadableStack } from "../stacks/readable-stack";
import { synthesizeAtomically } from "../synth/synthesize";
import { configFrom, sharedSynthApp } from "./helpers/synth";
import { canSynthesize } from "./helpers/terraform";
import { tempDir } from "./helpers/temp";

const ROOT = path.resolve(__dirname, "..");
const SHIPPED: [string, AppConfig][] = [
  ["default", configFrom()],
  ...["example", "lab", "terraform-cloud"].map((env): [string, AppConfig] => [`envs/${env}.json`, loadConfig({ CONFIG: `envs/${env}.json` }, ROOT)]),
];

/** Every address a synthesized stack declares: resources, data sources, variables and outputs. */
function addressesOf(stackJson: any): string[] {
  const names = (block: any, prefix: string) => Object.entries<any>(block ?? {}).flatMap(([type, items]) => Object.keys(items).map((n) => `${prefix}${type}.${n}`));
  return [
    ...names(stackJson.resource, ""),
    ...names(stackJson.data, "data."),
    ...Object.keys(stackJson.variable ?? {}).map((n) => `var.${n}`),
    ...Object.keys(stackJson.output ?? {}).map((n) => `output.${n}`),
  ].sort();
}

function allAddresses(config: AppConfig): string[] {
  const s = sharedSynthApp(config);
  return (["platform", "workload"] as const).flatMap((stack) => addressesOf(s.stackJson(stack)).map((a) => `${stack}: ${a}`));
}

describe("Terraform addresses", () => {
  for (const [name, config] of SHIPPED) {
    (canSynthesize(config) ? test : test.skip)(`${name}: every name is a lower-case Terraform identifier without a cdktf hash`, () => {
      const bad = allAddresses(config).filter((a) => !/\.[a-z][a-z0-9_]*$/.test(a) || /_[0-9A-F]{8}$/i.test(a));
      expect(bad).toEqual([]);
    });
  }

  test("names the default app's objects from their construct path", () => {
    const s = sharedSynthApp();
    expect(addressesOf(s.stackJson("platform")).filter((a) => !a.startsWith("output."))).toEqual([
      "azurerm_federated_identity_credential.workload_identity_demo_federation",
      "azurerm_key_vault.vault",
      "azurerm_key_vault_secret.api_key",
      "azurerm_key_vault_secret.db_password",
      "azurerm_kubernetes_cluster.aks",
      "azurerm_kubernetes_cluster_node_pool.aks_user_pool",
      "azurerm_log_analytics_saved_search.audit_searches_denied_reads",
      "azurerm_log_analytics_saved_search.audit_searches_expiring_secrets",
      "azurerm_log_analytics_saved_search.audit_searches_secret_reads",
      "azurerm_log_analytics_saved_search.audit_searches_throttled",
      "azurerm_log_analytics_workspace.logs",
      "azurerm_monitor_action_group.audit_alerts",
      "azurerm_monitor_data_collection_rule.aks_container_insights",
      "azurerm_monitor_data_collection_rule_association.aks_container_insights_association",
      "azurerm_monitor_diagnostic_setting.key_vault_audit_logs",
      "azurerm_monitor_scheduled_query_rules_alert_v2.audit_alerts_denied_reads",
      "azurerm_monitor_scheduled_query_rules_alert_v2.audit_alerts_expiring_secrets",
      "azurerm_monitor_scheduled_query_rules_alert_v2.audit_alerts_throttled",
      "azurerm_network_security_group.cluster_nsg",
      "azurerm_network_security_group.endpoint_nsg",
      "azurerm_resource_group.group",
      "azurerm_role_assignment.aks_cluster_network_contributor",
      "azurerm_role_assignment.aks_deployer_cluster_admin",
      "azurerm_role_assignment.key_vault_deployer_secrets_officer",
      "azurerm_role_assignment.key_vault_read_workload_identity_demo_secret_api_key",
      "azurerm_role_assignment.key_vault_read_workload_identity_demo_secret_db_password",
      "azurerm_subnet.network_cluster_subnet",
      "azurerm_subnet.network_endpoint_subnet",
      "azurerm_subnet_network_security_group_association.cluster_nsg_association",
      "azurerm_subnet_network_security_group_association.endpoint_nsg_association",
      "azurerm_user_assigned_identity.workload_identity_demo",
      "azurerm_virtual_network.vnet",
      "data.azurerm_client_config.deployer",
      "terraform_data.key_vault_value_api_key_write_marker",
      "terraform_data.key_vault_value_db_password_write_marker",
      "time_sleep.aks_deployer_cluster_admin_propagation",
      "time_sleep.key_vault_deployer_grant_propagation",
      "time_sleep.key_vault_reader_grants_propagation",
      "time_sleep.key_vault_write_markers_settle",
      "var.deployer_ip_ranges",
      "var.secret_api_key",
      "var.secret_db_password",
    ]);
    expect(addressesOf(s.stackJson("workload"))).toEqual([
      "data.azurerm_kubernetes_cluster.cluster",
      "data.terraform_remote_state.platform",
      "kubernetes_deployment_v1.demo",
      "kubernetes_manifest.demo_secret_provider_class",
      "kubernetes_manifest.identity_admission_binding",
      "kubernetes_manifest.identity_admission_policy",
      "kubernetes_namespace_v1.demo",
      "kubernetes_network_policy_v1.demo_default_deny",
      "kubernetes_service_account_v1.demo",
      "time_sleep.identity_admission_enforced",
    ]);
  });

  test("names a workload identity and its grants after the workload", () => {
    const platform = sharedSynthApp(loadConfig({ CONFIG: "envs/example.json" }, ROOT)).stackJson("platform");
    expect(addressesOf(platform)).toEqual(expect.arrayContaining([
      "azurerm_user_assigned_identity.workload_identity_checkout",
      "azurerm_federated_identity_credential.workload_identity_checkout_federation",
      "azurerm_role_assignment.key_vault_read_workload_identity_checkout_secret_db_password",
    ]));
  });

  test("keeps output names exactly as the platform's output contract spells them", () => {
    const outputs = Object.keys(sharedSynthApp().stackJson("platform").output);
    expect(outputs.sort()).toEqual([...Object.values(PLATFORM_OUTPUTS), identityClientIdOutput({ name: "demo", identity: "workload" })].sort());
  });

  test("keeps every other address when an unrelated setting changes", () => {
    const before = allAddresses(configFrom());
    const after = allAddresses(configFrom((raw) => {
      raw.location = "northeurope";
      raw.namePrefix = "other";
      raw.keyVault.name = "kv-other-123456";
      raw.tags = { ...raw.tags, costCenter: "42" };
      raw.keyVault.secrets = [...raw.keyVault.secrets, { name: "extra-token", contentType: "text/plain", expirationDate: "2027-12-31T00:00:00Z" }];
      raw.workloads = [...raw.workloads, { name: "second", namespace: "second", objects: [{ objectName: "extra-token" }] }];
    }));
    expect(before.filter((a) => !after.includes(a))).toEqual([]);
    expect(after.filter((a) => !before.includes(a)).length).toBeGreaterThan(0);
  });

  test("names every provider by its full registry source", () => {
    const s = sharedSynthApp();
    expect(s.stackJson("platform").terraform.required_providers).toEqual({
      azurerm: { source: "hashicorp/azurerm", version: "4.55.0" },
      time: { source: "hashicorp/time", version: "0.13.1" },
    });
    expect(Object.values<any>(s.stackJson("workload").terraform.required_providers).map((p) => p.source).sort())
      .toEqual(["hashicorp/azurerm", "hashicorp/helm", "hashicorp/kubernetes", "hashicorp/time"]);
  });

  test("fails synthesis when two constructs would get the same address, naming both", () => {
    const app = Testing.app({ outdir: tempDir() });
    const stack = new ReadableStack(app, "stack");
    new AzurermProvider(stack, "azurerm", { features: [{}] });
    new ResourceGroup(stack, "main", { name: "a", location: "westeurope" });
    // "resource-group" only restates the type, so this one is azurerm_resource_group.main too.
    new ResourceGroup(new Construct(stack, "resource-group"), "main", { name: "b", location: "westeurope" });
    new TerraformOutput(stack, "unrelated", { value: "x" });
    expect(() => app.synth()).toThrow(
      "stack/main and stack/resource-group/main would both be azurerm_resource_group.main; rename one of them");
  });

  test("gives a name that would start with a digit a leading underscore, and moves no other name", () => {
    expect(terraformName("1password")).toBe("_1password");
    expect(terraformName("9app_secret_provider_class")).toBe("_9app_secret_provider_class");
    expect(terraformName("db-password")).toBe("db_password");
    expect(terraformName("a--b")).toBe("a__b");
    const s = sharedSynthApp(configFrom((raw) => {
      raw.keyVault.secrets.push({ name: "1password", contentType: "text/plain", expirationDate: "2027-12-31T00:00:00Z" });
      raw.workloads.push({ name: "9app", namespace: "9shop", identity: "workload", objects: [{ objectName: "1password" }] });
    }));
    const platform = addressesOf(s.stackJson("platform"));
    expect(platform).toEqual(expect.arrayContaining([
      "azurerm_key_vault_secret._1password",
      "terraform_data.key_vault_value_1password_write_marker",
      "var.secret_1password",
      "azurerm_user_assigned_identity.workload_identity_9app",
      "azurerm_role_assignment.key_vault_read_workload_identity_9app_secret_1password",
      "output.workload_identity_client_id_9app",
    ]));
    expect(addressesOf(s.stackJson("workload"))).toEqual(expect.arrayContaining([
      "kubernetes_namespace_v1._9shop",
      "kubernetes_network_policy_v1._9shop_default_deny",
      "kubernetes_deployment_v1._9app",
      "kubernetes_manifest._9app_secret_provider_class",
      "kubernetes_service_account_v1._9app",
    ]));
    // The default app's objects keep their names.
    expect(platform).toEqual(expect.arrayContaining(["azurerm_key_vault_secret.db_password", "azurerm_key_vault_secret.api_key"]));
  });

  test("names outputs exactly by their ids, so the workload stack reads the output the platform writes", () => {
    // "a--b" is a DNS label; its output used to be written as ..._a_b and read as ..._a__b.
    const s = sharedSynthApp(configFrom((raw) => {
      raw.workloads.push({ name: "a--b", identity: "workload", objects: [{ objectName: "db-password" }] });
    }));
    expect(Object.keys(s.stackJson("platform").output)).toContain("workload_identity_client_id_a__b");
    const read = JSON.stringify(s.stackJson("workload")).match(/terraform_remote_state\.platform\.outputs\.(\w+)/g) ?? [];
    const written = Object.keys(s.stackJson("platform").output);
    expect(read.map((r) => r.split(".").pop())).toEqual(expect.arrayContaining(["workload_identity_client_id_a__b"]));
    expect(read.map((r) => r.split(".").pop()).filter((name) => !written.includes(name!))).toEqual([]);
  });

  test("keeps both grants when workload and object names concatenate alike", () => {
    const s = sharedSynthApp(configFrom((raw) => {
      raw.keyVault.secrets.push(...["c", "b-c"].map((name) => ({ name, contentType: "text/plain", expirationDate: "2027-12-31T00:00:00Z" })));
      raw.workloads.push(
        { name: "a-b", identity: "workload", objects: [{ objectName: "c" }] },
        { name: "a", identity: "workload", objects: [{ objectName: "b-c" }] },
      );
    }));
    const grants = s.stackJson("platform").resource.azurerm_role_assignment;
    expect(grants.key_vault_read_workload_identity_a_b_secret_c.principal_id).toMatch(/workload_identity_a_b\.principal_id/);
    expect(grants.key_vault_read_workload_identity_a_secret_b_c.principal_id).toMatch(/workload_identity_a\.principal_id/);
  });

  test("fails synthesis, naming both, when two grants would meet in one address, instead of dropping one", () => {
    // Workload "x-secret-y" reading "z" and workload "x" reading "y-secret-z" used to be one construct id, and one grant was lost.
    const config = configFrom((raw) => {
      raw.keyVault.secrets.push(...["z", "y-secret-z"].map((name) => ({ name, contentType: "text/plain", expirationDate: "2027-12-31T00:00:00Z" })));
      raw.workloads.push(
        { name: "x-secret-y", identity: "workload", objects: [{ objectName: "z" }] },
        { name: "x", identity: "workload", objects: [{ objectName: "y-secret-z" }] },
      );
    });
    expect(() => synthesizeAtomically((dir) => buildApp(config, { outdir: dir }).app, path.join(tempDir(), "cdktf.out"))).toThrow(
      "platform/key-vault/read-workload-identity-x-secret-y/secret-z and platform/key-vault/read-workload-identity-x/secret-y-secret-z " +
      "would both be azurerm_role_assignment.key_vault_read_workload_identity_x_secret_y_secret_z");
  });

  test("fails synthesis when a construct id makes a name Terraform refuses", () => {
    const app = Testing.app({ outdir: tempDir() });
    const stack = new ReadableStack(app, "stack");
    new AzurermProvider(stack, "azurerm", { features: [{}] });
    new ResourceGroup(stack, "rg.main", { name: "a", location: "westeurope" });
    expect(() => app.synth()).toThrow(
      'stack/rg.main would be named "rg.main", which Terraform refuses; a Terraform name has letters, digits, underscores and hyphens, starting with a letter or an underscore');
  });

  test("fails synthesis when config names collide in one address, as one report without a stack trace", () => {
    // "secret-db-password" loses its leading "secret" like every secret does, and meets "db-password".
    const config = configFrom((raw) => {
      raw.keyVault.secrets = [...raw.keyVault.secrets, { name: "secret-db-password", contentType: "text/plain", expirationDate: "2027-12-31T00:00:00Z" }];
    });
    const outdir = path.join(tempDir("cdktf-collide-"), "cdktf.out");
    let error: unknown;
    try {
      synthesizeAtomically((dir) => buildApp(config, { outdir: dir }).app, outdir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(
      "[platform/key-vault/secret-secret-db-password] platform/key-vault/secret-db-password and platform/key-vault/secret-secret-db-password " +
      "would both be azurerm_key_vault_secret.db_password");
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
