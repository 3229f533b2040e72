import { PlatformResourceGroup } from "../constructs/azure-resource-group";
import { azureStack, synthesized } from "./helpers/stacks";

describe("PlatformResourceGroup", () => {
  test("creates and owns the group, untagged, by default", () => {
    const stack = azureStack();
    new PlatformResourceGroup(stack, "rg", { name: "rg-shop", location: "westeurope" });
    expect(synthesized(stack, "azurerm_resource_group")).toEqual([{ name: "rg-shop", location: "westeurope" }]);
  });
});
