/**
 * The federated identity credential that ties a workload's user-assigned identity to its
 * Kubernetes ServiceAccount (constructs/azure-identity/secret-identity.ts). Its name is one
 * concept for the parser, which refuses a config whose name Azure would refuse, and for the
 * construct, which builds it.
 *
 * Azure's rule, read 2026-12-04 from Microsoft Entra Workload ID, "Important considerations and
 * restrictions for federated identity credentials", Errors
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations#errors):
 * "Federated Identity Credential name '{ficName}' is invalid. Alphanumeric, dash, underscore, no
 * more than 3-120 symbols. First symbol is alphanumeric." The create fails at apply otherwise.
 */
export const FEDERATED_CREDENTIAL_NAME = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/,
  allowed: "3-120 letters, digits, hyphens and underscores, starting with a letter or digit",
} as const;

/**
 * `<namespace>-<serviceAccountName>`: unique per identity (each workload has its own) and
 * readable in the portal. Two DNS labels of up to 63 characters make up to 127, over Azure's 120.
 */
export function federatedCredentialName(namespace: string, serviceAccountName: string): string {
  return `${namespace}-${serviceAccountName}`;
}
