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
 * When Azure opens a region, add its name here; the README says so too.
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
