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
      name: "shop-checkout", subject: "system:serviceaccount:shop:checkout", audience: ["api://AzureADTokenExchange"], issuer: "https://issuer",
    })]);
  });

  test("fails when <namespace>-<serviceAccountName> is over the 120 characters Azure allows a federated credential's name", () => {
    const props = { name: "id", location: "westeurope", resourceGroupName: "rg", oidcIssuerUrl: "https://issuer", namespace: "n".repeat(60) };
    expect(() => SecretIdentity.workload(azureStack(), "long", { ...props, serviceAccountName: "s".repeat(60) })).toThrow(
      `SecretIdentity.workload long: the federated credential name "${"n".repeat(60)}-${"s".repeat(60)}" (<namespace>-<serviceAccountName>, ` +
      "121 characters) is invalid: Azure allows 3-120 letters, digits, hyphens and underscores, starting with a letter or digit");
    const stack = azureStack();
    SecretIdentity.workload(stack, "edge", { ...props, serviceAccountName: "s".repeat(59) });
    expect(synthesized(stack, "azurerm_federated_identity_credential")[0].name).toHaveLength(120);
  });
});
