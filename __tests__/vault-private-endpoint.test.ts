import { VaultPrivateEndpoint, VaultPrivateEndpointProps } from "../constructs/azure-keyvault";
import { azureStack, synthesized } from "./helpers/stacks";

const ENDPOINT: VaultPrivateEndpointProps = {
  vaultId: "/vaults/kv",
  vaultName: "kv-shop",
  location: "westeurope",
  resourceGroupName: "rg",
  subnetId: "subnet",
  vnetId: "vnet",
};

describe("VaultPrivateEndpoint minimal definition", () => {
  const stack = azureStack();
  const endpoint = new VaultPrivateEndpoint(stack, "e", ENDPOINT);

  test("resolves the vault's name in a privatelink.vaultcore.azure.net zone linked to the VNet", () => {
    expect(synthesized(stack, "azurerm_private_dns_zone")).toEqual([{ name: "privatelink.vaultcore.azure.net", resource_group_name: "rg" }]);
    expect(synthesized(stack, "azurerm_private_dns_zone_virtual_network_link")).toEqual([expect.objectContaining({
      name: "vault-dns-to-cluster-vnet", virtual_network_id: "vnet",
    })]);
  });

  test("connects to the vault's vault sub-resource from the subnet, with no tags, and is ready once the endpoint and the link exist", () => {
    const [pe] = synthesized(stack, "azurerm_private_endpoint");
    expect(pe).toEqual(expect.objectContaining({ name: "pe-kv-shop", subnet_id: "subnet", location: "westeurope" }));
    expect(pe.private_service_connection).toEqual(expect.objectContaining({ private_connection_resource_id: "/vaults/kv", subresource_names: ["vault"] }));
    expect(pe).not.toHaveProperty("tags");
    expect(endpoint.ready.map((r) => r.terraformResourceType)).toEqual(["azurerm_private_endpoint", "azurerm_private_dns_zone_virtual_network_link"]);
  });
});

describe("VaultPrivateEndpoint tags", () => {
  test("puts DNS-safe tags on the zone, the link and the endpoint", () => {
    const stack = azureStack();
    new VaultPrivateEndpoint(stack, "e", { ...ENDPOINT, tags: { "cost_center-1": "a b (c)" } });
    for (const type of ["azurerm_private_dns_zone", "azurerm_private_dns_zone_virtual_network_link", "azurerm_private_endpoint"]) {
      expect(synthesized(stack, type)[0].tags).toEqual({ "cost_center-1": "a b (c)" });
    }
  });

  test("fails when a tag name is one a private DNS zone drops, or there are more than 15 tags", () => {
    expect(() => new VaultPrivateEndpoint(azureStack(), "e", { ...ENDPOINT, tags: { "Cost Center": "1", "env:prod": "x" } })).toThrow(
      "test/e: the vault's private DNS zone cannot take these tags: tag \"Cost Center\": private DNS zones keep only tag names of letters, " +
      "digits, '-' and '_', not starting with a digit (no spaces, parentheses, ':' or other special characters); Azure drops any other, " +
      "so every plan adds it again; tag \"env:prod\": private DNS zones keep only tag names");
    const many = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "x"]));
    expect(() => new VaultPrivateEndpoint(azureStack(), "e", { ...ENDPOINT, tags: many })).toThrow("tags has 16 tags; private DNS zones keep at most 15");
  });
});
