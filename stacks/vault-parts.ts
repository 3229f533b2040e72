import { Construct } from "constructs";
import { Annotations, TerraformVariable } from "cdktf";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { describeBudget, requestBudget } from "../config/request-budget";
import { AppConfig } from "../config/types";
import { webhookVariableName } from "../config/vault-alerts";
import { SecretsVault, SecretsVaultProps, uniqueVaultName } from "../constructs/azure-keyvault";
import { LogWorkspace, VaultAuditAlerts, VaultAuditSearches } from "../constructs/azure-monitoring";

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

/**
 * The vault's audit made usable: saved searches in its workspace (every profile) and, when
 * `keyVault.alerts.enabled`, the action group and alert rules. One set per vault, in the stack
 * that owns the vault (a fleet's vault stack). A webhook's URL comes from a sensitive variable.
 */
export function auditVault(stack: Construct, config: AppConfig, logs: LogWorkspace,
  common: { readonly location: string; readonly resourceGroupName: string; readonly tags: Record<string, string> }): void {
  const alerts = config.keyVault.alerts;
  const declaredExpiries = config.keyVault.secrets.flatMap((s) => (s.expirationDate ? [{ name: s.name, expirationDate: s.expirationDate }] : []));
  new VaultAuditSearches(stack, "audit-searches", { logWorkspaceId: logs.id, declaredExpiries, expiryDaysBefore: alerts.secretExpiry.daysBefore });
  if (!alerts.enabled) return;
  const webhooks = alerts.webhooks.map((name) => {
    const variable = new TerraformVariable(stack, webhookVariableName(name), {
      type: "string",
      sensitive: true,
      nullable: false,
      description: `URL of the alert webhook receiver ${name} (keyVault.alerts.webhooks); it carries its token, so it is never in the config. ` +
        `Set TF_VAR_${webhookVariableName(name)}. Terraform keeps it in state, as every action group's webhook.`,
    });
    return { name, serviceUri: variable.stringValue };
  });
  new VaultAuditAlerts(stack, "audit-alerts", {
    ...common,
    namePrefix: config.namePrefix,
    logWorkspaceId: logs.id,
    emails: alerts.emails,
    emailRoles: alerts.emailRoles,
    webhooks,
    deniedReads: alerts.deniedReads,
    throttling: alerts.throttling,
    secretExpiry: alerts.secretExpiry,
    declaredExpiries,
  });
}

/**
 * Warns at every synth when the mounts of every cluster sharing the vault use more than half of
 * Key Vault's request limit (the parser refuses a config above the limit).
 */
export function warnOnRequestBudget(vault: SecretsVault, config: AppConfig): void {
  const budget = requestBudget(config);
  if (budget.level === "warn") Annotations.of(vault).addWarning(`Key Vault request budget: ${describeBudget(budget)}`);
}
