import { Construct } from "constructs";
import { TerraformResource, Token } from "cdktf";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { DEFAULT_RBAC_PROPAGATION_WAIT } from "../../config/key-vault-defaults";
import { RULES } from "../../config/naming-rules";
import { SecretIdentity } from "../azure-identity";
import { SecretVariable, terraformName, writeMarkersSettle } from "../terraform";
import { SecretReadGrants, VaultObjectRef } from "./secret-read-grants";
import { addVaultPrivateEndpoint } from "./vault-private-endpoint";
import { AllowlistNetwork, PrivateNetwork, VaultNetwork } from "./vault-network";

export const ROLE_SECRETS_OFFICER = "Key Vault Secrets Officer";

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

const OBJECT_PATH = { secret: "secrets", key: "keys", cert: "certificates" } as const;

/** The resource id of a vault object by path: it exists whether or not this stack created the object. */
function objectPathScope(vaultId: string, object: VaultObjectRef): string {
  return `${vaultId}/${OBJECT_PATH[object.objectType]}/${object.objectName}`;
}

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
  /** What every secret write waits for: the deployer's grant after its propagation wait, the endpoint and the runner's peerings. */
  private readonly writeReady: TerraformResource[];
  private readonly rbacPropagationWait: string;
  private readonly readers: SecretReadGrants;
  private readonly preventDestroy: boolean;
  private readonly managed = new Map<string, KeyVaultSecret>();
  /** Each managed secret's write marker (SecretVariable.recordWrites), in declaration order. */
  private readonly writeMarkers: TerraformResource[] = [];
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
      // Resource-specific mode: AuditEvent lands in AZKVAuditLogs, with typed columns (Identity,
      // HttpStatusCode, Id) instead of AzureDiagnostics' flattened ones; Microsoft's supported-logs
      // reference for Microsoft.KeyVault/vaults names AZKVAuditLogs as AuditEvent's table
      // (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-keyvault-vaults-logs).
      // azurerm updates this in place (not ForceNew); earlier records stay in AzureDiagnostics.
      logAnalyticsDestinationType: "Dedicated",
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
    // Writes come from the runner, so they also wait for the peerings with its VNet (when it has
    // its own); pods mount from the cluster's VNet and need only the endpoint.
    const runnerReady = network instanceof PrivateNetwork ? network.runnerReady : [];
    this.endpointReady = network instanceof PrivateNetwork ? this.addPrivateEndpoint(network, props) : [];
    this.writeReady = [deployerReady, ...this.endpointReady, ...runnerReady];
    this.readers = new SecretReadGrants(this, {
      vaultId: this.vault.id,
      grantScope: props.grantScope ?? "secret",
      rbacPropagationWait: wait,
      holds: (name) => this.isDeclared(name),
      objectScope: (object) => this.objectScope(object),
    });
  }

  /**
   * A vault built in another stack (a fleet's vault stack), referenced by id, to grant read on
   * from this stack with the same rules as grantSecretRead.
   */
  static fromVaultId(scope: Construct, id: string, props: ImportedVaultProps): ImportedSecretsVault {
    return new ImportedSecretsVault(scope, id, props);
  }

  /**
   * Completes once every reader grant made so far has had the propagation wait, and (private
   * mode) the endpoint is in place. The platform stack's outputs depend on it, so the workload
   * stack, which reads them, never mounts before its grants work.
   * @returns nothing when no reader was granted anything
   */
  readerGrantsPropagated(): TerraformResource[] {
    const wait = this.readers.propagated();
    return wait ? [wait, ...this.endpointReady] : [];
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
   * @returns the secret
   */
  addManagedSecret(name: string, props: ManagedSecretProps): KeyVaultSecret {
    this.assertNewSecret(name);
    const variableName = terraformName(`secret_${name.toLowerCase()}`);
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
      lifecycle: { preventDestroy: this.preventDestroy },
    });
    // The marker demands TF_VAR_secret_<name> in every plan that writes this secret, including a
    // retry after an apply that stopped before the write; "" never reaches Key Vault.
    this.writeMarkers.push(value.recordWrites(secret, { version: "value_wo_version", identity: "resource_versionless_id" }));
    if (this.writeMarkers.length === 1) writeMarkersSettle(this, "write-markers-settle", () => this.writeMarkers);
    this.managed.set(name.toLowerCase(), secret);
    return secret;
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
   * @returns the role assignments that give this access, also those an earlier call created
   */
  grantSecretRead(identity: SecretIdentity, objects: readonly VaultObjectRef[]): RoleAssignment[] {
    return this.readers.grant(identity, objects);
  }

  private objectScope(object: VaultObjectRef): string {
    const managed = object.objectType === "secret" ? this.managed.get(object.objectName.toLowerCase()) : undefined;
    // The versionless id makes the grant wait for the secret; an external object is addressed by path.
    return managed ? managed.resourceVersionlessId : objectPathScope(this.vault.id, object);
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

  private addPrivateEndpoint(network: PrivateNetwork, props: SecretsVaultProps): TerraformResource[] {
    return addVaultPrivateEndpoint(this, {
      vaultId: this.vault.id,
      vaultName: this.vault.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      subnetId: network.subnetId,
      vnetId: network.vnetId,
      runnerVnetId: network.runnerVnetId,
      tags: props.tags,
    });
  }
}

export interface ImportedVaultProps {
  /** Resource id of the vault, e.g. from the vault stack's remote state. */
  readonly vaultId: string;
  /** Every secret the vault holds (managed or external): grants on any other secret are refused. */
  readonly secretNames: readonly string[];
  /** @default "secret" */
  readonly grantScope?: "secret" | "vault";
  /** @default "30s" - as SecretsVault */
  readonly rbacPropagationWait?: string;
}

/**
 * A SecretsVault of another stack, known by id. Its grants are created here, in the stack of
 * the identity that reads, so adding or removing a reader touches no other stack. Objects are
 * scoped by path (`<vault id>/secrets/<name>`): the vault stack, which deploys first, made them.
 */
export class ImportedSecretsVault extends Construct {
  readonly vaultId: string;
  private readonly readers: SecretReadGrants;

  constructor(scope: Construct, id: string, props: ImportedVaultProps) {
    super(scope, id);
    const wait = props.rbacPropagationWait ?? DEFAULT_RBAC_PROPAGATION_WAIT;
    if (!Token.isUnresolved(wait) && !RULES.duration.pattern.test(wait)) {
      throw new Error(`ImportedSecretsVault rbacPropagationWait must be ${RULES.duration.allowed}, got ${JSON.stringify(wait)}`);
    }
    this.vaultId = props.vaultId;
    const held = new Set(props.secretNames.map((n) => n.toLowerCase()));
    this.readers = new SecretReadGrants(this, {
      vaultId: props.vaultId,
      grantScope: props.grantScope ?? "secret",
      rbacPropagationWait: wait,
      holds: (name) => held.has(name.toLowerCase()),
      objectScope: (object) => objectPathScope(props.vaultId, object),
    });
  }

  /** As SecretsVault.grantSecretRead. */
  grantSecretRead(identity: SecretIdentity, objects: readonly VaultObjectRef[]): RoleAssignment[] {
    return this.readers.grant(identity, objects);
  }

  /** The wait after every grant made so far; nothing when nothing was granted. */
  readerGrantsPropagated(): TerraformResource[] {
    const wait = this.readers.propagated();
    return wait ? [wait] : [];
  }
}
