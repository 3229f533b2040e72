import { AppConfig } from "../config/types";
import { deniedReadsQuery, expiringSecretsQuery, secretReadsQuery, throttledRequestsQuery, VAULT_AUDIT_TABLE } from "../constructs/azure-monitoring";
import { AZKV_AUDIT_LOGS_COLUMNS, kustoChecker } from "./helpers/kusto";
import { resourcesOf, synthAny } from "./helpers/synth";
import { SHIPPED_CONFIGS } from "./helpers/shipped-configs";
import { canSynthesize } from "./helpers/terraform";
import { docFiles, readDoc } from "./helpers/docs";

/**
 * Every KQL query the app ships (saved searches and alert rules of every shipped config, and the
 * examples in the README and docs/) is parsed and analysed by Microsoft's Kusto language service against
 * AZKVAuditLogs' columns from Microsoft's table reference. The one test file that loads the
 * service (about 4 s and 120 MB on first use).
 */
const check = kustoChecker({ [VAULT_AUDIT_TABLE]: AZKV_AUDIT_LOGS_COLUMNS });
const errorsOf = (query: string) => check(query).filter((d) => d.severity === "Error");


/** The queries one config ships: every saved search and alert rule in every stack. */
function shippedQueries(config: AppConfig): { address: string; query: string }[] {
  const s = synthAny(config);
  return s.stacks.flatMap((stack) => {
    const json = s.stackJson(stack);
    return [
      ...resourcesOf(json, "azurerm_log_analytics_saved_search").map((r) => ({ address: `${stack}: saved search ${r.name}`, query: r.query as string })),
      ...resourcesOf(json, "azurerm_monitor_scheduled_query_rules_alert_v2").map((r) => ({ address: `${stack}: alert ${r.name}`, query: r.criteria[0].query as string })),
    ];
  });
}

/** The ```kusto blocks of the README and docs/. */
function readmeQueries(): string[] {
  return docFiles().flatMap((file) => [...readDoc(file).matchAll(/^ *```kusto\n([\s\S]*?)^ *```/gm)].map((m) => m[1]));
}

describe("KQL shipped with the app passes Microsoft's Kusto language service", () => {
  test.each(SHIPPED_CONFIGS.filter(([, c]) => canSynthesize(c)))("%s: every saved search and alert rule query", (_name, config) => {
    const queries = shippedQueries(config);
    // Every config ships the four saved searches; alerts only where they are on.
    expect(queries.filter((q) => q.address.includes("saved search"))).toHaveLength(4);
    expect(queries.map((q) => ({ address: q.address, errors: errorsOf(q.query) }))).toEqual(queries.map((q) => ({ address: q.address, errors: [] })));
  });

  test("the examples in the README and docs/", () => {
    const queries = readmeQueries();
    expect(queries.length).toBeGreaterThanOrEqual(3);
    expect(queries.map((q) => ({ query: q.split("\n")[0], errors: errorsOf(q) }))).toEqual(queries.map((q) => ({ query: q.split("\n")[0], errors: [] })));
  });

  test("the expiry query with no declared secret and with many", () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ name: `s${i}`, expirationDate: "2027-12-31T00:00:00Z" }));
    expect(errorsOf(expiringSecretsQuery([], 30))).toEqual([]);
    expect(errorsOf(expiringSecretsQuery(many, 7))).toEqual([]);
  });
});

describe("the check catches what Log Analytics would refuse", () => {
  test("fails when a column is misspelled", () => {
    const query = deniedReadsQuery().replace("HttpStatusCode == 403", "HttpStatusCod == 403");
    expect(errorsOf(query)).toEqual([expect.objectContaining({
      code: "KS142", message: "The name 'HttpStatusCod' does not refer to any known column, table, variable or function.", at: "HttpStatusCod",
    })]);
  });

  test("fails when the table is misspelled", () => {
    const query = throttledRequestsQuery().replace(VAULT_AUDIT_TABLE, "AZKVAuditLog");
    expect(errorsOf(query)[0]).toMatchObject({ code: "KS204", message: "The name 'AZKVAuditLog' does not refer to any known table, tabular variable or function." });
  });

  test("fails when a query reads the AzureDiagnostics columns of the other collection mode", () => {
    const query = secretReadsQuery().replace("CallerIpAddress", "CallerIPAddress");
    expect(errorsOf(query).map((d) => d.at)).toEqual(["CallerIPAddress"]);
  });

  test("fails on a syntax error and on a type error", () => {
    expect(errorsOf(`${VAULT_AUDIT_TABLE} | where TimeGenerated > ago(1d) |`).map((d) => d.code)).toEqual(["KS176"]);
    expect(errorsOf(`${VAULT_AUDIT_TABLE} | where HttpStatusCode > ago(1d)`)).toEqual([expect.objectContaining({
      code: "KS106", message: "The operator '>' is not defined for the operand types int and datetime.",
    })]);
  });
});
