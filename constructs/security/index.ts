export * from "./security-baseline";
export * from "./secure-app";
