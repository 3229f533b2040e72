export * from "./aks-cluster";
