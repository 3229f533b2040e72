import { TerraformResource } from "cdktf";

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
   * zone linked to `vnetId`. Only callers inside the VNet, or in a VNet peered with it and linked to
   * the zone (`runnerVnetId`, after `runnerReady`: the peerings), can write secrets.
   */
  static privateEndpoint(props: {
    readonly subnetId: string;
    readonly vnetId: string;
    /** @default - no runner VNet: Terraform runs inside `vnetId` */
    readonly runnerVnetId?: string;
    /** What a call from the runner's VNet waits for, e.g. the peerings. @default - nothing */
    readonly runnerReady?: TerraformResource[];
  }): VaultNetwork {
    return new PrivateNetwork(props.subnetId, props.vnetId, props.runnerVnetId, props.runnerReady ?? []);
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
    readonly runnerVnetId: string | undefined,
    readonly runnerReady: TerraformResource[],
  ) {
    super();
  }
}

export class PublicNetwork extends VaultNetwork {
  readonly kind = "public";
}
