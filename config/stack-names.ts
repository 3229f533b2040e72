/**
 * The stacks one config produces and where each keeps its state: the one definition that
 * stacks/build-app.ts names the stacks with, constructs/terraform/stack-state.ts writes the
 * backends and remote states with, and config/shared-names.ts checks for uniqueness.
 */
import type { AppConfig, AzurermBackendConfig, CloudBackendConfig, LocalBackendConfig } from "./types";

/** The stack names of a fleet; each comes from the config alone, so no cluster's names depend on another's. */
export const FLEET_STACKS = {
  vault: "vault",
  /** Every cluster's private endpoint into the vault, created one at a time. */
  endpoints: "vault-endpoints",
  cluster: (name: string) => `cluster-${name}`,
  csiDriver: (name: string) => `csi-driver-${name}`,
  workload: (name: string) => `workload-${name}`,
} as const;

/** The names of the stacks a config produces, in build order. */
export function stackNamesOf(config: Pick<AppConfig, "cluster" | "clusters">): string[] {
  if (!config.clusters) return ["platform", ...(config.cluster.driver.type === "helm" ? ["csi-driver"] : []), "workload"];
  return [
    FLEET_STACKS.vault,
    ...config.clusters.flatMap((c) => [FLEET_STACKS.cluster(c.name), ...(c.cluster.driver.type === "helm" ? [FLEET_STACKS.csiDriver(c.name)] : [])]),
    FLEET_STACKS.endpoints,
    ...config.clusters.map((c) => FLEET_STACKS.workload(c.name)),
  ];
}

/**
 * The Terraform Cloud workspace of `stack`: the configured one of `platform` and `workload`, and
 * `<stateName>-<stack>` for every other stack (a helm driver's `csi-driver`, a fleet's stacks).
 */
export function workspaceOf(backend: CloudBackendConfig, stateName: string, stack: string): string {
  return stack === "platform" || stack === "workload" ? backend.workspaces[stack] : `${stateName}-${stack}`;
}

/** The blob that holds `stack`'s state in the azurerm backend's container. */
export function stateKeyOf(backend: AzurermBackendConfig, stateName: string, stack: string): string {
  return `${backend.keyPrefix}${stateName}/${stack}.tfstate`;
}

/** The local state file of `stack`, relative to the project. */
export function localStatePathOf(backend: LocalBackendConfig, stateName: string, stack: string): string {
  return `${backend.stateDir}/${stateName}/${stack}.tfstate`;
}
