export * from "./mount-identity";
export * from "./provider-objects";
export * from "./secret-mounted-app";
export * from "./secret-provider-class";
export * from "./cluster-connection";
export * from "./kubeconfig-connection";
export * from "./workload-namespace";
export * from "./secrets-store-csi-driver";
