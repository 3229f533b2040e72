import { Construct } from "constructs";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { AppConfig } from "../config/types";
import { LogWorkspace } from "../constructs/azure-monitoring";
import { PlatformResourceGroup } from "../constructs/azure-resource-group";

/** What a stack that owns the vault builds everything else on. */
export interface AzureFoundation {
  /** The identity running Terraform: tenant, subscription, and the Secrets Officer of the vault. */
  readonly deployer: DataAzurermClientConfig;
  readonly group: PlatformResourceGroup;
  /** Location, resource group and tags, shared by every resource of the stack. */
  readonly common: { readonly location: string; readonly resourceGroupName: string; readonly tags: Record<string, string> };
  /** The Log Analytics workspace the vault's audit logs (and a cluster's monitoring) go to. */
  readonly logs: LogWorkspace;
}

/**
 * The providers, deployer, resource group and log workspace that a single cluster's platform
 * stack and a fleet's vault stack both start with, under the same construct ids (so the same
 * Terraform addresses) in both.
 */
export function azureFoundation(stack: Construct, config: AppConfig): AzureFoundation {
  new AzurermProvider(stack, "azurerm", { features: [{}], storageUseAzuread: true });
  new TimeProvider(stack, "time", {});
  const deployer = new DataAzurermClientConfig(stack, "deployer", {});
  const tags = { ...config.tags };
  const group = new PlatformResourceGroup(stack, "resource-group", {
    name: config.resourceGroup.name,
    location: config.location,
    existing: config.resourceGroup.existing,
    tags,
  });
  const common = { location: config.location, resourceGroupName: group.name, tags };
  const logs = new LogWorkspace(stack, "logs", {
    ...common,
    name: `log-${config.namePrefix}`,
    retentionInDays: config.keyVault.logRetentionDays,
  });
  return { deployer, group, common, logs };
}
