import { TerraformVariable } from "cdktf";
import { ClusterNetwork } from "../constructs/azure-network";
import { azureStack, synthesized } from "./helpers/stacks";

const RUNNER_VNET = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-runner/providers/Microsoft.Network/virtualNetworks/vnet-runner";

function network(stack = azureStack()) {
  return new ClusterNetwork(stack, "n", {
    namePrefix: "shop", location: "westeurope", resourceGroupName: "rg",
    addressSpace: "10.40.0.0/16", clusterSubnetPrefix: "10.40.0.0/20", endpointSubnetPrefix: "10.40.16.0/24",
  });
}

describe("ClusterNetwork", () => {
  test("tags nothing by default", () => {
    const stack = azureStack();
    network(stack);
    for (const type of ["azurerm_virtual_network", "azurerm_network_security_group"]) {
      const resources = synthesized(stack, type);
      expect(resources.length).toBeGreaterThan(0);
      for (const r of resources) expect(r).not.toHaveProperty("tags");
    }
  });

  test("peers with the runner's VNet both ways, the runner's half in the runner's resource group", () => {
    const stack = azureStack();
    const ready = network(stack).peerWith(RUNNER_VNET, "00000000-0000-0000-0000-000000000001");
    expect(ready).toHaveLength(2);
    const peerings = synthesized(stack, "azurerm_virtual_network_peering");
    expect(peerings.map((p) => [p.name, p.resource_group_name]).sort()).toEqual([["peer-to-runner", "rg"], ["peer-to-vnet-shop", "rg-runner"]]);
    expect(peerings.find((p) => p.name === "peer-to-runner").remote_virtual_network_id).toBe(RUNNER_VNET);
  });

  test("peers nothing without a runner VNet", () => {
    const stack = azureStack();
    expect(network(stack).peerWith(undefined, "00000000-0000-0000-0000-000000000001")).toEqual([]);
    expect(synthesized(stack, "azurerm_virtual_network_peering")).toEqual([]);
  });

  test("fails when the runner VNet is not a VNet resource id", () => {
    expect(() => network().peerWith("/subscriptions/x/resourceGroups/rg-runner", "sub"))
      .toThrow('ClusterNetwork runner VNet "/subscriptions/x/resourceGroups/rg-runner" is invalid: must be');
  });

  test("fails when the runner VNet is a token, whose parts cannot be read at synth", () => {
    const stack = azureStack();
    const id = new TerraformVariable(stack, "runner_vnet_id", { type: "string" }).stringValue;
    expect(() => network(stack).peerWith(id, "sub"))
      .toThrow("ClusterNetwork runner VNet must be a literal resource id, not a token: its subscription, resource group and name are read from it at synth");
  });
});
