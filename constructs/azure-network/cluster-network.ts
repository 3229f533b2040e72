import { Construct } from "constructs";
import { ITerraformDependable } from "cdktf";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";

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
    this.vnetId = vnet.id;
    this.clusterSubnetId = cluster.id;
    this.endpointSubnetId = endpoints.id;
  }
}
