import { App, AppConfig as CdktfAppConfig } from "cdktf";
import { AppConfig } from "../config/types";
import { SecureApp } from "../constructs/security";
import { StackState } from "../constructs/terraform";
import { PlatformStack } from "./platform-stack";
import { WorkloadStack } from "./workload-stack";

export interface BuiltApp {
  readonly app: App;
  readonly platform: PlatformStack;
  readonly workload: WorkloadStack;
}

/** Composes the two stacks from a validated config. Stack ids are part of the contract: they name state keys and folders. */
export function buildApp(config: AppConfig, appProps: CdktfAppConfig = {}): BuiltApp {
  // Stack traces in annotations would put machine paths into manifest.json.
  const app = new SecureApp({ stackTraces: false, ...appProps });
  const state = new StackState(config.backend, config.namePrefix);
  const platform = new PlatformStack(app, "platform", { config, state });
  const workload = new WorkloadStack(app, "workload", { config, state, platform });
  return { app, platform, workload };
}
