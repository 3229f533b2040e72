import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { AppConfig, FleetClusterConfig } from "../config/types";
import { AksCluster } from "../constructs/azure-aks";
import { ImportedSecretsVault, SecretsVault, VaultPrivateDns } from "../constructs/azure-keyvault";
import { LogWorkspace } from "../constructs/azure-monitoring";
import { ClusterNetwork } from "../constructs/azure-network";
import { PlatformResourceGroup } from "../constructs/azure-resource-group";
import { StackState } from "../constructs/terraform";
import { addonIdentityOutputs, aksSettings, deployerIpRanges, grantWorkloads, waitingOutput } from "./cluster-parts";
import { relaxClusterForLab } from "./lab-profile";
import { PLATFORM_OUTPUTS } from "./platform-outputs";
import { AppStack } from "./app-stack";
import { warnSharedAddonIdentity } from "./identity-warnings";
import { VAULT_OUTPUTS } from "./vault-stack";

/** What the fleet's vault-endpoints stack reads from a cluster stack: where to put its endpoint to the vault. */
export const CLUSTER_ENDPOINT_OUTPUTS = {
  endpointSubnetId: "endpoint_subnet_id",
  vaultDnsZoneId: "vault_dns_zone_id",
} as const;

export interface ClusterStackProps {
  readonly config: AppConfig;
  readonly cluster: FleetClusterConfig;
  readonly state: StackState;
  /** The fleet's vault stack: deployed first, read through remote state. */
  readonly vault: TerraformStack;
}

/**
 * One cluster of a fleet: its resource group, network, logs, AKS, identities, the private DNS
 * zone for the vault in its own VNet, and read grants on exactly the secrets its workloads mount.
 * Its private endpoint to the vault lives in the fleet's vault-endpoints stack, which creates
 * the endpoints one at a time. It writes the same outputs as the single-cluster platform stack,
 * so the workload stack reads either alike.
 */
export class ClusterStack extends AppStack {
  readonly cluster: AksCluster;
  readonly vault: ImportedSecretsVault;

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id, { state: props.state, after: [props.vault] });
    const { config, cluster: fleet } = props;
    new AzurermProvider(this, "azurerm", { features: [{}] });
    new TimeProvider(this, "time", {});

    const deployer = new DataAzurermClientConfig(this, "deployer", {});
    const shared = props.state.remoteState(this, "vault", props.vault.node.id);
    const vaultId = shared.getString(VAULT_OUTPUTS.keyVaultId);
    const vaultName = shared.getString(VAULT_OUTPUTS.keyVaultName);
    const tags = { ...config.tags };
    const location = fleet.location;
    const namePrefix = `${config.namePrefix}-${fleet.name}`;
    const group = new PlatformResourceGroup(this, "resource-group", { name: fleet.resourceGroupName, location, tags });
    const common = { location, resourceGroupName: group.name, tags };
    const logs = new LogWorkspace(this, "logs", { ...common, name: `log-${namePrefix}`, retentionInDays: config.keyVault.logRetentionDays });
    const network = new ClusterNetwork(this, "network", {
      ...common,
      namePrefix,
      addressSpace: fleet.network.vnetAddressSpace,
      clusterSubnetPrefix: fleet.network.clusterSubnetPrefix,
      endpointSubnetPrefix: fleet.network.endpointSubnetPrefix,
    });
    // The cluster reaches the shared vault through an endpoint in its own VNet: that works from
    // any region and keeps the vault stack unaware of clusters. Private endpoint traffic is not
    // subject to the vault firewall (https://learn.microsoft.com/azure/key-vault/general/private-link-service).
    // The endpoint itself is the vault-endpoints stack's; its record lands in this VNet's zone.
    const dns = new VaultPrivateDns(this, "vault-access", { resourceGroupName: group.name, vnetId: network.vnetId, tags });
    new TerraformOutput(this, CLUSTER_ENDPOINT_OUTPUTS.endpointSubnetId, {
      value: network.endpointSubnetId,
      description: "Subnet for this cluster's private endpoint to the vault (the vault-endpoints stack creates it).",
    });
    new TerraformOutput(this, CLUSTER_ENDPOINT_OUTPUTS.vaultDnsZoneId, {
      value: dns.zoneId,
      description: "This VNet's privatelink.vaultcore.azure.net zone, where the endpoint registers the vault's record.",
    });

    const runnerReady = network.peerWith(fleet.network.runnerVnetId, deployer.subscriptionId);
    const apiServerRestricted = fleet.cluster.apiServerAuthorizedIpRanges.length > 0;
    this.cluster = new AksCluster(this, "aks", {
      ...common,
      ...aksSettings(fleet.cluster, fleet.network),
      tenantId: deployer.tenantId,
      subnetId: network.clusterSubnetId,
      subnetReady: network.subnetsReady,
      logWorkspaceId: logs.id,
      deployerPrincipalId: deployer.objectId,
      deployerIpRanges: apiServerRestricted ? deployerIpRanges(this, { vault: false, apiServer: true }) : undefined,
      rbacPropagationWait: config.keyVault.rbacPropagationWait,
    });
    this.vault = SecretsVault.fromVaultId(this, "key-vault", {
      vaultId,
      secretNames: config.keyVault.secrets.map((s) => s.name),
      grantScope: fleet.cluster.grantScope,
      rbacPropagationWait: config.keyVault.rbacPropagationWait,
    });
    // Mounts need the grants and the zone's link (the endpoint comes from the vault-endpoints
    // stack, which the workload stack is applied after), and the workload stack needs the
    // deployer's access to the API server: every output the workload stack reads waits for them.
    const ready = () => [...this.vault.readerGrantsPropagated(), ...dns.ready, ...this.cluster.deployerAccessReady, ...runnerReady];
    const output = (name: string, value: string, description: string) => waitingOutput(this, name, value, description, ready);
    grantWorkloads(this, { vault: this.vault, cluster: this.cluster, workloads: fleet.workloads, namePrefix, common, output });
    warnSharedAddonIdentity(this, fleet.workloads, fleet.cluster.grantScope);
    if (config.profile === "lab") relaxClusterForLab(this.cluster);

    output(PLATFORM_OUTPUTS.resourceGroupName, group.name, "Resource group of this cluster.");
    output(PLATFORM_OUTPUTS.clusterName, this.cluster.clusterName, "AKS cluster name.");
    output(PLATFORM_OUTPUTS.clusterId, this.cluster.clusterId, "AKS cluster resource id.");
    output(PLATFORM_OUTPUTS.oidcIssuerUrl, this.cluster.oidcIssuerUrl, "OIDC issuer URL for federated credentials.");
    output(PLATFORM_OUTPUTS.keyVaultName, vaultName, "Key Vault name (SPC keyvaultName), from the vault stack.");
    output(PLATFORM_OUTPUTS.keyVaultUri, shared.getString(VAULT_OUTPUTS.keyVaultUri), "Key Vault URI, from the vault stack.");
    output(PLATFORM_OUTPUTS.keyVaultId, vaultId, "Key Vault resource id, from the vault stack.");
    output(PLATFORM_OUTPUTS.tenantId, deployer.tenantId, "Entra tenant id (SPC tenantID).");
    addonIdentityOutputs(this.cluster, output);
  }
}
