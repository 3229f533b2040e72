import * as path from "path";
import { Testing } from "cdktf";
import { loadConfig } from "../config/load-config";
import { buildApp } from "../stacks/build-app";
import { configFrom, resourcesOf } from "./helpers/synth";
import { readDoc } from "./helpers/docs";

/** Issue 9: what a first real deploy needs, asserted on the synthesized platform stack. */
function platformJson(mutate?: (raw: any) => void): any {
  return JSON.parse(Testing.synth(buildApp(configFrom(mutate)).platform));
}

/** The Terraform address of the one resource of `type` matching `where`. */
function addressOf(json: any, type: string, where: (r: any) => boolean): string {
  const entries = Object.entries(json.resource?.[type] ?? {}).filter(([, r]) => where(r));
  expect(entries).toHaveLength(1);
  return `${type}.${entries[0][0]}`;
}

describe("role propagation", () => {
  const json = platformJson();
  const sleeps = resourcesOf(json, "time_sleep");
  const officer = addressOf(json, "azurerm_role_assignment", (r) => r.role_definition_name === "Key Vault Secrets Officer");
  const deployerWait = Object.entries(json.resource.time_sleep).find(([, s]: [string, any]) => JSON.stringify(s.triggers).includes(officer))!;

  test("waits 30s after the deployer's Secrets Officer grant, and again whenever the grant is replaced", () => {
    expect(deployerWait).toBeDefined();
    expect(deployerWait[1]).toEqual(expect.objectContaining({ create_duration: "30s", triggers: { deployer: `\${${officer}.id}` } }));
    expect(json.provider.time).toBeDefined();
  });

  test("writes every managed secret only after that wait", () => {
    for (const secret of resourcesOf(json, "azurerm_key_vault_secret")) {
      expect(secret.depends_on).toContain(`time_sleep.${deployerWait[0]}`);
    }
  });

  test("ends the platform with a wait on every reader grant, which every output depends on", () => {
    const readerGrants = Object.keys(json.resource.azurerm_role_assignment)
      .filter((id) => json.resource.azurerm_role_assignment[id].role_definition_name === "Key Vault Secrets User");
    expect(readerGrants.length).toBeGreaterThan(0);
    const readerWait = Object.entries(json.resource.time_sleep).find(([id]) => id === "key_vault_reader_grants_propagation")! as [string, any];
    expect(Object.values(readerWait[1].triggers).sort()).toEqual(readerGrants.map((id) => `\${azurerm_role_assignment.${id}.id}`).sort());
    // Besides: the wait after the deployer's cluster-admin grant (below) and the write markers'
    // one-second settle (SecretVariable), which no output waits for.
    expect(Object.keys(json.resource.time_sleep).sort()).toEqual(
      [deployerWait[0], readerWait[0], "aks_deployer_cluster_admin_propagation", "key_vault_write_markers_settle"].sort());
    expect(sleeps).toHaveLength(4);
    for (const output of Object.values(json.output) as any[]) {
      // Plain addresses: Terraform rejects "${...}" in depends_on.
      expect(output.depends_on).toEqual([`time_sleep.${readerWait[0]}`, "time_sleep.aks_deployer_cluster_admin_propagation"]);
    }
  });

  test("waits after the deployer's RBAC Cluster Admin grant before any output, so the workload stack gets no 403 from the API server", () => {
    const admin = addressOf(json, "azurerm_role_assignment", (r) => r.role_definition_name === "Azure Kubernetes Service RBAC Cluster Admin");
    expect(json.resource.time_sleep.aks_deployer_cluster_admin_propagation).toEqual(expect.objectContaining({
      create_duration: "30s",
      triggers: { admin: `\${${admin}.id}` },
    }));
  });

  test("takes the wait from keyVault.rbacPropagationWait", () => {
    const custom = platformJson((raw) => (raw.keyVault.rbacPropagationWait = "2m"));
    const waits = Object.entries<any>(custom.resource.time_sleep).filter(([id]) => id !== "key_vault_write_markers_settle");
    expect(waits.map(([, s]) => s.create_duration)).toEqual(["2m", "2m", "2m"]);
  });
});

describe("private vault mode", () => {
  const json = platformJson((raw) => (raw.keyVault.networkAccess = "private"));
  const endpoint = addressOf(json, "azurerm_private_endpoint", () => true);
  const link = addressOf(json, "azurerm_private_dns_zone_virtual_network_link", () => true);

  test("writes secrets only once the private endpoint, its DNS zone group and the zone's VNet link exist", () => {
    expect(resourcesOf(json, "azurerm_private_endpoint")[0].private_dns_zone_group).toEqual(expect.objectContaining({ name: "vault" }));
    for (const secret of resourcesOf(json, "azurerm_key_vault_secret")) {
      expect(secret.depends_on).toEqual(expect.arrayContaining([endpoint, link]));
    }
  });

  test("publishes the outputs the workload reads only once the endpoint is usable", () => {
    for (const output of Object.values(json.output) as any[]) {
      expect(output.depends_on).toEqual(expect.arrayContaining([endpoint, link]));
    }
  });
});

describe("private vault mode from a runner in a peered VNet (network.runnerVnetId)", () => {
  const RUNNER = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-ci/providers/Microsoft.Network/virtualNetworks/vnet-ci";
  const json = platformJson((raw) => {
    raw.keyVault.networkAccess = "private";
    raw.cluster = { privateCluster: true };
    raw.network = { runnerVnetId: RUNNER };
  });
  const vnet = addressOf(json, "azurerm_virtual_network", () => true);
  const peerings = resourcesOf(json, "azurerm_virtual_network_peering");

  test("peers the cluster VNet with the runner's both ways, the runner's half in the runner's VNet and subscription", () => {
    expect(peerings).toEqual([
      expect.objectContaining({ name: "peer-to-runner", virtual_network_name: `\${${vnet}.name}`, remote_virtual_network_id: RUNNER, allow_virtual_network_access: true }),
      expect.objectContaining({ name: "peer-to-vnet-kvcsi", resource_group_name: "rg-ci", virtual_network_name: "vnet-ci", remote_virtual_network_id: `\${${vnet}.id}` }),
    ]);
    expect(peerings[1].lifecycle.precondition).toEqual([expect.objectContaining({
      condition: '${lower("11111111-2222-3333-4444-555555555555") == lower(data.azurerm_client_config.deployer.subscription_id)}',
      error_message: expect.stringContaining("network.runnerVnetId is in subscription 11111111-2222-3333-4444-555555555555"),
    })]);
  });

  test("links the vault's privatelink zone to the runner's VNet, and writes secrets only once the peerings and both links exist", () => {
    const links = Object.entries<any>(json.resource.azurerm_private_dns_zone_virtual_network_link);
    const runnerLink = links.find(([, l]) => l.virtual_network_id === RUNNER && String(l.private_dns_zone_name).includes("private_dns_zone"))!;
    expect(runnerLink[1].name).toBe("vault-dns-to-runner-vnet");
    const peeringAddresses = Object.keys(json.resource.azurerm_virtual_network_peering).map((id) => `azurerm_virtual_network_peering.${id}`);
    for (const secret of resourcesOf(json, "azurerm_key_vault_secret")) {
      expect(secret.depends_on).toEqual(expect.arrayContaining([`azurerm_private_dns_zone_virtual_network_link.${runnerLink[0]}`, ...peeringAddresses]));
    }
  });

  test("links the private API server's zone (in the node resource group) to the runner's VNet before the workload stack may start", () => {
    const cluster = addressOf(json, "azurerm_kubernetes_cluster", () => true);
    const [apiLink] = Object.entries<any>(json.resource.azurerm_private_dns_zone_virtual_network_link).filter(([, l]) => l.name === "api-server-dns-to-runner-vnet");
    expect(apiLink[1]).toEqual(expect.objectContaining({
      resource_group_name: `\${${cluster}.node_resource_group}`,
      private_dns_zone_name: `\${replace(${cluster}.private_fqdn, "/^[^.]*[.]/", "")}`,
      virtual_network_id: RUNNER,
    }));
    for (const output of Object.values(json.output) as any[]) {
      expect(output.depends_on).toEqual(expect.arrayContaining([`azurerm_private_dns_zone_virtual_network_link.${apiLink[0]}`]));
    }
  });

  test("every output the workload stack reads waits for the peerings, and names each dependency once", () => {
    const peeringAddresses = Object.keys(json.resource.azurerm_virtual_network_peering).map((id) => `azurerm_virtual_network_peering.${id}`);
    expect(peeringAddresses).toHaveLength(2);
    for (const output of Object.values(json.output) as any[]) {
      expect(output.depends_on).toEqual(expect.arrayContaining(peeringAddresses));
      expect(output.depends_on).toEqual([...new Set(output.depends_on)]);
    }
  });

  test("has no runner peering without network.runnerVnetId", () => {
    expect(resourcesOf(platformJson((raw) => (raw.keyVault.networkAccess = "private")), "azurerm_virtual_network_peering")).toEqual([]);
  });
});

describe("what Microsoft documents as required", () => {
  const json = platformJson();
  const cluster = addressOf(json, "azurerm_kubernetes_cluster", () => true);
  const subnet = addressOf(json, "azurerm_subnet", (s) => s.name === "snet-aks-nodes");

  test("gives the cluster identity Network Contributor on its subnet", () => {
    expect(resourcesOf(json, "azurerm_role_assignment")).toContainEqual(expect.objectContaining({
      role_definition_name: "Network Contributor",
      scope: `\${${subnet}.id}`,
      principal_id: `\${${cluster}.identity[0].principal_id}`,
    }));
  });

  test("sends Container Insights through a data collection rule associated with the cluster", () => {
    expect(resourcesOf(json, "azurerm_kubernetes_cluster")[0].oms_agent.msi_auth_for_monitoring_enabled).toBe(true);
    const [rule] = resourcesOf(json, "azurerm_monitor_data_collection_rule");
    const workspace = addressOf(json, "azurerm_log_analytics_workspace", () => true);
    expect(rule.destinations.log_analytics).toEqual([{ name: "ciworkspace", workspace_resource_id: `\${${workspace}.id}` }]);
    expect(rule.data_flow).toEqual([{ streams: ["Microsoft-ContainerInsights-Group-Default"], destinations: ["ciworkspace"] }]);
    expect(rule.data_sources.extension[0]).toEqual(expect.objectContaining({ extension_name: "ContainerInsights", streams: ["Microsoft-ContainerInsights-Group-Default"] }));
    const ruleAddress = addressOf(json, "azurerm_monitor_data_collection_rule", () => true);
    expect(resourcesOf(json, "azurerm_monitor_data_collection_rule_association")).toEqual([expect.objectContaining({
      target_resource_id: `\${${cluster}.id}`,
      data_collection_rule_id: `\${${ruleAddress}.id}`,
    })]);
  });

  test("spreads both node pools over zones 1, 2 and 3 by default", () => {
    expect(resourcesOf(json, "azurerm_kubernetes_cluster")[0].default_node_pool.zones).toEqual(["1", "2", "3"]);
    expect(resourcesOf(json, "azurerm_kubernetes_cluster_node_pool")[0].zones).toEqual(["1", "2", "3"]);
  });

  test("sets no zones when cluster.availabilityZones is empty, and the listed ones otherwise", () => {
    const none = platformJson((raw) => (raw.cluster = { availabilityZones: [] }));
    expect(resourcesOf(none, "azurerm_kubernetes_cluster")[0].default_node_pool).not.toHaveProperty("zones");
    expect(resourcesOf(none, "azurerm_kubernetes_cluster_node_pool")[0]).not.toHaveProperty("zones");
    const two = platformJson((raw) => (raw.cluster = { availabilityZones: ["1", "3"] }));
    expect(resourcesOf(two, "azurerm_kubernetes_cluster_node_pool")[0].zones).toEqual(["1", "3"]);
  });
});

describe("envs/terraform-cloud.json", () => {
  const root = path.resolve(__dirname, "..");
  const config = loadConfig({ CONFIG: "envs/terraform-cloud.json" }, root);
  const readme = readDoc("docs/backends.md");
  const section = readme.slice(readme.indexOf("### Running in Terraform Cloud"));

  test("deploys the way its docs section (docs/backends.md) describes: local execution, so a vault the deployer's machine can reach", () => {
    expect(section).toContain("what\n     `envs/terraform-cloud.json` is for");
    expect(section).toMatch(/\*Local execution\*/);
    // Local execution runs outside the VNet: a private vault would refuse the secret writes.
    expect(config.keyVault.networkAccess).toBe("allowlist");
    expect(section).toContain("TF_VAR_deployer_ip_ranges");
    expect(config.cluster.kubeloginMode).toBe("azurecli");
    expect(section).toContain('`kubeloginMode: "azurecli"`');
  });
});
