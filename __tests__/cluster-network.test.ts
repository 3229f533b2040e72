import { ClusterNetwork } from "../constructs/azure-network";
import { azureStack, synthesized } from "./helpers/stacks";

describe("ClusterNetwork", () => {
  test("tags nothing by default", () => {
    const stack = azureStack();
    new ClusterNetwork(stack, "n", {
      namePrefix: "shop", location: "westeurope", resourceGroupName: "rg",
      addressSpace: "10.40.0.0/16", clusterSubnetPrefix: "10.40.0.0/20", endpointSubnetPrefix: "10.40.16.0/24",
    });
    for (const type of ["azurerm_virtual_network", "azurerm_network_security_group"]) {
      const resources = synthesized(stack, type);
      expect(resources.length).toBeGreaterThan(0);
      for (const r of resources) expect(r).not.toHaveProperty("tags");
    }
  });
});
