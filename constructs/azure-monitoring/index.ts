export * from "./log-workspace";
