/**
 * Microsoft's Kusto language service (Kusto.Language, compiled to JavaScript as
 * @kusto/language-service-next) with the Log Analytics tables our queries read, so `npm test`
 * parses and analyses every shipped query the way Log Analytics would: an unknown table or
 * column, a type error or a syntax error is a diagnostic.
 *
 * Loading it costs about 0.4 s and 120 MB, and the first analysis builds the global state
 * (functions, operators) for about 3 s more; only __tests__/vault-audit-kql.test.ts loads it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

/**
 * AZKVAuditLogs, the resource-specific table of Key Vault's AuditEvent category: every column of
 * Microsoft's reference, with its type.
 * Source: https://learn.microsoft.com/azure/azure-monitor/reference/tables/azkvauditlogs
 * (MicrosoftDocs/azure-reference-other azure-monitor-ref/tables/includes/azkvauditlogs-include.md,
 * ms.date 02/18/2024), read 2026-06.
 */
export const AZKV_AUDIT_LOGS_COLUMNS: Readonly<Record<string, string>> = {
  AddressAuthorizationType: "string",
  Algorithm: "string",
  AppliedAssignmentId: "string",
  _BilledSize: "real",
  CallerIpAddress: "string",
  CertificateIssuerProperties: "dynamic",
  CertificatePolicyProperties: "dynamic",
  CertificateProperties: "dynamic",
  CertificateRequestProperties: "dynamic",
  ClientInfo: "string",
  CorrelationId: "string",
  DurationMs: "int",
  EnabledForDeployment: "bool",
  EnabledForDiskEncryption: "bool",
  EnabledForTemplateDeployment: "bool",
  EnablePurgeProtection: "bool",
  EnableRbacAuthorization: "bool",
  EnableSoftDelete: "bool",
  HsmPoolResourceId: "string",
  HttpStatusCode: "int",
  Id: "string",
  Identity: "dynamic",
  IsAccessPolicyMatch: "bool",
  IsAddressAuthorized: "bool",
  _IsBillable: "string",
  IsRbacAuthorized: "bool",
  KeyProperties: "dynamic",
  NetworkAcls: "dynamic",
  Nsp: "dynamic",
  OperationName: "string",
  OperationVersion: "string",
  Properties: "dynamic",
  RequestUri: "string",
  _ResourceId: "string",
  ResultDescription: "string",
  ResultSignature: "string",
  ResultType: "string",
  SecretProperties: "dynamic",
  Sku: "dynamic",
  SoftDeleteRetentionInDays: "int",
  SourceSystem: "string",
  StorageAccountProperties: "dynamic",
  StorageSasDefinitionProperties: "dynamic",
  SubnetId: "string",
  _SubscriptionId: "string",
  TenantId: "string",
  TimeGenerated: "datetime",
  Tlsversion: "string",
  TrustedService: "string",
  Type: "string",
  VaultProperties: "dynamic",
};

export interface KustoDiagnostic {
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  /** The query text the diagnostic points at. */
  readonly at: string;
}

type Tables = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** A checker for queries against a workspace that holds exactly `tables`. */
export function kustoChecker(tables: Tables): (query: string) => KustoDiagnostic[] {
  require("@kusto/language-service-next/bridge.min.js");
  require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
  const K = (globalThis as any).Kusto.Language;
  const symbols = Object.entries(tables).map(([name, columns]) =>
    new K.Symbols.TableSymbol.$ctor7(name, `(${Object.entries(columns).map(([c, t]) => `['${c}']:${t}`).join(", ")})`, null));
  // isOpen false: a name the workspace does not hold is an error, not an unknown that passes.
  const database = new K.Symbols.DatabaseSymbol.$ctor3("workspace", null, symbols, false);
  const globals = K.GlobalState.Default.WithDatabase(database);
  return (query: string) => {
    const diagnostics = K.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
    const out: KustoDiagnostic[] = [];
    for (let i = 0; i < diagnostics.Count; i++) {
      const d = diagnostics.getItem(i);
      out.push({ severity: String(d.Severity), code: d.Code, message: d.Message, at: query.slice(d.Start, d.Start + Math.max(d.Length, 1)) });
    }
    return out;
  };
}
