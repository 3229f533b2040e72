export * from "./log-workspace";
export * from "./vault-audit-alerts";
export * from "./vault-audit-queries";
export * from "./vault-audit-searches";
