/**
 * The KQL this app ships for the vault's audit log: the saved searches and the alert rules.
 * Every query reads the resource-specific table AZKVAuditLogs, which the vault's diagnostic
 * setting writes to (log_analytics_destination_type "Dedicated"; see SecretsVault). Each is
 * parsed and analysed in `npm test` against that table's columns with Microsoft's Kusto
 * language service (__tests__/vault-audit-kql.test.ts).
 */

/** The table the vault's AuditEvent category lands in, in resource-specific mode. */
export const VAULT_AUDIT_TABLE = "AZKVAuditLogs";

/**
 * Operations that read a secret or its metadata (Key Vault logging, operation names:
 * https://learn.microsoft.com/azure/key-vault/general/logging#operation-names). The CSI driver's
 * Azure provider sends SecretGet; certificates and keys are mounted with CertificateGet / KeyGet.
 */
const READ_OPERATIONS = ["SecretGet", "SecretList", "SecretListVersions", "CertificateGet", "KeyGet"];

/**
 * Key Vault logs the Event Grid notices it publishes as AuditEvent records, whether or not an
 * Event Grid subscription exists (same page: "SecretNearExpiryEventGridNotification",
 * "SecretExpiredEventGridNotification"); the near-expiry notice comes 30 days before.
 */
const EXPIRY_OPERATIONS = ["SecretNearExpiryEventGridNotification", "SecretExpiredEventGridNotification"];

/**
 * The lines of a query are joined by spaces: KQL needs no line breaks, and cdktf's HCL output
 * turns a multi-line string into a heredoc that `terraform fmt` re-aligns and that adds a newline.
 */
const ONE_LINE = " ";

const list = (items: readonly string[]) => items.map((i) => JSON.stringify(i)).join(", ");

/**
 * Who, what, from where. `Identity` holds the token's claims: `appid` is the client id of a
 * managed or workload identity (the SecretProviderClass's clientID), `oid` the principal's object
 * id, `upn` a user's name. Both claim spellings occur (short and schema URI), so both are read.
 * The object name comes from the request's id or URI (…/secrets/<name>/<version>).
 */
const CALLER = [
  "| extend ObjectName = extract(@\"/(?:secrets|keys|certificates)/([^/?]+)\", 1, coalesce(Id, RequestUri))",
  "| extend CallerAppId = tostring(Identity.claim.appid)",
  "| extend CallerObjectId = tostring(coalesce(Identity.claim.oid, Identity.claim[\"http://schemas.microsoft.com/identity/claims/objectidentifier\"]))",
  "| extend CallerName = tostring(coalesce(Identity.claim.upn, Identity.claim[\"http://schemas.microsoft.com/identity/claims/upn\"]))",
];

/** Every read of a secret (or mounted key or certificate): who read what, when and from where. */
export function secretReadsQuery(): string {
  return [
    VAULT_AUDIT_TABLE,
    `| where OperationName in (${list(READ_OPERATIONS)})`,
    ...CALLER,
    "| project TimeGenerated, ObjectName, OperationName, HttpStatusCode, CallerAppId, CallerObjectId, CallerName, CallerIpAddress, ClientInfo, _ResourceId",
    "| order by TimeGenerated desc",
  ].join(ONE_LINE);
}

/**
 * Requests the vault refused with 403: no role assignment for that identity and secret
 * (ForbiddenByRbac), or the firewall (ForbiddenByFirewall), with the identity and the secret.
 * The alert counts these rows per secret and caller.
 */
export function deniedReadsQuery(): string {
  return [
    VAULT_AUDIT_TABLE,
    "| where HttpStatusCode == 403",
    ...CALLER,
    "| project TimeGenerated, ObjectName, OperationName, CallerAppId, CallerObjectId, CallerName, CallerIpAddress, ResultSignature, ResultDescription, _ResourceId",
  ].join(ONE_LINE);
}

/** Requests the vault throttled (429, Key Vault's service limits); the alert counts them per operation and caller. */
export function throttledRequestsQuery(): string {
  return [
    VAULT_AUDIT_TABLE,
    "| where HttpStatusCode == 429",
    ...CALLER,
    "| project TimeGenerated, OperationName, ObjectName, CallerAppId, CallerIpAddress, ClientInfo, _ResourceId",
  ].join(ONE_LINE);
}

/** A secret whose expiry this app's config declares. */
export interface DeclaredExpiry {
  readonly name: string;
  /** RFC 3339 UTC. */
  readonly expirationDate: string;
}

/**
 * Secrets that expire within `daysBefore` days or have expired: those whose expiry the config
 * declares (managed secrets, written with that expiration date), and any secret of the vault
 * for which Key Vault logged a near-expiry or expired notice within `noticeLookback`.
 */
export function expiringSecretsQuery(declared: readonly DeclaredExpiry[], daysBefore: number, noticeLookback = "31d"): string {
  const rows = declared.map((d) => `  ${JSON.stringify(d.name)}, datetime(${d.expirationDate}),`);
  return [
    `let declared = datatable(ObjectName: string, ExpiresOn: datetime) [`,
    ...rows,
    "];",
    "let fromConfig = declared",
    `| where ExpiresOn < now() + ${daysBefore}d`,
    "| extend Source = \"config\";",
    `let fromVault = ${VAULT_AUDIT_TABLE}`,
    `| where TimeGenerated > ago(${noticeLookback})`,
    `| where OperationName in (${list(EXPIRY_OPERATIONS)})`,
    "| extend ObjectName = extract(@\"/secrets/([^/?]+)\", 1, coalesce(Id, RequestUri))",
    "| summarize arg_max(TimeGenerated, OperationName) by ObjectName",
    "| extend ExpiresOn = datetime(null), Source = strcat(\"Key Vault notice \", OperationName, \" at \", tostring(TimeGenerated))",
    "| project ObjectName, ExpiresOn, Source;",
    "union fromConfig, fromVault",
    "| extend State = iff(isnotnull(ExpiresOn) and ExpiresOn <= now() or Source has \"SecretExpired\", \"expired\", \"expires soon\")",
    "| project ObjectName, State, ExpiresOn, Source",
  ].join(ONE_LINE);
}
