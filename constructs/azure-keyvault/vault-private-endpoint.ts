import { Construct } from "constructs";
import { TerraformResource, Token } from "cdktf";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { dnsZoneTagProblems } from "../../config/dns-zone-tags";

export interface VaultPrivateDnsProps {
  readonly resourceGroupName: string;
  /** The VNet whose hosts resolve the vault to its private endpoint. */
  readonly vnetId: string;
  /**
   * The VNet of the machine that runs Terraform (peered with `vnetId`): the zone is linked to it
   * too, so the runner resolves the vault to the endpoint's private address.
   * @default - the zone is linked to `vnetId` only
   */
  readonly runnerVnetId?: string;
  /**
   * Tags of the DNS zone and its links. Private DNS zones keep at most 15 tags whose names have
   * no spaces or special characters (config/dns-zone-tags.ts); others are refused.
   * @default - no tags
   */
  readonly tags?: Record<string, string>;
}

/** The privatelink.vaultcore.azure.net zone of one VNet and its links. */
export interface VaultPrivateDnsZone {
  readonly zoneId: string;
  /** The zone's VNet links: name resolution works once they exist. */
  readonly links: TerraformResource[];
}

/**
 * A privatelink.vaultcore.azure.net zone linked to `vnetId` (and the runner's VNet), created
 * directly in `scope`: the records a vault's private endpoint registers through its DNS zone
 * group resolve only in linked VNets.
 */
export function addVaultPrivateDnsZone(scope: Construct, props: VaultPrivateDnsProps): VaultPrivateDnsZone {
  const tags = Object.fromEntries(Object.entries(props.tags ?? {}).filter(([name]) => !Token.isUnresolved(name)));
  const problems = dnsZoneTagProblems(tags).map(([name, message]) => (name === undefined ? `tags ${message}` : `tag ${JSON.stringify(name)}: ${message}`));
  if (problems.length > 0) throw new Error(`${scope.node.path}: the vault's private DNS zone cannot take these tags: ${problems.join("; ")}`);
  const zone = new PrivateDnsZone(scope, "private-dns-zone", {
    name: "privatelink.vaultcore.azure.net",
    resourceGroupName: props.resourceGroupName,
    tags: props.tags,
  });
  const links = [new PrivateDnsZoneVirtualNetworkLink(scope, "private-dns-link", {
    name: "vault-dns-to-cluster-vnet",
    resourceGroupName: props.resourceGroupName,
    privateDnsZoneName: zone.name,
    virtualNetworkId: props.vnetId,
    tags: props.tags,
  })];
  if (props.runnerVnetId !== undefined) {
    links.push(new PrivateDnsZoneVirtualNetworkLink(scope, "private-dns-link-runner", {
      name: "vault-dns-to-runner-vnet",
      resourceGroupName: props.resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: props.runnerVnetId,
      tags: props.tags,
    }));
  }
  return { zoneId: zone.id, links };
}

export interface VaultEndpointProps {
  readonly vaultId: string;
  readonly vaultName: string;
  /** The VNet's region; the vault may live in another one (https://learn.microsoft.com/azure/private-link/private-endpoint-overview#private-endpoint-properties). */
  readonly location: string;
  readonly resourceGroupName: string;
  readonly subnetId: string;
  /** The privatelink.vaultcore.azure.net zone the endpoint registers its record in. */
  readonly dnsZoneId: string;
  /** @default - no tags */
  readonly tags?: Record<string, string>;
}

function addVaultEndpoint(scope: Construct, id: string, props: VaultEndpointProps, after: TerraformResource[]): PrivateEndpoint {
  return new PrivateEndpoint(scope, id, {
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
    privateDnsZoneGroup: { name: "vault", privateDnsZoneIds: [props.dnsZoneId] },
    tags: props.tags,
    dependsOn: after.length > 0 ? after : undefined,
  });
}

export interface VaultPrivateEndpointProps extends VaultPrivateDnsProps, Omit<VaultEndpointProps, "dnsZoneId"> {}

/**
 * A private endpoint to the vault in `subnetId` and its privatelink.vaultcore.azure.net zone
 * linked to `vnetId`, created directly in `scope`: SecretsVault's private mode.
 * @returns what a data-plane call must wait for: the endpoint (with its DNS zone group) and the zone's VNet links
 */
export function addVaultPrivateEndpoint(scope: Construct, props: VaultPrivateEndpointProps): TerraformResource[] {
  const dns = addVaultPrivateDnsZone(scope, props);
  return [addVaultEndpoint(scope, "private-endpoint", { ...props, dnsZoneId: dns.zoneId }, []), ...dns.links];
}

/** The private DNS zone of a fleet cluster's VNet, for the endpoint `SerialVaultEndpoints` puts there. */
export class VaultPrivateDns extends Construct {
  readonly zoneId: string;
  /** What name resolution in the VNet waits for. */
  readonly ready: TerraformResource[];

  constructor(scope: Construct, id: string, props: VaultPrivateDnsProps) {
    super(scope, id);
    const dns = addVaultPrivateDnsZone(this, props);
    this.zoneId = dns.zoneId;
    this.ready = dns.links;
  }
}

/**
 * Private endpoints into one vault, created one after another: each waits for the one before
 * (and Terraform destroys them in reverse). Key Vault fails concurrent private endpoint
 * connections with ConflictError ("This can happen if parallel operations are being performed on
 * the Key Vault. To prevent this error, serialize the operations"), which azurerm 4.55 does not
 * retry (hashicorp/terraform-provider-azurerm#32261, open). A VNet peering or a region never
 * matters: an endpoint may sit in any region and VNet.
 */
export class SerialVaultEndpoints extends Construct {
  private readonly endpoints: PrivateEndpoint[] = [];

  /** Adds the endpoint `id` after every endpoint added so far. @returns the endpoint */
  add(id: string, props: VaultEndpointProps): PrivateEndpoint {
    if (this.node.tryFindChild(id)) throw new Error(`SerialVaultEndpoints already has an endpoint ${JSON.stringify(id)}`);
    const endpoint = addVaultEndpoint(this, id, props, this.endpoints.slice(-1));
    this.endpoints.push(endpoint);
    return endpoint;
  }
}
