import { Construct } from "constructs";
import { LogAnalyticsSavedSearch } from "@cdktf/provider-azurerm/lib/log-analytics-saved-search";
import { DeclaredExpiry, deniedReadsQuery, expiringSecretsQuery, secretReadsQuery, throttledRequestsQuery } from "./vault-audit-queries";

export interface VaultAuditSearchesProps {
  /** The Log Analytics workspace the vault's audit log goes to. */
  readonly logWorkspaceId: string;
  /** Secrets whose expiry the config declares; the expiry search lists them as they near it. */
  readonly declaredExpiries: readonly DeclaredExpiry[];
  /**
   * "Expires soon" means within this many days.
   * @default 30 - Key Vault's own near-expiry notice
   */
  readonly expiryDaysBefore?: number;
}

/** The category the searches are filed under in the workspace's query explorer. */
export const SAVED_SEARCH_CATEGORY = "Key Vault audit (aks-keyvault-csi)";

/**
 * The vault's audit log as saved searches in its Log Analytics workspace ("Queries" in the
 * portal, `az monitor log-analytics workspace saved-search`): who read which secret, denied and
 * throttled requests, and secrets that expire soon. Saved searches cost nothing and exist in
 * every profile.
 */
export class VaultAuditSearches extends Construct {
  readonly searches: readonly LogAnalyticsSavedSearch[];

  constructor(scope: Construct, id: string, props: VaultAuditSearchesProps) {
    super(scope, id);
    const days = props.expiryDaysBefore ?? 30;
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error(`VaultAuditSearches expiryDaysBefore must be 1-365, got ${days}`);
    const search = (name: string, displayName: string, query: string) => new LogAnalyticsSavedSearch(this, name, {
      // The name is the saved search's id in the workspace; azurerm replaces the search when any field changes.
      name: `kv-audit-${name}`,
      logAnalyticsWorkspaceId: props.logWorkspaceId,
      category: SAVED_SEARCH_CATEGORY,
      displayName,
      query,
    });
    this.searches = [
      search("secret-reads", "Key Vault: secret reads by identity (who, what, when, from where)", secretReadsQuery()),
      search("denied-reads", "Key Vault: denied requests (403) with identity and secret", deniedReadsQuery()),
      search("throttled", "Key Vault: throttled requests (429)", throttledRequestsQuery()),
      search("expiring-secrets", `Key Vault: secrets that expire within ${days} days or have expired`, expiringSecretsQuery(props.declaredExpiries, days)),
    ];
  }
}
