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

export interface BuildOptions {
  /**
   * The relative way from a stack folder of the output back to the project, for local state paths.
   * @default "../../.." - the output folder sits directly in the project (cdktf.out)
   */
  readonly projectFromStack?: string;
}

/** Composes the two stacks from a validated config. Stack ids are part of the contract: they name state keys and folders. */
export function buildApp(config: AppConfig, appProps: CdktfAppConfig = {}, options: BuildOptions = {}): BuiltApp {
  // Stack traces in annotations would put machine paths into manifest.json.
  const app = new SecureApp({ stackTraces: false, ...appProps });
  const state = new StackState(config.backend, config.namePrefix, options.projectFromStack);
  const platform = new PlatformStack(app, "platform", { config, state });
  const workload = new WorkloadStack(app, "workload", { config, state, platform });
  return { app, platform, workload };
}
