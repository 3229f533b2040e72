import { Testing } from "cdktf";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { DataAzurermResourceGroup } from "@cdktf/provider-azurerm/lib/data-azurerm-resource-group";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { buildApp } from "../stacks/build-app";
import { configFrom, resourcesOf, withoutMetadata } from "./helpers/synth";

function platformJson(mutate?: (raw: any) => void) {
  const { platform } = buildApp(configFrom(mutate));
  const text = Testing.synth(platform);
  return { text, json: JSON.parse(text) };
}

const CLUSTER = "${azurerm_kubernetes_cluster.aks";
/** The demo workload mounts through the add-on identity (the lab's default; a choice in the hardened profile). */
const ADDON = (raw: any) => (raw.workloads[0].identity = "addon");
const ADDON_OBJECT_ID = `${CLUSTER}.key_vault_secrets_provider[0].secret_identity[0].object_id}`;

describe("platform stack", () => {
  const { text, json } = platformJson();

  test("gives the cluster the configured service CIDR and DNS service IP", () => {
    const { text: custom } = platformJson((raw) => (raw.network = { serviceCidr: "172.16.0.0/16", dnsServiceIp: "172.16.0.53" }));
    expect(custom).toHaveResourceWithProperties(KubernetesCluster, {
      network_profile: expect.objectContaining({ service_cidr: "172.16.0.0/16", dns_service_ip: "172.16.0.53" }),
    });
    expect(text).toHaveResourceWithProperties(KubernetesCluster, {
      network_profile: expect.objectContaining({ service_cidr: "10.0.0.0/16", dns_service_ip: "10.0.0.10" }),
    });
  });

  test("creates the resource group from the config", () => {
    expect(text).toHaveResourceWithProperties(ResourceGroup, { name: "rg-kvcsi", location: "westeurope" });
  });

  test("looks up an existing resource group instead of creating one", () => {
    const { text: existing } = platformJson((raw) => (raw.resourceGroup = { name: "rg-shared", existing: true }));
    expect(existing).not.toHaveResource(ResourceGroup);
    expect(existing).toHaveDataSourceWithProperties(DataAzurermResourceGroup, { name: "rg-shared" });
  });

  test("creates a vault with RBAC, purge protection, 90-day soft delete, standard SKU and tags", () => {
    expect(text).toHaveResourceWithProperties(KeyVault, {
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      sku_name: "standard",
      tags: { project: "aks-keyvault-csi", managedBy: "cdktf" },
      lifecycle: { prevent_destroy: true },
    });
    expect(text).not.toContain("enable_rbac_authorization");
  });

  test("takes the vault SKU, retention and name from the config", () => {
    const { text: custom } = platformJson((raw) => {
      raw.keyVault.sku = "premium";
      raw.keyVault.softDeleteRetentionDays = 7;
      raw.keyVault.name = "kv-custom-name";
    });
    expect(custom).toHaveResourceWithProperties(KeyVault, { sku_name: "premium", soft_delete_retention_days: 7, name: "kv-custom-name" });
  });

  test("puts the vault behind a Deny firewall that admits the cluster subnet and the deployer ranges", () => {
    expect(text).toHaveResourceWithProperties(KeyVault, {
      public_network_access_enabled: true,
      network_acls: {
        bypass: "AzureServices",
        default_action: "Deny",
        ip_rules: "${concat([], var.deployer_ip_ranges)}",
        virtual_network_subnet_ids: ["${azurerm_subnet.network_cluster_subnet.id}"],
      },
    });
    expect(json.variable.deployer_ip_ranges).toEqual(expect.objectContaining({ type: "list(string)", default: [] }));
  });

  test("requires deployer IP ranges at plan time whenever Terraform writes through the vault firewall, even with allowedIpRanges", () => {
    expect(json.variable.deployer_ip_ranges.validation).toEqual([{
      condition: "${length(var.deployer_ip_ranges) > 0}",
      error_message: "Set TF_VAR_deployer_ip_ranges (e.g. '[\"203.0.113.7/32\"]'): the vault firewall must admit the machine that writes and lists the secrets.",
    }]);
    // An office range in allowedIpRanges says nothing about where Terraform runs (a CI runner).
    const { json: withRanges } = platformJson((raw) => (raw.keyVault.allowedIpRanges = ["203.0.113.0/24"]));
    expect(withRanges.variable.deployer_ip_ranges.validation).toEqual(json.variable.deployer_ip_ranges.validation);
    const { json: priv } = platformJson((raw) => (raw.keyVault.networkAccess = "private"));
    expect(priv.variable ?? {}).not.toHaveProperty("deployer_ip_ranges");
  });

  test("requires them for external secrets alone (the workload stack lists the vault), and not when Terraform never touches the vault", () => {
    const external = platformJson((raw) => {
      raw.keyVault.secrets = [{ name: "db-password", source: "external" }];
      raw.workloads[0].objects = [{ objectName: "db-password" }];
    }).json;
    expect(external.variable.deployer_ip_ranges.validation).toHaveLength(1);
    const untouched = platformJson((raw) => {
      raw.keyVault.secrets = [{ name: "db-password", source: "external" }];
      raw.workloads[0].objects = [{ objectName: "cert", objectType: "cert" }];
    }).json;
    expect(untouched.variable.deployer_ip_ranges).not.toHaveProperty("validation");
  });

  test("admits the deployer's ranges to the API server's authorized ranges, and requires them, whatever the vault's network", () => {
    const { json: restricted } = platformJson((raw) => {
      raw.keyVault.networkAccess = "private";
      raw.cluster = { apiServerAuthorizedIpRanges: ["198.51.100.0/24"] };
    });
    expect(resourcesOf(restricted, "azurerm_kubernetes_cluster")[0].api_server_access_profile)
      .toEqual({ authorized_ip_ranges: '${concat(["198.51.100.0/24"], var.deployer_ip_ranges)}' });
    expect(restricted.variable.deployer_ip_ranges.validation).toEqual([expect.objectContaining({
      error_message: "Set TF_VAR_deployer_ip_ranges (e.g. '[\"203.0.113.7/32\"]'): the API server admits only cluster.apiServerAuthorizedIpRanges " +
        "and these ranges, and the workload stack reaches it from this machine.",
    })]);
    const both = platformJson((raw) => (raw.cluster = { apiServerAuthorizedIpRanges: ["198.51.100.0/24"] })).json;
    expect(both.variable.deployer_ip_ranges.validation[0].error_message).toContain("writes and lists the secrets; the API server admits only");
  });

  test("makes the cluster wait for the subnets' NSG associations", () => {
    expect(resourcesOf(json, "azurerm_kubernetes_cluster")[0].depends_on).toEqual([
      "azurerm_subnet_network_security_group_association.cluster_nsg_association",
      "azurerm_subnet_network_security_group_association.endpoint_nsg_association",
    ]);
  });

  test("adds configured IP ranges to the vault firewall", () => {
    const { text: custom } = platformJson((raw) => (raw.keyVault.allowedIpRanges = ["203.0.113.0/24"]));
    expect(custom).toHaveResourceWithProperties(KeyVault, {
      network_acls: expect.objectContaining({ ip_rules: '${concat(["203.0.113.0/24"], var.deployer_ip_ranges)}' }),
    });
  });

  test("turns public access off and adds a private endpoint with its DNS zone in private mode", () => {
    const { json: priv } = platformJson((raw) => (raw.keyVault.networkAccess = "private"));
    expect(resourcesOf(priv, "azurerm_key_vault")[0]).toEqual(expect.objectContaining({ public_network_access_enabled: false }));
    expect(resourcesOf(priv, "azurerm_private_dns_zone")[0].name).toBe("privatelink.vaultcore.azure.net");
    expect(resourcesOf(priv, "azurerm_private_dns_zone_virtual_network_link")[0].virtual_network_id).toBe("${azurerm_virtual_network.vnet.id}");
    expect(resourcesOf(priv, "azurerm_private_endpoint")[0].private_service_connection).toEqual(expect.objectContaining({ subresource_names: ["vault"] }));
  });

  test("puts a network security group on each subnet, and applies it to private endpoints too", () => {
    const associations = resourcesOf(json, "azurerm_subnet_network_security_group_association");
    expect(associations.map((a) => a.subnet_id).sort()).toEqual([
      "${azurerm_subnet.network_cluster_subnet.id}",
      "${azurerm_subnet.network_endpoint_subnet.id}",
    ]);
    expect(resourcesOf(json, "azurerm_network_security_group").map((n) => n.name).sort()).toEqual(["nsg-kvcsi-cluster", "nsg-kvcsi-endpoint"]);
    expect(resourcesOf(json, "azurerm_subnet").find((n) => n.name === "snet-private-endpoints").private_endpoint_network_policies).toBe("Enabled");
    expect(resourcesOf(json, "azurerm_subnet").find((n) => n.name === "snet-aks-nodes").service_endpoints).toEqual(["Microsoft.KeyVault"]);
  });

  test("sends the vault's AuditEvent logs to Log Analytics", () => {
    expect(text).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      target_resource_id: "${azurerm_key_vault.vault.id}",
      log_analytics_workspace_id: "${azurerm_log_analytics_workspace.logs.id}",
      enabled_log: [{ category: "AuditEvent" }],
    });
  });

  test("grants the deployer Secrets Officer on the vault and makes every managed secret wait for its propagation", () => {
    expect(text).toHaveDataSource(DataAzurermClientConfig);
    expect(text).toHaveResourceWithProperties(RoleAssignment, {
      scope: "${azurerm_key_vault.vault.id}",
      role_definition_name: "Key Vault Secrets Officer",
      principal_id: "${data.azurerm_client_config.deployer.object_id}",
    });
    const secrets = resourcesOf(json, "azurerm_key_vault_secret");
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) {
      expect(secret.depends_on).toEqual([expect.stringMatching(/^time_sleep\./)]);
    }
  });

  test("writes managed secrets write-only from sensitive ephemeral variables", () => {
    expect(text).toHaveResourceWithProperties(KeyVaultSecret, {
      name: "db-password",
      value_wo: '${var.secret_db_password == null ? "" : var.secret_db_password}',
      value_wo_version: 1,
      content_type: "text/plain",
      expiration_date: "2027-12-31T00:00:00Z",
    });
    for (const secret of resourcesOf(json, "azurerm_key_vault_secret")) {
      expect(secret).not.toHaveProperty("value");
    }
    expect(json.variable.secret_db_password).toEqual(expect.objectContaining({ type: "string", sensitive: true, ephemeral: true, default: null }));
    expect(json.variable.secret_api_key).toEqual(expect.objectContaining({ sensitive: true, ephemeral: true }));
  });

  test("creates no secret resource for an external secret but still grants read on it", () => {
    const { json: ext } = platformJson((raw) => (raw.keyVault.secrets[1].source = "external"));
    expect(resourcesOf(ext, "azurerm_key_vault_secret").map((s) => s.name)).toEqual(["db-password"]);
    expect(ext.variable).not.toHaveProperty("secret_api_key");
    expect(resourcesOf(ext, "azurerm_role_assignment")).toContainEqual(expect.objectContaining({
      role_definition_name: "Key Vault Secrets User",
      scope: "${azurerm_key_vault.vault.id}/secrets/api-key",
    }));
  });

  test("gives the add-on identity Secrets User on exactly the secrets it mounts", () => {
    const { json: addon } = platformJson(ADDON);
    const reads = resourcesOf(addon, "azurerm_role_assignment").filter((r) => r.role_definition_name === "Key Vault Secrets User");
    expect(reads).toEqual([
      expect.objectContaining({ principal_id: ADDON_OBJECT_ID, scope: "${azurerm_key_vault_secret.api_key.resource_versionless_id}" }),
      expect.objectContaining({ principal_id: ADDON_OBJECT_ID, scope: "${azurerm_key_vault_secret.db_password.resource_versionless_id}" }),
    ]);
  });

  test("grants on the whole vault once when grantScope is vault", () => {
    const { json: vault } = platformJson((raw) => {
      ADDON(raw);
      raw.cluster = { grantScope: "vault" };
    });
    const reads = resourcesOf(vault, "azurerm_role_assignment").filter((r) => r.role_definition_name === "Key Vault Secrets User");
    expect(reads).toEqual([expect.objectContaining({ principal_id: ADDON_OBJECT_ID, scope: "${azurerm_key_vault.vault.id}" })]);
  });

  test("does not grant a secret that no workload mounts", () => {
    const { json: one } = platformJson((raw) => (raw.workloads[0].objects = [{ objectName: "db-password" }]));
    const scopes = resourcesOf(one, "azurerm_role_assignment").map((r) => r.scope);
    expect(scopes).not.toContain("${azurerm_key_vault_secret.api_key.resource_versionless_id}");
  });

  test("grants Certificate User when key or cert objects are mounted", () => {
    const { json: certs } = platformJson((raw) => {
      ADDON(raw);
      raw.workloads[0].objects.push({ objectName: "tls-cert", objectType: "cert" }, { objectName: "signing-key", objectType: "key" });
    });
    expect(resourcesOf(certs, "azurerm_role_assignment")).toEqual(expect.arrayContaining([
      expect.objectContaining({ role_definition_name: "Key Vault Certificate User", principal_id: ADDON_OBJECT_ID, scope: "${azurerm_key_vault.vault.id}/certificates/tls-cert" }),
      expect.objectContaining({ role_definition_name: "Key Vault Certificate User", principal_id: ADDON_OBJECT_ID, scope: "${azurerm_key_vault.vault.id}/keys/signing-key" }),
    ]));
  });

  test("creates the cluster with a managed identity and the secrets provider add-on rotating every 2m", () => {
    expect(text).toHaveResourceWithProperties(KubernetesCluster, {
      name: "aks-kvcsi",
      identity: { type: "SystemAssigned" },
      key_vault_secrets_provider: { secret_rotation_enabled: true, secret_rotation_interval: "2m" },
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
    });
  });

  test("takes node pool size, autoscaling, rotation interval and Kubernetes version from the config", () => {
    const { text: custom } = platformJson((raw) => {
      raw.cluster = {
        kubernetesVersion: "1.33",
        secretRotationInterval: "5m",
        systemNodePool: { vmSize: "Standard_D4ds_v5", nodeCount: 3, autoscaling: false },
      };
    });
    expect(custom).toHaveResourceWithProperties(KubernetesCluster, {
      kubernetes_version: "1.33",
      key_vault_secrets_provider: { secret_rotation_enabled: true, secret_rotation_interval: "5m" },
      default_node_pool: expect.objectContaining({ vm_size: "Standard_D4ds_v5", node_count: 3, auto_scaling_enabled: false }),
    });
    expect(text).toHaveResourceWithProperties(KubernetesCluster, {
      default_node_pool: expect.objectContaining({ auto_scaling_enabled: true, min_count: 2, max_count: 3 }),
    });
  });

  test("enables Entra ID with Azure RBAC, disables local accounts, and makes the deployer RBAC Cluster Admin", () => {
    expect(text).toHaveResourceWithProperties(KubernetesCluster, {
      local_account_disabled: true,
      azure_active_directory_role_based_access_control: expect.objectContaining({ azure_rbac_enabled: true }),
      network_profile: expect.objectContaining({ network_plugin: "azure", network_plugin_mode: "overlay", network_policy: "cilium", network_data_plane: "cilium" }),
      automatic_upgrade_channel: "patch",
      node_os_upgrade_channel: "NodeImage",
      azure_policy_enabled: true,
      oms_agent: { log_analytics_workspace_id: "${azurerm_log_analytics_workspace.logs.id}", msi_auth_for_monitoring_enabled: true },
      sku_tier: "Standard",
    });
    expect(text).toHaveResourceWithProperties(RoleAssignment, {
      scope: `${CLUSTER}.id}`,
      role_definition_name: "Azure Kubernetes Service RBAC Cluster Admin",
      principal_id: "${data.azurerm_client_config.deployer.object_id}",
    });
  });

  test("passes the opt-in hardening options from the config to the cluster", () => {
    const { json: hardened } = platformJson((raw) => {
      // Ephemeral OS disks need a temp disk of at least 128 GiB: Standard_D4ds_v5, not the default Standard_D2ds_v5.
      const pool = { vmSize: "Standard_D4ds_v5" };
      raw.cluster = { hostEncryption: true, ephemeralOsDisk: true, apiServerAuthorizedIpRanges: ["203.0.113.0/24"], systemNodePool: pool, userNodePool: pool };
    });
    const [cluster] = resourcesOf(hardened, "azurerm_kubernetes_cluster");
    expect(cluster.default_node_pool).toEqual(expect.objectContaining({ host_encryption_enabled: true, os_disk_type: "Ephemeral" }));
    expect(resourcesOf(hardened, "azurerm_kubernetes_cluster_node_pool")[0]).toEqual(expect.objectContaining({ host_encryption_enabled: true, os_disk_type: "Ephemeral" }));
    // The deployer's ranges too: the workload stack reaches the API server from the machine that runs Terraform.
    expect(cluster.api_server_access_profile).toEqual({ authorized_ip_ranges: '${concat(["203.0.113.0/24"], var.deployer_ip_ranges)}' });
    const { json: priv } = platformJson((raw) => (raw.cluster = { privateCluster: true }));
    expect(resourcesOf(priv, "azurerm_kubernetes_cluster")[0].private_cluster_enabled).toBe(true);
  });

  test("runs workloads on a user pool and keeps the system pool for critical add-ons", () => {
    expect(text).toHaveResourceWithProperties(KubernetesClusterNodePool, { mode: "User", name: "user", max_pods: 50 });
    expect(text).toHaveResourceWithProperties(KubernetesCluster, { default_node_pool: expect.objectContaining({ only_critical_addons_enabled: true, max_pods: 50 }) });
  });

  test("exports every documented output, and no credentials", () => {
    expect(Object.keys(json.output).sort()).toEqual([
      "cluster_id", "cluster_name", "key_vault_id", "key_vault_name", "key_vault_uri", "oidc_issuer_url",
      "resource_group_name", "secrets_provider_identity_client_id", "secrets_provider_identity_object_id", "tenant_id",
      "workload_identity_client_id_demo",
    ]);
    expect(json.output.secrets_provider_identity_client_id.value).toBe(`${CLUSTER}.key_vault_secrets_provider[0].secret_identity[0].client_id}`);
    expect(json.output.secrets_provider_identity_object_id.value).toBe(ADDON_OBJECT_ID);
    expect(json.output.tenant_id.value).toBe("${data.azurerm_client_config.deployer.tenant_id}");
    expect(JSON.stringify(json.output)).not.toMatch(/kube_config|kube_admin_config|client_key|client_certificate|password|var\.secret_/);
  });

  test("uses a local backend with a path relative to the stack folder", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "../../../state/kvcsi/platform.tfstate" } });
    expect(text).not.toContain(process.cwd());
  });

  test("requires Terraform 1.11 for write-only attributes", () => {
    expect(json.terraform.required_version).toBe(">= 1.11");
  });

  test("matches the snapshot", () => {
    expect(withoutMetadata(json)).toMatchSnapshot();
  });
});
