import { Construct } from "constructs";
import { AppConfig } from "../config/types";
import { AksCluster } from "../constructs/azure-aks";
import { SecretsVault, VaultNetwork } from "../constructs/azure-keyvault";
import { ClusterNetwork } from "../constructs/azure-network";
import { StackState } from "../constructs/terraform";
import { relaxPlatformForLab } from "./lab-profile";
import { TerraformResource } from "cdktf";
import { addonIdentityOutputs, aksSettings, deployerAllowlist, deployerIpRanges, grantWorkloads, terraformUsesVaultDataPlane, waitingOutput } from "./cluster-parts";
import { PLATFORM_OUTPUTS } from "./platform-outputs";
import { AppStack } from "./app-stack";
import { azureFoundation } from "./azure-foundation";
import { warnSharedAddonIdentity } from "./identity-warnings";
import { auditVault, declareSecrets, vaultSettings, warnOnRequestBudget } from "./vault-parts";

export interface PlatformStackProps {
  readonly config: AppConfig;
  readonly state: StackState;
}

/**
 * Resource group, network, logs, Key Vault with its secrets, and the AKS cluster with the
 * secrets provider add-on; every identity that mounts secrets is granted read on exactly them.
 */
export class PlatformStack extends AppStack {
  readonly vault: SecretsVault;
  readonly cluster: AksCluster;
  /** The peerings with the runner's VNet (network.runnerVnetId); none without one. */
  private readonly runnerReady: TerraformResource[];

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, { state: props.state });
    const { config } = props;
    const { deployer, group, common, logs } = azureFoundation(this, config);
    const network = new ClusterNetwork(this, "network", {
      ...common,
      namePrefix: config.namePrefix,
      addressSpace: config.network.vnetAddressSpace,
      clusterSubnetPrefix: config.network.clusterSubnetPrefix,
      endpointSubnetPrefix: config.network.endpointSubnetPrefix,
    });
    this.runnerReady = network.peerWith(config.network.runnerVnetId, deployer.subscriptionId);
    const allowlist = config.keyVault.networkAccess === "allowlist";
    const apiServerRestricted = config.cluster.apiServerAuthorizedIpRanges.length > 0;
    const deployerRanges = allowlist || apiServerRestricted
      ? deployerIpRanges(this, {
        vault: allowlist && terraformUsesVaultDataPlane(config.keyVault, config.workloads),
        apiServer: apiServerRestricted,
      })
      : undefined;

    this.vault = new SecretsVault(this, "key-vault", {
      ...common,
      ...vaultSettings(config, deployer, logs.id),
      grantScope: config.cluster.grantScope,
      network: this.vaultNetwork(config, network, deployerRanges ?? []),
    });
    declareSecrets(this.vault, config);
    auditVault(this, config, logs, common);
    warnOnRequestBudget(this.vault, config);

    this.cluster = new AksCluster(this, "aks", {
      ...common,
      ...aksSettings(config.cluster, config.network),
      tenantId: deployer.tenantId,
      subnetId: network.clusterSubnetId,
      subnetReady: network.subnetsReady,
      logWorkspaceId: logs.id,
      deployerPrincipalId: deployer.objectId,
      deployerIpRanges: deployerRanges,
      rbacPropagationWait: config.keyVault.rbacPropagationWait,
    });
    grantWorkloads(this, {
      vault: this.vault,
      cluster: this.cluster,
      workloads: config.workloads,
      namePrefix: config.namePrefix,
      common,
      output: (name, value, description) => this.output(name, value, description),
    });
    warnSharedAddonIdentity(this, config.workloads, config.cluster.grantScope);

    if (config.profile === "lab") relaxPlatformForLab(this.vault, this.cluster);

    this.output(PLATFORM_OUTPUTS.resourceGroupName, group.name, "Resource group of the platform.");
    this.output(PLATFORM_OUTPUTS.clusterName, this.cluster.clusterName, "AKS cluster name.");
    this.output(PLATFORM_OUTPUTS.clusterId, this.cluster.clusterId, "AKS cluster resource id.");
    this.output(PLATFORM_OUTPUTS.oidcIssuerUrl, this.cluster.oidcIssuerUrl, "OIDC issuer URL for federated credentials.");
    this.output(PLATFORM_OUTPUTS.keyVaultName, this.vault.vaultName, "Key Vault name (SPC keyvaultName).");
    this.output(PLATFORM_OUTPUTS.keyVaultUri, this.vault.vaultUri, "Key Vault URI.");
    this.output(PLATFORM_OUTPUTS.keyVaultId, this.vault.vaultId, "Key Vault resource id.");
    this.output(PLATFORM_OUTPUTS.tenantId, deployer.tenantId, "Entra tenant id (SPC tenantID).");
    addonIdentityOutputs(this.cluster, (name, value, description) => this.output(name, value, description));
  }

  private vaultNetwork(config: AppConfig, network: ClusterNetwork, deployerRanges: string[]): VaultNetwork {
    switch (config.keyVault.networkAccess) {
      case "private":
        return VaultNetwork.privateEndpoint({
          subnetId: network.endpointSubnetId,
          vnetId: network.vnetId,
          runnerVnetId: config.network.runnerVnetId,
          runnerReady: this.runnerReady,
        });
      case "public":
        return VaultNetwork.public();
      case "allowlist":
        return deployerAllowlist(config.keyVault, deployerRanges, [network.clusterSubnetId]);
    }
  }

  /**
   * The platform ends with the readers' propagation wait and the deployer's access to the API
   * server (its RBAC Cluster Admin grant's wait; with a runner VNet, the peerings and the private
   * API server's DNS link): every output the workload stack reads depends on them, so
   * `cdktf deploy`, and a team applying the stacks one by one, can only start the workload after
   * the grants work and the API server answers. The wait lives here, not at the start of the workload,
   * because only this stack sees the grants: its time_sleep is replaced (and waits again)
   * exactly when a grant is created or replaced, while a wait in the workload stack would
   * either sleep on every first apply regardless of grants or miss a grant added later.
   */
  private output(name: string, value: string, description: string): void {
    waitingOutput(this, name, value, description, () => [...this.vault.readerGrantsPropagated(), ...this.cluster.deployerAccessReady, ...this.runnerReady]);
  }
}
