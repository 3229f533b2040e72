import { SecretIdentity } from "../constructs/azure-identity";
import { azureStack, synthesized } from "./helpers/stacks";

describe("SecretIdentity.workload", () => {
  test("creates an untagged identity federated to the ServiceAccount by default", () => {
    const stack = azureStack();
    const identity = SecretIdentity.workload(stack, "checkout", {
      name: "id-shop-checkout", location: "westeurope", resourceGroupName: "rg", oidcIssuerUrl: "https://issuer", namespace: "shop", serviceAccountName: "checkout",
    });
    expect(identity.subject).toBe("system:serviceaccount:shop:checkout");
    const [uai] = synthesized(stack, "azurerm_user_assigned_identity");
    expect(uai).toEqual({ name: "id-shop-checkout", location: "westeurope", resource_group_name: "rg" });
    expect(synthesized(stack, "azurerm_federated_identity_credential")).toEqual([expect.objectContaining({
      subject: "system:serviceaccount:shop:checkout", audience: ["api://AzureADTokenExchange"], issuer: "https://issuer",
    })]);
  });
});
