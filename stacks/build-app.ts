import { App, AppConfig as CdktfAppConfig } from "cdktf";
import { FLEET_STACKS } from "../config/stack-names";
import { AppConfig, FleetClusterConfig } from "../config/types";
import { SecureApp } from "../constructs/security";
import { StackState } from "../constructs/terraform";
import { ClusterStack } from "./cluster-stack";
import { CsiDriverStack } from "./csi-driver-stack";
import { warnRoleAssignmentShare } from "./identity-warnings";
import { PlatformStack } from "./platform-stack";
import { VaultEndpointsStack } from "./vault-endpoints-stack";
import { VaultStack } from "./vault-stack";
import { WorkloadStack } from "./workload-stack";

export interface BuiltApp {
  readonly app: App;
  readonly platform: PlatformStack;
  /** Only with cluster.driver.type "helm". */
  readonly csiDriver?: CsiDriverStack;
  readonly workload: WorkloadStack;
}

export interface BuiltFleet {
  readonly app: App;
  readonly vault: VaultStack;
  /** In config order. */
  readonly clusters: readonly {
    readonly name: string;
    readonly platform: ClusterStack;
    /** Only for a cluster with driver type "helm". */
    readonly csiDriver?: CsiDriverStack;
    readonly workload: WorkloadStack;
  }[];
}

export interface BuildOptions {
  /**
   * The relative way from a stack folder of the output back to the project, for local state paths.
   * @default "../../.." - the output folder sits directly in the project (cdktf.out)
   */
  readonly projectFromStack?: string;
}

// The stack names come from the config alone (config/stack-names.ts), where the parser checks them too.
export { FLEET_STACKS, stackNamesOf } from "../config/stack-names";

/** The app for any config: one cluster (`platform`, `workload`) or a fleet (`vault`, `cluster-<name>`, `workload-<name>`). */
export function buildStacks(config: AppConfig, appProps: CdktfAppConfig = {}, options: BuildOptions = {}): { readonly app: App } {
  return config.clusters ? buildFleet(config, appProps, options) : buildApp(config, appProps, options);
}

/**
 * Composes the stacks from a validated config: platform, then (helm driver only) csi-driver,
 * then workload. Stack ids are part of the contract: they name state keys and folders.
 */
export function buildApp(config: AppConfig, appProps: CdktfAppConfig = {}, options: BuildOptions = {}): BuiltApp {
  if (config.clusters) throw new Error("buildApp builds one cluster; this config declares clusters, use buildFleet");
  // Stack traces in annotations would put machine paths into manifest.json.
  const app = new SecureApp({ stackTraces: false, ...appProps });
  const state = new StackState(config.backend, config.namePrefix, options.projectFromStack);
  const platform = new PlatformStack(app, "platform", { config, state });
  warnRoleAssignmentShare(platform, config);
  const csiDriver = config.cluster.driver.type === "helm" ? new CsiDriverStack(app, "csi-driver", { config, state, platform }) : undefined;
  const workload = new WorkloadStack(app, "workload", { config, state, platform, csiDriver });
  return { app, platform, csiDriver, workload };
}

/**
 * A fleet: the vault stack, then per cluster its platform stack (reads the vault) and its
 * csi-driver stack (helm driver only), then the vault-endpoints stack (every cluster's private
 * endpoint, one at a time), then per cluster its workload stack (reads the cluster, mounts
 * through the endpoint). The dependencies order `cdktf deploy '*'`, and destroy runs them in
 * reverse.
 */
export function buildFleet(config: AppConfig, appProps: CdktfAppConfig = {}, options: BuildOptions = {}): BuiltFleet {
  if (!config.clusters) throw new Error("buildFleet needs a config with clusters");
  const app = new SecureApp({ stackTraces: false, ...appProps });
  const state = new StackState(config.backend, config.namePrefix, options.projectFromStack);
  const vault = new VaultStack(app, FLEET_STACKS.vault, { config, state });
  warnRoleAssignmentShare(vault, config);
  const built = config.clusters.map((cluster) => {
    const view = clusterView(config, cluster);
    const platform = new ClusterStack(app, FLEET_STACKS.cluster(cluster.name), { config, cluster, state, vault });
    const csiDriver = cluster.cluster.driver.type === "helm"
      ? new CsiDriverStack(app, FLEET_STACKS.csiDriver(cluster.name), { config: view, state, platform })
      : undefined;
    return { cluster, view, platform, csiDriver };
  });
  const endpoints = new VaultEndpointsStack(app, FLEET_STACKS.endpoints, {
    config, state, vault, clusters: built.map((b) => ({ cluster: b.cluster, stack: b.platform })),
  });
  const clusters = built.map(({ cluster, view, platform, csiDriver }) => {
    const workload = new WorkloadStack(app, FLEET_STACKS.workload(cluster.name), { config: view, state, platform, csiDriver, vaultEndpoints: endpoints });
    return { name: cluster.name, platform, csiDriver, workload };
  });
  return { app, vault, clusters };
}

/** The config as one cluster of the fleet sees it: the workload stack reads cluster, network and workloads from the top. */
function clusterView(config: AppConfig, cluster: FleetClusterConfig): AppConfig {
  return { ...config, location: cluster.location, network: cluster.network, cluster: cluster.cluster, workloads: cluster.workloads };
}
