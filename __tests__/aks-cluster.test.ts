import { AksCluster, AksClusterProps } from "../constructs/azure-aks";
import { azureStack, synthesized } from "./helpers/stacks";

const CLUSTER: AksClusterProps = {
  name: "aks",
  dnsPrefix: "aks",
  location: "westeurope",
  resourceGroupName: "rg",
  tenantId: "tenant",
  subnetId: "subnet",
  logWorkspaceId: "law",
  deployerPrincipalId: "deployer",
  systemNodePool: { name: "system", vmSize: "Standard_D2ds_v5", nodeCount: 1 },
};

describe("AksCluster", () => {
  test("fails when autoscaling minCount is above maxCount", () => {
    expect(() => new AksCluster(azureStack(), "c", {
      ...CLUSTER, systemNodePool: { ...CLUSTER.systemNodePool, autoscaling: { minCount: 3, maxCount: 2 } },
    })).toThrow("AksCluster node pool system: autoscaling minCount must be <= maxCount");
  });

  test("fails when the rotation interval is not a duration", () => {
    expect(() => new AksCluster(azureStack(), "c", { ...CLUSTER, secretRotationInterval: "two minutes" })).toThrow(
      'AksCluster secretRotationInterval must be a duration such as "2m", "30s" or "1h30m", got "two minutes"',
    );
  });

  test("fails when a private cluster also gets authorized IP ranges", () => {
    expect(() => new AksCluster(azureStack(), "c", { ...CLUSTER, privateCluster: true, apiServerAuthorizedIpRanges: ["203.0.113.0/24"] })).toThrow(
      "AksCluster apiServerAuthorizedIpRanges cannot be combined with privateCluster",
    );
  });

  test("fails when availability zones repeat or are unknown", () => {
    expect(() => new AksCluster(azureStack(), "c", { ...CLUSTER, availabilityZones: ["1", "1"] })).toThrow(
      'AksCluster availabilityZones must be distinct values of 1, 2, 3, got ["1","1"]',
    );
    expect(() => new AksCluster(azureStack(), "c", { ...CLUSTER, availabilityZones: ["4" as any] })).toThrow("AksCluster availabilityZones");
  });

  test("spreads the system pool over zones 1-3 by default, with Network Contributor and Container Insights", () => {
    const stack = azureStack();
    new AksCluster(stack, "c", CLUSTER);
    expect(synthesized(stack, "azurerm_kubernetes_cluster")[0].default_node_pool.zones).toEqual(["1", "2", "3"]);
    expect(synthesized(stack, "azurerm_role_assignment").map((r) => r.role_definition_name)).toContain("Network Contributor");
    expect(synthesized(stack, "azurerm_monitor_data_collection_rule")).toHaveLength(1);
    expect(synthesized(stack, "azurerm_monitor_data_collection_rule_association")).toHaveLength(1);
  });

  test("lets workloads share the system pool when there is no user pool", () => {
    const stack = azureStack();
    new AksCluster(stack, "c", CLUSTER);
    const [cluster] = synthesized(stack, "azurerm_kubernetes_cluster");
    expect(cluster.default_node_pool).toEqual(expect.objectContaining({ only_critical_addons_enabled: false, auto_scaling_enabled: false, node_count: 1 }));
    expect(cluster.lifecycle.ignore_changes).not.toContain("default_node_pool[0].node_count");
    expect(synthesized(stack, "azurerm_kubernetes_cluster_node_pool")).toEqual([]);
  });

  test("leaves node counts of autoscaled pools to the autoscaler", () => {
    const stack = azureStack();
    const autoscaled = { vmSize: "Standard_D2ds_v5", nodeCount: 2, autoscaling: { minCount: 2, maxCount: 4 } };
    new AksCluster(stack, "c", { ...CLUSTER, systemNodePool: { name: "system", ...autoscaled }, userNodePool: { name: "user", ...autoscaled } });
    expect(synthesized(stack, "azurerm_kubernetes_cluster")[0].lifecycle.ignore_changes).toContain("default_node_pool[0].node_count");
    expect(synthesized(stack, "azurerm_kubernetes_cluster_node_pool")[0].lifecycle).toEqual({ ignore_changes: ["node_count"] });
  });

  test("passes the opt-in hardening options through to both pools", () => {
    const stack = azureStack();
    new AksCluster(stack, "c", {
      ...CLUSTER,
      // Ephemeral OS disks need a temp disk of at least 128 GiB (config/vm-temp-disks.ts).
      systemNodePool: { ...CLUSTER.systemNodePool, vmSize: "Standard_D4ds_v5" },
      userNodePool: { name: "user", vmSize: "Standard_D4ds_v5", nodeCount: 2 },
      hostEncryption: true,
      ephemeralOsDisk: true,
      apiServerAuthorizedIpRanges: ["203.0.113.0/24"],
    });
    const [cluster] = synthesized(stack, "azurerm_kubernetes_cluster");
    expect(cluster.default_node_pool).toEqual(expect.objectContaining({ host_encryption_enabled: true, os_disk_type: "Ephemeral" }));
    expect(cluster.api_server_access_profile).toEqual({ authorized_ip_ranges: ["203.0.113.0/24"] });
    expect(cluster.private_cluster_enabled).toBe(false);
    expect(synthesized(stack, "azurerm_kubernetes_cluster_node_pool")[0]).toEqual(expect.objectContaining({ host_encryption_enabled: true, os_disk_type: "Ephemeral" }));
  });

  test("fails when the cluster upgrade channel node-image meets another node OS channel (AKS keeps NodeImage)", () => {
    expect(() => new AksCluster(azureStack(), "c", { ...CLUSTER, automaticUpgradeChannel: "node-image", nodeOsUpgradeChannel: "SecurityPatch" })).toThrow(
      'AksCluster nodeOsUpgradeChannel must be "NodeImage" with automaticUpgradeChannel "node-image", got "SecurityPatch"',
    );
    const stack = azureStack();
    new AksCluster(stack, "c", { ...CLUSTER, automaticUpgradeChannel: "node-image" });
    expect(synthesized(stack, "azurerm_kubernetes_cluster")[0]).toEqual(expect.objectContaining({
      automatic_upgrade_channel: "node-image", node_os_upgrade_channel: "NodeImage",
    }));
  });

  test("fails when ephemeral OS disks meet a pool whose temp disk is under 128 GiB, or whose size is not in the table", () => {
    expect(() => new AksCluster(azureStack(), "c", { ...CLUSTER, ephemeralOsDisk: true })).toThrow(
      'AksCluster node pool system: ephemeralOsDisk needs another vmSize: "Standard_D2ds_v5" cannot hold an ephemeral OS disk: ' +
      "its temp disk has 75 GiB, and AKS places its default ephemeral OS disk only on a temp disk of at least 128 GiB",
    );
    expect(() => new AksCluster(azureStack(), "c", {
      ...CLUSTER, systemNodePool: { ...CLUSTER.systemNodePool, vmSize: "Standard_D4ds_v5" },
      userNodePool: { name: "user", vmSize: "Standard_D4s_v5", nodeCount: 2 }, ephemeralOsDisk: true,
    })).toThrow('AksCluster node pool user: ephemeralOsDisk needs another vmSize: "Standard_D4s_v5" cannot hold an ephemeral OS disk: it has no temp disk');
    expect(() => new AksCluster(azureStack(), "c", { ...CLUSTER, systemNodePool: { ...CLUSTER.systemNodePool, vmSize: "Standard_X9" }, ephemeralOsDisk: true }))
      .toThrow('"Standard_X9" is not known to hold an ephemeral OS disk: its temp disk is not in config/vm-temp-disks.ts');
  });

  test("runs no secrets provider add-on and has no add-on identity when the driver is self-managed", () => {
    const stack = azureStack();
    const aks = new AksCluster(stack, "c", { ...CLUSTER, secretsProviderAddon: false });
    const [cluster] = synthesized(stack, "azurerm_kubernetes_cluster");
    expect(cluster).not.toHaveProperty("key_vault_secrets_provider");
    expect(aks.secretsProviderIdentity).toBeUndefined();
  });

  test("makes the API server private on request", () => {
    const stack = azureStack();
    new AksCluster(stack, "c", { ...CLUSTER, privateCluster: true });
    const [cluster] = synthesized(stack, "azurerm_kubernetes_cluster");
    expect(cluster.private_cluster_enabled).toBe(true);
    expect(cluster).not.toHaveProperty("api_server_access_profile");
  });
});

describe("AksCluster network policy", () => {
  test.each([["azure", "azure"], ["calico", "azure"], ["cilium", "cilium"]] as const)("%s runs on the %s data plane", (policy, plane) => {
    const stack = azureStack();
    new AksCluster(stack, "c", { ...CLUSTER, networkPolicy: policy });
    expect(synthesized(stack, "azurerm_kubernetes_cluster")[0].network_profile).toEqual(expect.objectContaining({ network_policy: policy, network_data_plane: plane }));
  });

  test("never replaces a cluster for its network policy or data plane: azurerm's ForceNew changes are ignored, and the plan stops instead", () => {
    const stack = azureStack();
    new AksCluster(stack, "c", CLUSTER);
    const { lifecycle } = synthesized(stack, "azurerm_kubernetes_cluster")[0];
    expect(lifecycle.ignore_changes).toEqual(["network_profile[0].network_policy", "network_profile[0].network_data_plane"]);
    expect(lifecycle.postcondition).toEqual([{
      condition: "${self.network_profile[0].network_policy == \"cilium\" && self.network_profile[0].network_data_plane == \"cilium\"}",
      error_message: expect.stringContaining("but cluster.networkPolicy is cilium (cilium data plane). azurerm would replace the whole cluster"),
    }]);
    expect(lifecycle.postcondition[0].error_message).toContain("az aks update --resource-group <group> --name <cluster> --network-dataplane cilium");
  });

  test("warns at synthesis that Azure Network Policy Manager loses Linux support on 2028-09-30", () => {
    const stack = azureStack();
    const cluster = new AksCluster(stack, "c", { ...CLUSTER, networkPolicy: "azure" });
    expect(cluster.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data)).toEqual([
      expect.stringContaining("network policy \"azure\" (Azure Network Policy Manager) loses AKS support on Linux nodes on 2028-09-30"),
    ]);
    const quiet = new AksCluster(azureStack(), "c", CLUSTER);
    expect(quiet.node.metadata.filter((m) => m.type === "@cdktf/warn")).toEqual([]);
  });
});

describe("AksCluster minimal definition", () => {
  const stack = azureStack();
  new AksCluster(stack, "c", CLUSTER);
  const [cluster] = synthesized(stack, "azurerm_kubernetes_cluster");

  test("runs workload identity on the OIDC issuer", () => {
    expect(cluster).toEqual(expect.objectContaining({ oidc_issuer_enabled: true, workload_identity_enabled: true }));
  });

  test("admits only Entra ID users, through Azure RBAC, with no admin groups", () => {
    expect(cluster.local_account_disabled).toBe(true);
    expect(cluster.azure_active_directory_role_based_access_control).toEqual({ azure_rbac_enabled: true, tenant_id: "tenant" });
  });

  test("uses the Standard tier, the region's default version and no tags", () => {
    expect(cluster.sku_tier).toBe("Standard");
    expect(cluster).not.toHaveProperty("kubernetes_version");
    expect(cluster).not.toHaveProperty("tags");
  });

  test("runs the secrets provider add-on, re-reading mounted secrets every 2 minutes", () => {
    expect(cluster.key_vault_secrets_provider).toEqual({ secret_rotation_enabled: true, secret_rotation_interval: "2m" });
  });

  test("runs Azure CNI overlay with the Cilium data plane and Cilium network policy, and upgrades patches and node images automatically", () => {
    expect(cluster.network_profile).toEqual({
      network_plugin: "azure", network_plugin_mode: "overlay", network_policy: "cilium", network_data_plane: "cilium",
      pod_cidr: "10.244.0.0/16", service_cidr: "10.0.0.0/16", dns_service_ip: "10.0.0.10",
    });
    expect(cluster).toEqual(expect.objectContaining({ automatic_upgrade_channel: "patch", node_os_upgrade_channel: "NodeImage" }));
  });

  test("keeps a public API server with no IP restriction, managed OS disks and no host encryption", () => {
    expect(cluster.private_cluster_enabled).toBe(false);
    expect(cluster).not.toHaveProperty("api_server_access_profile");
    expect(cluster.default_node_pool).toEqual(expect.objectContaining({ host_encryption_enabled: false, os_disk_type: "Managed" }));
  });

  test("gives the pool a fixed node count of 50 pods per node, and waits for nothing beyond the subnet", () => {
    expect(cluster.default_node_pool).toEqual(expect.objectContaining({ auto_scaling_enabled: false, node_count: 1, max_pods: 50 }));
    expect(cluster.default_node_pool).not.toHaveProperty("min_count");
    expect(cluster).not.toHaveProperty("depends_on");
  });

  test("has no user pool, so workloads share the system pool", () => {
    expect(cluster.default_node_pool.only_critical_addons_enabled).toBe(false);
    expect(synthesized(stack, "azurerm_kubernetes_cluster_node_pool")).toEqual([]);
  });

  test("gives a user pool 50 pods per node and a fixed node count by default", () => {
    const withPool = azureStack();
    new AksCluster(withPool, "c", { ...CLUSTER, userNodePool: { name: "user", vmSize: "Standard_D4ds_v5", nodeCount: 2 } });
    const [pool] = synthesized(withPool, "azurerm_kubernetes_cluster_node_pool");
    expect(pool).toEqual(expect.objectContaining({ max_pods: 50, auto_scaling_enabled: false, node_count: 2, host_encryption_enabled: false, os_disk_type: "Managed" }));
    expect(pool).not.toHaveProperty("tags");
  });
});
