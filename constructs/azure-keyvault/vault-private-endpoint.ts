import { Construct } from "constructs";
import { TerraformResource } from "cdktf";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";

export interface VaultPrivateEndpointProps {
  readonly vaultId: string;
  readonly vaultName: string;
  /** The VNet's region; the vault may live in another one (https://learn.microsoft.com/azure/private-link/private-endpoint-overview#private-endpoint-properties). */
  readonly location: string;
  readonly resourceGroupName: string;
  readonly subnetId: string;
  readonly vnetId: string;
  /**
   * The VNet of the machine that runs Terraform (peered with `vnetId`): the zone is linked to it
   * too, so the runner resolves the vault to the endpoint's private address.
   * @default - the zone is linked to `vnetId` only
   */
  readonly runnerVnetId?: string;
  /** @default - no tags */
  readonly tags?: Record<string, string>;
}

/**
 * A private endpoint to the vault in `subnetId`, and a privatelink.vaultcore.azure.net zone
 * linked to `vnetId`, created directly in `scope`: SecretsVault's private mode and each fleet
 * cluster's own endpoint.
 * @returns what a data-plane call must wait for: the endpoint (with its DNS zone group) and the zone's VNet links
 */
export function addVaultPrivateEndpoint(scope: Construct, props: VaultPrivateEndpointProps): TerraformResource[] {
  const zone = new PrivateDnsZone(scope, "private-dns-zone", {
    name: "privatelink.vaultcore.azure.net",
    resourceGroupName: props.resourceGroupName,
    tags: props.tags,
  });
  const link = new PrivateDnsZoneVirtualNetworkLink(scope, "private-dns-link", {
    name: "vault-dns-to-cluster-vnet",
    resourceGroupName: props.resourceGroupName,
    privateDnsZoneName: zone.name,
    virtualNetworkId: props.vnetId,
    tags: props.tags,
  });
  const runnerLink = props.runnerVnetId === undefined ? [] : [new PrivateDnsZoneVirtualNetworkLink(scope, "private-dns-link-runner", {
    name: "vault-dns-to-runner-vnet",
    resourceGroupName: props.resourceGroupName,
    privateDnsZoneName: zone.name,
    virtualNetworkId: props.runnerVnetId,
    tags: props.tags,
  })];
  const endpoint = new PrivateEndpoint(scope, "private-endpoint", {
    name: `pe-${props.vaultName}`,
    location: props.location,
    resourceGroupName: props.resourceGroupName,
    subnetId: props.subnetId,
    privateServiceConnection: {
      name: `psc-${props.vaultName}`,
      privateConnectionResourceId: props.vaultId,
      subresourceNames: ["vault"],
      isManualConnection: false,
    },
    privateDnsZoneGroup: { name: "vault", privateDnsZoneIds: [zone.id] },
    tags: props.tags,
  });
  return [endpoint, link, ...runnerLink];
}

/**
 * A private endpoint to a vault of another stack (a fleet cluster's way to the shared vault), in
 * the caller's VNet and region.
 */
export class VaultPrivateEndpoint extends Construct {
  /** What a data-plane call (a mount) must wait for: the endpoint with its DNS record, and the zone's VNet link. */
  readonly ready: TerraformResource[];

  constructor(scope: Construct, id: string, props: VaultPrivateEndpointProps) {
    super(scope, id);
    this.ready = addVaultPrivateEndpoint(this, props);
  }
}
