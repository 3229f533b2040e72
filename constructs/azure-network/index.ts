export * from "./cluster-network";
