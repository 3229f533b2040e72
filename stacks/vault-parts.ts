import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { AppConfig } from "../config/types";
import { SecretsVault, SecretsVaultProps, uniqueVaultName } from "../constructs/azure-keyvault";

/**
 * The vault settings a single cluster's platform stack and a fleet's vault stack share: the
 * config's vault keys, and the deployer as tenant and Secrets Officer.
 */
export function vaultSettings(config: AppConfig, deployer: DataAzurermClientConfig, logWorkspaceId: string): Pick<SecretsVaultProps,
  "name" | "tenantId" | "logWorkspaceId" | "deployerPrincipalId" | "sku" | "softDeleteRetentionDays" | "preventDestroy" | "rbacPropagationWait"> {
  const kv = config.keyVault;
  return {
    // Stable per subscription and resource group, different across subscriptions.
    name: kv.name ?? uniqueVaultName(`kv-${config.namePrefix}-`, [deployer.subscriptionId, config.resourceGroup.name]),
    tenantId: deployer.tenantId,
    logWorkspaceId,
    deployerPrincipalId: deployer.objectId,
    sku: kv.sku,
    softDeleteRetentionDays: kv.softDeleteRetentionDays,
    preventDestroy: kv.preventDestroy,
    rbacPropagationWait: kv.rbacPropagationWait,
  };
}

/** Declares every secret of the config in `vault`: written by this app (managed) or only granted (external). */
export function declareSecrets(vault: SecretsVault, config: AppConfig): void {
  for (const secret of config.keyVault.secrets) {
    if (secret.source === "managed") vault.addManagedSecret(secret.name, secret);
    else vault.addExternalSecret(secret.name);
  }
}
