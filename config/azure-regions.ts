/**
 * Azure region names (`az account list-locations --query "[].name"`, physical regions only) that
 * `location` may take. An unknown name would otherwise fail only at deploy, with the
 * provider's "location ... is not available" error.
 *
 * Source, read 2026-11-30: the public-cloud names in Azure.Core's `AzureLocation.cs`
 * (https://github.com/Azure/azure-sdk-for-net/blob/main/sdk/core/Azure.Core/src/AzureLocation.cs,
 * which also lists the US Gov, DoD and China clouds) without the retired Azure Germany regions
 * (germanycentral, germanynortheast), plus the regions opened since and listed by
 * `az account list-locations` (https://learn.microsoft.com/azure/reliability/regions-list).
 * When Azure opens a region, add its name here; docs/configuration.md says so too.
 */
export const AZURE_REGIONS = [
  // Americas
  "eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westcentralus", "westus", "westus2", "westus3",
  "canadacentral", "canadaeast", "brazilsouth", "brazilsoutheast", "chilecentral", "mexicocentral",
  // Europe
  "northeurope", "westeurope", "uksouth", "ukwest", "francecentral", "francesouth", "germanywestcentral", "germanynorth",
  "switzerlandnorth", "switzerlandwest", "norwayeast", "norwaywest", "swedencentral", "swedensouth", "italynorth",
  "polandcentral", "spaincentral", "belgiumcentral", "austriaeast", "denmarkeast",
  // Asia Pacific
  "eastasia", "southeastasia", "japaneast", "japanwest", "koreacentral", "koreasouth", "australiaeast", "australiasoutheast",
  "australiacentral", "australiacentral2", "newzealandnorth", "indonesiacentral", "malaysiawest",
  "centralindia", "southindia", "westindia", "jioindiacentral", "jioindiawest",
  // Middle East and Africa
  "uaenorth", "uaecentral", "qatarcentral", "israelcentral", "southafricanorth", "southafricawest",
  // Sovereign clouds
  "usgovarizona", "usgovtexas", "usgovvirginia", "usgoviowa", "usdodcentral", "usdodeast",
  "chinanorth", "chinaeast", "chinanorth2", "chinaeast2", "chinanorth3", "chinaeast3",
] as const;

/**
 * Regions with availability zones, where `cluster.availabilityZones` may be non-empty. A zonal
 * node pool in a region without zones fails at apply ("AvailabilityZoneNotSupported").
 *
 * Sources, read 2026-12-04: the public cloud's "Azure regions list", column "Availability zone
 * support" (https://learn.microsoft.com/azure/reliability/regions-list, page dated 2025-09-23);
 * Azure Government: US Gov Virginia, the one Government region in "Availability zone service and
 * regional support" (https://learn.microsoft.com/azure/reliability/availability-zones-service-support);
 * Azure China: China North 3, the one region of "Azure regions with availability zone support"
 * (https://docs.azure.cn/en-us/reliability/availability-zones-region-support). When a region
 * gains zones, add it here.
 */
export const REGIONS_WITH_ZONES: ReadonlySet<string> = new Set([
  // Americas
  "brazilsouth", "canadacentral", "centralus", "chilecentral", "eastus", "eastus2", "mexicocentral", "southcentralus", "westus2", "westus3",
  // Europe
  "austriaeast", "belgiumcentral", "denmarkeast", "francecentral", "germanywestcentral", "italynorth", "northeurope", "norwayeast",
  "polandcentral", "spaincentral", "swedencentral", "switzerlandnorth", "uksouth", "westeurope",
  // Middle East and Africa
  "israelcentral", "qatarcentral", "uaenorth", "southafricanorth",
  // Asia Pacific
  "australiaeast", "centralindia", "eastasia", "indonesiacentral", "japaneast", "japanwest", "koreacentral", "malaysiawest",
  "newzealandnorth", "southeastasia",
  // Sovereign clouds
  "usgovvirginia", "chinanorth3",
]);

/**
 * The Azure cloud a region belongs to, named as the Secrets Store CSI provider names it
 * (`cloudName`). A config's regions must all be in one cloud: one sign-in (`az cloud set`),
 * one azurerm `environment`, and the vault's DNS suffix (vault.azure.net, vault.usgovcloudapi.net,
 * vault.azure.cn) that every mount resolves. The sovereign regions are those of Azure.Core's
 * AzureLocation.cs (see AZURE_REGIONS) for Azure Government (including DoD) and Azure China.
 */
export type AzureCloud = "AzurePublicCloud" | "AzureUSGovernmentCloud" | "AzureChinaCloud";

const SOVEREIGN_CLOUDS: Readonly<Record<string, AzureCloud>> = {
  usgovarizona: "AzureUSGovernmentCloud", usgovtexas: "AzureUSGovernmentCloud", usgovvirginia: "AzureUSGovernmentCloud",
  usgoviowa: "AzureUSGovernmentCloud", usdodcentral: "AzureUSGovernmentCloud", usdodeast: "AzureUSGovernmentCloud",
  chinanorth: "AzureChinaCloud", chinaeast: "AzureChinaCloud", chinanorth2: "AzureChinaCloud", chinaeast2: "AzureChinaCloud",
  chinanorth3: "AzureChinaCloud", chinaeast3: "AzureChinaCloud",
};

export function cloudOf(region: string): AzureCloud {
  return SOVEREIGN_CLOUDS[region] ?? "AzurePublicCloud";
}
