export * from "./secret-variable";
export * from "./stack-state";
