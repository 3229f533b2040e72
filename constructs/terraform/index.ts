export * from "./secret-variable";
export * from "./stack-state";
export * from "./terraform-name";
