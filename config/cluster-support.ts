import { kubernetesVersionProblem } from "./aks-versions";
import { Checker, show } from "./checker";
import { endOfDay } from "./end-of-day";
import { NETWORK_POLICY_RETIREMENTS } from "./network-policy";
import { ClusterConfig, NetworkConfig } from "./types";

/**
 * Whether AKS creates the cluster at `now`, judged from Azure's dated tables
 * (config/aks-versions.ts, config/network-policy.ts) instead of at apply: a Kubernetes version
 * AKS no longer (or not yet) creates, and a network policy engine past its end of support, are
 * reported at `cluster.*`. (Zones in a region without any are judged where the zones are parsed.)
 */
export function supportedCluster(c: Checker, cluster: ClusterConfig, now: Date): void {
  if (cluster.kubernetesVersion !== undefined) {
    const problem = kubernetesVersionProblem(cluster.kubernetesVersion, now);
    if (problem) c.report("cluster.kubernetesVersion", problem);
  }
  const retirement = NETWORK_POLICY_RETIREMENTS[cluster.networkPolicy];
  if (retirement && now > endOfDay(retirement.endOfSupport)) {
    c.report("cluster.networkPolicy", `${show(cluster.networkPolicy)} (${retirement.engine}) lost AKS support on Linux nodes on ${retirement.endOfSupport} ` +
      "(https://learn.microsoft.com/azure/aks/use-network-policies); must be \"cilium\" or \"calico\". A cluster that runs it moves in place " +
      "with `az aks update --network-dataplane cilium` (docs/security.md, \"Moving to Cilium\")");
  }
}

/**
 * `network.runnerVnetId` only makes sense where Terraform must reach a private endpoint from the
 * runner's network: a private vault (secret writes) or a private cluster (the workload stack).
 * Elsewhere the peering would open the cluster VNet to the runner's for nothing.
 */
export function runnerNetworkApplies(c: Checker, network: NetworkConfig, ctx: { readonly privateVault: boolean; readonly privateCluster: boolean }): void {
  if (network.runnerVnetId !== undefined && !ctx.privateVault && !ctx.privateCluster) {
    c.report("network.runnerVnetId", "only applies with keyVault.networkAccess \"private\" or cluster.privateCluster true: " +
      "with public endpoints the runner needs no peering; leave it out");
  }
}
