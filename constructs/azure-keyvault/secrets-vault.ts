import { Construct } from "constructs";
import { Lazy, TerraformResource, Token } from "cdktf";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { DEFAULT_RBAC_PROPAGATION_WAIT } from "../../config/key-vault-defaults";
import { RULES } from "../../config/naming-rules";
import { SecretIdentity } from "../azure-identity";
import { SecretVariable } from "../terraform";
import { AllowlistNetwork, PrivateNetwork, VaultNetwork } from "./vault-network";

export const ROLE_SECRETS_OFFICER = "Key Vault Secrets Officer";
export const ROLE_SECRETS_USER = "Key Vault Secrets User";
export const ROLE_CERTIFICATE_USER = "Key Vault Certificate User";

export interface SecretsVaultProps {
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly tenantId: string;
  /** Where AuditEvent logs go. Audit logging is not optional. */
  readonly logWorkspaceId: string;
  /**
   * Principal that runs Terraform; it gets Secrets Officer so it can write managed secrets.
   */
  readonly deployerPrincipalId: string;
  readonly network: VaultNetwork;
  /** @default "standard" */
  readonly sku?: "standard" | "premium";
  /** @default 90 - days, the maximum */
  readonly softDeleteRetentionDays?: number;
  /**
   * Adds Terraform's prevent_destroy to the vault and its managed secrets.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * `secret` grants each reader access to only the objects it mounts; `vault` to the whole vault.
   * @default "secret"
   */
  readonly grantScope?: "secret" | "vault";
  /**
   * How long Terraform waits after creating role assignments on the vault before anything uses
   * them: the deployer's grant before the first secret is written, and the readers' grants
   * before `readerGrantsPropagated` completes. A time_sleep that sleeps only when the grants
   * are created or replaced.
   * @default "30s" - the wait Azure Verified Module avm-res-keyvault-vault uses
   */
  readonly rbacPropagationWait?: string;
  /** @default - no tags */
  readonly tags?: Record<string, string>;
}

export interface ManagedSecretProps {
  readonly contentType: string;
  /** @default - never expires */
  readonly expirationDate?: string;
  /** Bump to write a new value. @default 1 */
  readonly valueVersion?: number;
}

/** A Key Vault object a reader needs, as named in a SecretProviderClass. */
export interface VaultObjectRef {
  readonly objectName: string;
  readonly objectType: "secret" | "key" | "cert";
}

const OBJECT_PATH = { secret: "secrets", key: "keys", cert: "certificates" } as const;

/**
 * A Key Vault for mounted secrets: RBAC only, purge protection, audit logs, firewall, and
 * secrets whose values never touch state. Read access is handed out with grantSecretRead.
 */
export class SecretsVault extends Construct {
  readonly vaultName: string;
  readonly vaultId: string;
  readonly vaultUri: string;
  private readonly vault: KeyVault;
  /** Private mode: the endpoint (with its DNS zone group) and the zone's VNet link. */
  private readonly endpointReady: TerraformResource[];
  /** What every secret write waits for: the deployer's grant after its propagation wait, and the endpoint. */
  private readonly writeReady: TerraformResource[];
  private readonly rbacPropagationWait: string;
  private readonly readerGrants: RoleAssignment[] = [];
  private readerWait?: Sleep;
  private readonly preventDestroy: boolean;
  private readonly grantScope: "secret" | "vault";
  private readonly managed = new Map<string, KeyVaultSecret>();
  private readonly external = new Set<string>();

  constructor(scope: Construct, id: string, props: SecretsVaultProps) {
    super(scope, id);
    const retention = props.softDeleteRetentionDays ?? 90;
    if (!Token.isUnresolved(props.name) && !RULES.keyVaultName.pattern.test(props.name)) {
      throw new Error(`SecretsVault name ${JSON.stringify(props.name)} is invalid: must be ${RULES.keyVaultName.allowed}`);
    }
    if (!Number.isInteger(retention) || retention < 7 || retention > 90) {
      throw new Error(`SecretsVault softDeleteRetentionDays must be a whole number from 7 to 90, got ${retention}`);
    }
    const wait = props.rbacPropagationWait ?? DEFAULT_RBAC_PROPAGATION_WAIT;
    if (!Token.isUnresolved(wait) && !RULES.duration.pattern.test(wait)) {
      throw new Error(`SecretsVault rbacPropagationWait must be ${RULES.duration.allowed}, got ${JSON.stringify(wait)}`);
    }
    this.rbacPropagationWait = wait;
    this.preventDestroy = props.preventDestroy ?? true;
    this.grantScope = props.grantScope ?? "secret";
    const network = props.network;

    this.vault = new KeyVault(this, "vault", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tenantId: props.tenantId,
      skuName: props.sku ?? "standard",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: retention,
      publicNetworkAccessEnabled: network.kind !== "private",
      networkAcls: {
        bypass: "AzureServices",
        defaultAction: network.kind === "public" ? "Allow" : "Deny",
        ipRules: network instanceof AllowlistNetwork ? network.ipRanges : [],
        virtualNetworkSubnetIds: network instanceof AllowlistNetwork ? network.subnetIds : [],
      },
      tags: props.tags,
      lifecycle: { preventDestroy: this.preventDestroy },
    });
    this.vaultName = this.vault.name;
    this.vaultId = this.vault.id;
    this.vaultUri = this.vault.vaultUri;

    new MonitorDiagnosticSetting(this, "audit-logs", {
      name: "audit-to-log-analytics",
      targetResourceId: this.vault.id,
      logAnalyticsWorkspaceId: props.logWorkspaceId,
      enabledLog: [{ category: "AuditEvent" }],
    });

    // Without this grant the first apply fails with ForbiddenByRbac when it writes secrets.
    const deployerGrant = new RoleAssignment(this, "deployer-secrets-officer", {
      scope: this.vault.id,
      roleDefinitionName: ROLE_SECRETS_OFFICER,
      principalId: props.deployerPrincipalId,
    });
    // A fresh grant is not yet effective on the data plane; writing right away fails with 403.
    const deployerReady = this.propagationWait("deployer-grant-propagation", { deployer: deployerGrant.id });
    // In private mode the data plane is reachable only through the endpoint and its DNS record
    // (the zone group) resolved via the VNet link: writes and mounts must wait for all of them.
    this.endpointReady = network instanceof PrivateNetwork ? this.addPrivateEndpoint(network, props) : [];
    this.writeReady = [deployerReady, ...this.endpointReady];
  }

  /**
   * Completes once every reader grant made so far has had the propagation wait, and (private
   * mode) the endpoint is in place. The platform stack's outputs depend on it, so the workload
   * stack, which reads them, never mounts before its grants work.
   * @returns nothing when no reader was granted anything
   */
  readerGrantsPropagated(): TerraformResource[] {
    return this.readerWait ? [this.readerWait, ...this.endpointReady] : [];
  }

  private propagationWait(id: string, triggers: Record<string, string>): Sleep {
    // Triggers replace the sleep (and so wait again) whenever a grant is created or replaced; a
    // re-apply with unchanged grants does not wait.
    return new Sleep(this, id, { createDuration: this.rbacPropagationWait, triggers });
  }

  /**
   * Declares a secret whose value this app writes. The value comes from the sensitive, ephemeral
   * Terraform variable `secret_<name>` (TF_VAR_secret_<name>, hyphens as underscores) through
   * the write-only `value_wo`, so it is never in state or cdktf.out. The variable is demanded
   * only by a plan that writes the secret (creation or a new valueVersion).
   */
  addManagedSecret(name: string, props: ManagedSecretProps): void {
    this.assertNewSecret(name);
    const variableName = `secret_${name.toLowerCase().replace(/-/g, "_")}`;
    const value = new SecretVariable(this, `value-${name}`, {
      name: variableName,
      description: `Value of Key Vault secret ${name}. Set TF_VAR_${variableName} when the secret is created or its valueVersion changes; ` +
        "it is written write-only and never stored in state.",
      valueVersion: props.valueVersion ?? 1,
      subject: `Key Vault secret ${name}`,
    });
    const secret = new KeyVaultSecret(this, `secret-${name}`, {
      name,
      keyVaultId: this.vault.id,
      valueWo: value.value,
      valueWoVersion: value.valueVersion,
      contentType: props.contentType,
      expirationDate: props.expirationDate,
      dependsOn: this.writeReady,
      lifecycle: { preventDestroy: this.preventDestroy, precondition: [value.writeGuard] },
    });
    this.managed.set(name.toLowerCase(), secret);
  }

  /** Declares a secret that already exists in the vault; this app only grants access to it. */
  addExternalSecret(name: string): void {
    this.assertNewSecret(name);
    this.external.add(name.toLowerCase());
  }

  /**
   * Lets `identity` read `objects` with the narrowest role and scope that works: Secrets User
   * for secrets, Certificate User for keys and certificates; per object, or per vault when the
   * vault was built with grantScope "vault". Repeated grants are created once.
   */
  grantSecretRead(identity: SecretIdentity, objects: readonly VaultObjectRef[]): void {
    for (const object of objects) {
      const role = object.objectType === "secret" ? ROLE_SECRETS_USER : ROLE_CERTIFICATE_USER;
      if (object.objectType === "secret" && !this.isDeclared(object.objectName)) {
        throw new Error(`SecretsVault cannot grant read on secret ${JSON.stringify(object.objectName)}: it is neither managed nor external`);
      }
      const perVault = this.grantScope === "vault";
      const grantId = perVault
        ? `read-${identity.key}-${role === ROLE_SECRETS_USER ? "secrets" : "certificates"}`
        : `read-${identity.key}-${object.objectType}-${object.objectName.toLowerCase()}`;
      if (this.node.tryFindChild(grantId)) continue;
      this.readerGrants.push(new RoleAssignment(this, grantId, {
        scope: perVault ? this.vault.id : this.objectScope(object),
        roleDefinitionName: role,
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
      }));
    }
    this.readerWait ??= this.propagationWait("reader-grants-propagation", Token.asStringMap(Lazy.anyValue({
      produce: () => Object.fromEntries(this.readerGrants.map((grant) => [grant.node.id, grant.id])),
    })));
  }

  private objectScope(object: VaultObjectRef): string {
    const managed = object.objectType === "secret" ? this.managed.get(object.objectName.toLowerCase()) : undefined;
    // The versionless id makes the grant wait for the secret; an external object is addressed by path.
    return managed ? managed.resourceVersionlessId : `${this.vault.id}/${OBJECT_PATH[object.objectType]}/${object.objectName}`;
  }

  private isDeclared(name: string): boolean {
    return this.managed.has(name.toLowerCase()) || this.external.has(name.toLowerCase());
  }

  private assertNewSecret(name: string): void {
    if (!RULES.secretName.pattern.test(name)) {
      throw new Error(`SecretsVault secret name ${JSON.stringify(name)} is invalid: must be ${RULES.secretName.allowed}`);
    }
    if (this.isDeclared(name)) throw new Error(`SecretsVault secret ${JSON.stringify(name)} is declared twice`);
  }

  /** @returns what a data-plane call must wait for: the endpoint (with its DNS zone group) and the zone's VNet link. */
  private addPrivateEndpoint(network: PrivateNetwork, props: SecretsVaultProps): TerraformResource[] {
    const zone = new PrivateDnsZone(this, "private-dns-zone", {
      name: "privatelink.vaultcore.azure.net",
      resourceGroupName: props.resourceGroupName,
      tags: props.tags,
    });
    const link = new PrivateDnsZoneVirtualNetworkLink(this, "private-dns-link", {
      name: "vault-dns-to-cluster-vnet",
      resourceGroupName: props.resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: network.vnetId,
      tags: props.tags,
    });
    const endpoint = new PrivateEndpoint(this, "private-endpoint", {
      name: `pe-${this.vault.name}`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      subnetId: network.subnetId,
      privateServiceConnection: {
        name: `psc-${this.vault.name}`,
        privateConnectionResourceId: this.vault.id,
        subresourceNames: ["vault"],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: "vault", privateDnsZoneIds: [zone.id] },
      tags: props.tags,
    });
    return [endpoint, link];
  }
}
