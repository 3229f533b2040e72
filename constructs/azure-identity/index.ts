export * from "./secret-identity";
