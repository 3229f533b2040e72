export * from "./secrets-vault";
export * from "./vault-network";
