export * from "./external-secrets-check";
export * from "./secrets-vault";
export * from "./vault-name";
export * from "./vault-network";
