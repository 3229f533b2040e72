import { Construct } from "constructs";
import { ITerraformDependable, TerraformResource, Token } from "cdktf";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { VirtualNetworkPeering } from "@cdktf/provider-azurerm/lib/virtual-network-peering";
import { RULES } from "../../config/naming-rules";

export interface ClusterNetworkProps {
  readonly namePrefix: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly addressSpace: string;
  readonly clusterSubnetPrefix: string;
  readonly endpointSubnetPrefix: string;
  /** @default - no tags */
  readonly tags?: Record<string, string>;
}

/**
 * The cluster's VNet. The node subnet carries the Microsoft.KeyVault service endpoint so the
 * vault firewall can admit the cluster by subnet; private endpoints get a subnet of their own.
 * Each subnet has its own NSG (Azure's default rules: VNet traffic in, nothing from the
 * internet), so a future public Service needs an explicit inbound rule.
 */
export class ClusterNetwork extends Construct {
  readonly vnetId: string;
  readonly clusterSubnetId: string;
  readonly endpointSubnetId: string;
  /** The NSG associations; anything else that updates the subnets must wait for them. */
  readonly subnetsReady: ITerraformDependable[] = [];
  private readonly vnet: VirtualNetwork;
  private readonly props: ClusterNetworkProps;

  constructor(scope: Construct, id: string, props: ClusterNetworkProps) {
    super(scope, id);
    const vnet = new VirtualNetwork(this, "vnet", {
      name: `vnet-${props.namePrefix}`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      addressSpace: [props.addressSpace],
      tags: props.tags,
    });
    const cluster = new Subnet(this, "cluster-subnet", {
      name: "snet-aks-nodes",
      resourceGroupName: props.resourceGroupName,
      virtualNetworkName: vnet.name,
      addressPrefixes: [props.clusterSubnetPrefix],
      serviceEndpoints: ["Microsoft.KeyVault"],
    });
    const endpoints = new Subnet(this, "endpoint-subnet", {
      name: "snet-private-endpoints",
      resourceGroupName: props.resourceGroupName,
      virtualNetworkName: vnet.name,
      addressPrefixes: [props.endpointSubnetPrefix],
      // Without this, NSG rules do not apply to private endpoints in the subnet.
      privateEndpointNetworkPolicies: "Enabled",
    });
    for (const [key, subnet] of [["cluster", cluster], ["endpoint", endpoints]] as const) {
      const nsg = new NetworkSecurityGroup(this, `${key}-nsg`, {
        name: `nsg-${props.namePrefix}-${key}`,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        tags: props.tags,
      });
      this.subnetsReady.push(new SubnetNetworkSecurityGroupAssociation(this, `${key}-nsg-association`, { subnetId: subnet.id, networkSecurityGroupId: nsg.id }));
    }
    this.vnet = vnet;
    this.props = props;
    this.vnetId = vnet.id;
    this.clusterSubnetId = cluster.id;
    this.endpointSubnetId = endpoints.id;
  }

  /**
   * Peers this VNet with the VNet of the machine that runs Terraform, both ways (a peering is
   * connected only once each side has one), so the runner reaches private endpoints here. The
   * runner's side is created in its own VNet, which must be in `subscriptionId`, the provider's
   * subscription: a precondition says so at plan time instead of a "resource group not found"
   * at apply. After https://learn.microsoft.com/azure/aks/private-cluster-connect ("Connect
   * using virtual network (VNet) peering"). The address spaces must not overlap (Azure refuses
   * to peer them).
   * @param runnerVnetId the runner's VNet; undefined peers nothing (network.runnerVnetId unset)
   * @returns both peerings: what a call from the runner into this VNet waits for; none without a runner VNet
   */
  peerWith(runnerVnetId: string | undefined, subscriptionId: string): TerraformResource[] {
    if (runnerVnetId === undefined) return [];
    // The runner's half of the peering is named from the id's parts at synth, so a token (whose
    // parts are unknown until apply) cannot be split; the config always passes a literal.
    if (Token.isUnresolved(runnerVnetId)) {
      throw new Error("ClusterNetwork runner VNet must be a literal resource id, not a token: its subscription, resource group and name are read from it at synth");
    }
    if (!RULES.vnetId.pattern.test(runnerVnetId)) {
      throw new Error(`ClusterNetwork runner VNet ${JSON.stringify(runnerVnetId)} is invalid: must be ${RULES.vnetId.allowed}`);
    }
    const [, , runnerSubscription, , runnerGroup, , , , runnerVnet] = runnerVnetId.split("/");
    const toRunner = new VirtualNetworkPeering(this, "runner-peering", {
      name: "peer-to-runner",
      resourceGroupName: this.props.resourceGroupName,
      virtualNetworkName: this.vnet.name,
      remoteVirtualNetworkId: runnerVnetId,
      allowVirtualNetworkAccess: true,
    });
    const fromRunner = new VirtualNetworkPeering(this, "runner-peering-back", {
      name: `peer-to-vnet-${this.props.namePrefix}`,
      resourceGroupName: runnerGroup,
      virtualNetworkName: runnerVnet,
      remoteVirtualNetworkId: this.vnet.id,
      allowVirtualNetworkAccess: true,
      lifecycle: {
        precondition: [{
          // subscriptionId is a reference token: cdktf writes it bare inside this expression.
          condition: `\${lower("${runnerSubscription}") == lower(${subscriptionId})}`,
          errorMessage: `network.runnerVnetId is in subscription ${runnerSubscription}, but Terraform deploys into another one (ARM_SUBSCRIPTION_ID); ` +
            "the runner's half of the peering is created in the runner's VNet, so it must be in the same subscription.",
        }],
      },
    });
    return [toRunner, fromRunner];
  }
}
