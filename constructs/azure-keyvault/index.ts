export * from "./external-secrets-check";
export * from "./secret-read-grants";
export * from "./secrets-vault";
export * from "./vault-name";
export * from "./vault-network";
export * from "./vault-private-endpoint";
