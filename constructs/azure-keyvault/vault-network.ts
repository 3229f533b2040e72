/**
 * How the vault's data plane is reached. Enum-like so each mode carries only what it needs.
 */
export abstract class VaultNetwork {
  /**
   * Public endpoint behind the firewall: default Deny, AzureServices bypass, and only the
   * listed IP ranges and subnets admitted. Terraform writes secrets through the data plane, so
   * the deployer's ranges must be among `ipRanges`.
   */
  static allowlist(props: { readonly ipRanges: string[]; readonly subnetIds: string[] }): VaultNetwork {
    return new AllowlistNetwork(props.ipRanges, props.subnetIds);
  }

  /**
   * Public network access off; a private endpoint in `subnetId` and a privatelink.vaultcore.azure.net
   * zone linked to `vnetId`. Only callers inside the VNet (e.g. Terraform Cloud agents) can write secrets.
   */
  static privateEndpoint(props: { readonly subnetId: string; readonly vnetId: string }): VaultNetwork {
    return new PrivateNetwork(props.subnetId, props.vnetId);
  }

  /** Reachable from anywhere (still RBAC-protected). For throwaway labs only. */
  static public(): VaultNetwork {
    return new PublicNetwork();
  }

  abstract readonly kind: "allowlist" | "private" | "public";
}

export class AllowlistNetwork extends VaultNetwork {
  readonly kind = "allowlist";
  constructor(
    readonly ipRanges: string[],
    readonly subnetIds: string[],
  ) {
    super();
  }
}

export class PrivateNetwork extends VaultNetwork {
  readonly kind = "private";
  constructor(
    readonly subnetId: string,
    readonly vnetId: string,
  ) {
    super();
  }
}

export class PublicNetwork extends VaultNetwork {
  readonly kind = "public";
}
