export * from "./resource-group";
