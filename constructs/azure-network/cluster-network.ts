import { Construct } from "constructs";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
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
 */
export class ClusterNetwork extends Construct {
  readonly vnetId: string;
  readonly clusterSubnetId: string;
  readonly endpointSubnetId: string;

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
    });
    this.vnetId = vnet.id;
    this.clusterSubnetId = cluster.id;
    this.endpointSubnetId = endpoints.id;
  }
}
