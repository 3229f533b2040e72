/**
 * Key Vault's Azure Private Link limit: "Private endpoints per key vault: 64" (Azure Key Vault
 * service limits, "Azure Private Link integration",
 * https://learn.microsoft.com/azure/key-vault/general/service-limits#azure-private-link-integration;
 * the same figure in the Private Link limits, "Number of private endpoints per key vault: 64",
 * https://learn.microsoft.com/azure/private-link/private-link-service-overview#limitations).
 * Read 2026-12-04. A fleet gives every cluster its own endpoint into the one vault.
 */
export const KEY_VAULT_PRIVATE_ENDPOINTS_PER_VAULT = 64;
