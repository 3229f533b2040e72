import { addVaultPrivateEndpoint, SerialVaultEndpoints, VaultEndpointProps, VaultPrivateDns, VaultPrivateEndpointProps } from "../constructs/azure-keyvault";
import { azureStack, synthesized } from "./helpers/stacks";

const ENDPOINT: VaultPrivateEndpointProps = {
  vaultId: "/vaults/kv",
  vaultName: "kv-shop",
  location: "westeurope",
  resourceGroupName: "rg",
  subnetId: "subnet",
  vnetId: "vnet",
};

describe("VaultPrivateDns minimal definition", () => {
  const stack = azureStack();
  const dns = new VaultPrivateDns(stack, "e", { resourceGroupName: "rg", vnetId: "vnet" });

  test("resolves the vault's name in a privatelink.vaultcore.azure.net zone linked to the VNet only, with no tags", () => {
    expect(synthesized(stack, "azurerm_private_dns_zone")).toEqual([{ name: "privatelink.vaultcore.azure.net", resource_group_name: "rg" }]);
    expect(synthesized(stack, "azurerm_private_dns_zone_virtual_network_link")).toEqual([expect.objectContaining({
      name: "vault-dns-to-cluster-vnet", virtual_network_id: "vnet",
    })]);
    expect(synthesized(stack, "azurerm_private_dns_zone_virtual_network_link")[0]).not.toHaveProperty("tags");
    expect(dns.ready.map((r) => r.terraformResourceType)).toEqual(["azurerm_private_dns_zone_virtual_network_link"]);
  });

  test("also links the runner's VNet when given one", () => {
    const withRunner = azureStack();
    const linked = new VaultPrivateDns(withRunner, "e", { resourceGroupName: "rg", vnetId: "vnet", runnerVnetId: "runner" });
    expect(synthesized(withRunner, "azurerm_private_dns_zone_virtual_network_link").map((l) => [l.name, l.virtual_network_id]).sort()).toEqual([
      ["vault-dns-to-cluster-vnet", "vnet"], ["vault-dns-to-runner-vnet", "runner"],
    ]);
    expect(linked.ready).toHaveLength(2);
  });
});

describe("addVaultPrivateEndpoint (SecretsVault's private mode)", () => {
  test("connects to the vault's vault sub-resource from the subnet, and is ready once the endpoint and the link exist", () => {
    const stack = azureStack();
    const ready = addVaultPrivateEndpoint(stack, ENDPOINT);
    const [pe] = synthesized(stack, "azurerm_private_endpoint");
    expect(pe).toEqual(expect.objectContaining({ name: "pe-kv-shop", subnet_id: "subnet", location: "westeurope" }));
    expect(pe.private_service_connection).toEqual(expect.objectContaining({ private_connection_resource_id: "/vaults/kv", subresource_names: ["vault"] }));
    expect(pe).not.toHaveProperty("tags");
    expect(pe).not.toHaveProperty("depends_on");
    expect(ready.map((r) => r.terraformResourceType)).toEqual(["azurerm_private_endpoint", "azurerm_private_dns_zone_virtual_network_link"]);
  });

  test("puts DNS-safe tags on the zone, the link and the endpoint", () => {
    const stack = azureStack();
    addVaultPrivateEndpoint(stack, { ...ENDPOINT, tags: { "cost_center-1": "a b (c)" } });
    for (const type of ["azurerm_private_dns_zone", "azurerm_private_dns_zone_virtual_network_link", "azurerm_private_endpoint"]) {
      expect(synthesized(stack, type)[0].tags).toEqual({ "cost_center-1": "a b (c)" });
    }
  });

  test("fails when a tag name is one a private DNS zone drops, or there are more than 15 tags", () => {
    expect(() => addVaultPrivateEndpoint(azureStack(), { ...ENDPOINT, tags: { "Cost Center": "1", "env:prod": "x" } })).toThrow(
      "test: the vault's private DNS zone cannot take these tags: tag \"Cost Center\": private DNS zones keep only tag names of letters, " +
      "digits, '-' and '_', not starting with a digit (no spaces, parentheses, ':' or other special characters); Azure drops any other, " +
      "so every plan adds it again; tag \"env:prod\": private DNS zones keep only tag names");
    const many = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "x"]));
    expect(() => new VaultPrivateDns(azureStack(), "e", { resourceGroupName: "rg", vnetId: "vnet", tags: many })).toThrow("tags has 16 tags; private DNS zones keep at most 15");
  });
});

describe("SerialVaultEndpoints", () => {
  const endpoint = (name: string): VaultEndpointProps => ({
    vaultId: "/vaults/kv", vaultName: "kv-shop", location: "westeurope", resourceGroupName: `rg-${name}`, subnetId: `subnet-${name}`, dnsZoneId: `zone-${name}`,
  });

  test("creates each endpoint after the one added before it, registering in its own VNet's zone", () => {
    const stack = azureStack();
    const serial = new SerialVaultEndpoints(stack, "private-endpoint");
    const [a, b, c] = ["a", "b", "c"].map((n) => serial.add(n, endpoint(n)));
    const json = Object.fromEntries(synthesized(stack, "azurerm_private_endpoint").map((pe) => [pe.resource_group_name, pe]));
    expect(json["rg-a"]).not.toHaveProperty("depends_on");
    expect(json["rg-b"].depends_on).toEqual([`azurerm_private_endpoint.${a.friendlyUniqueId}`]);
    expect(json["rg-c"].depends_on).toEqual([`azurerm_private_endpoint.${b.friendlyUniqueId}`]);
    expect(json["rg-c"].private_dns_zone_group).toEqual({ name: "vault", private_dns_zone_ids: ["zone-c"] });
    expect(c.terraformResourceType).toBe("azurerm_private_endpoint");
  });

  test("fails when two endpoints share an id", () => {
    const serial = new SerialVaultEndpoints(azureStack(), "private-endpoint");
    serial.add("a", endpoint("a"));
    expect(() => serial.add("a", endpoint("a"))).toThrow('SerialVaultEndpoints already has an endpoint "a"');
  });
});
