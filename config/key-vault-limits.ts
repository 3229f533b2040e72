/**
 * Key Vault's service limits that this app's mounts can reach, as data with their source.
 * Source: "Azure Key Vault service limits", resource type vault, "Secrets, managed storage account
 * keys, and vault transactions" (https://learn.microsoft.com/azure/key-vault/general/service-limits),
 * read 2026-06. Throttled requests get HTTP 429 (https://learn.microsoft.com/azure/key-vault/general/overview-throttling).
 */
export const KEY_VAULT_LIMITS = {
  /** Seconds over which Key Vault counts transactions. */
  windowSeconds: 10,
  /**
   * Transactions per window, per vault and region, for everything but creating secrets (GET
   * included). RSA 2,048-bit and ECC software keys have the same figure; HSM keys (premium) half.
   */
  transactionsPerWindow: 4_000,
  /** Creating secrets (a new version each), per window: far above what a deploy writes. */
  secretCreatesPerWindow: 300,
  /** The subscription-wide limit is five times the per-vault limit. */
  subscriptionMultiple: 5,
} as const;

/** Above this share of the limit the synth warns; above the limit itself it refuses. */
export const REQUEST_BUDGET_WARN_SHARE = 0.5;

/**
 * Key Vault's Azure Private Link limit: "Private endpoints per key vault: 64" (Azure Key Vault
 * service limits, "Azure Private Link integration",
 * https://learn.microsoft.com/azure/key-vault/general/service-limits#azure-private-link-integration;
 * the same figure in the Private Link limits, "Number of private endpoints per key vault: 64",
 * https://learn.microsoft.com/azure/private-link/private-link-service-overview#limitations).
 * Read 2026-12-04. A fleet gives every cluster its own endpoint into the one vault.
 */
export const KEY_VAULT_PRIVATE_ENDPOINTS_PER_VAULT = 64;
