export * from "./secrets-vault";
export * from "./vault-name";
export * from "./vault-network";
