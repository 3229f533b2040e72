import { Construct } from "constructs";
import { Lazy, Token } from "cdktf";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { SecretIdentity } from "../azure-identity";

export const ROLE_SECRETS_USER = "Key Vault Secrets User";
export const ROLE_CERTIFICATE_USER = "Key Vault Certificate User";

/** A Key Vault object a reader needs, as named in a SecretProviderClass. */
export interface VaultObjectRef {
  readonly objectName: string;
  readonly objectType: "secret" | "key" | "cert";
}

export interface SecretReadGrantsProps {
  readonly vaultId: string;
  /** `secret`: one grant per object; `vault`: one per role on the whole vault. */
  readonly grantScope: "secret" | "vault";
  readonly rbacPropagationWait: string;
  /** Whether the vault holds secret `name` (a grant on a missing secret would fail at apply). */
  readonly holds: (name: string) => boolean;
  /** The narrowest resource id that covers `object`. */
  readonly objectScope: (object: VaultObjectRef) => string;
}

/**
 * The one grant concept behind `SecretsVault.grantSecretRead`, for a vault built in the same
 * stack as for one imported by id (a fleet's cluster stack): the role assignments live in
 * `scope`, and one propagation wait covers all of them.
 */
export class SecretReadGrants {
  private readonly grants: RoleAssignment[] = [];
  private wait?: Sleep;

  constructor(private readonly scope: Construct, private readonly props: SecretReadGrantsProps) {}

  /** Secrets User for secrets, Certificate User for keys and certificates; repeated grants are created once. */
  grant(identity: SecretIdentity, objects: readonly VaultObjectRef[]): RoleAssignment[] {
    const made: RoleAssignment[] = [];
    for (const object of objects) {
      const role = object.objectType === "secret" ? ROLE_SECRETS_USER : ROLE_CERTIFICATE_USER;
      if (object.objectType === "secret" && !this.props.holds(object.objectName)) {
        throw new Error(`SecretsVault cannot grant read on secret ${JSON.stringify(object.objectName)}: it is neither managed nor external`);
      }
      const perVault = this.props.grantScope === "vault";
      const grantId = perVault
        ? `read-${identity.key}-${role === ROLE_SECRETS_USER ? "secrets" : "certificates"}`
        : `read-${identity.key}-${object.objectType}-${object.objectName.toLowerCase()}`;
      const existing = this.scope.node.tryFindChild(grantId) as RoleAssignment | undefined;
      if (existing) {
        if (!made.includes(existing)) made.push(existing);
        continue;
      }
      const grant = new RoleAssignment(this.scope, grantId, {
        scope: perVault ? this.props.vaultId : this.props.objectScope(object),
        roleDefinitionName: role,
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
      });
      this.grants.push(grant);
      made.push(grant);
    }
    // Triggers replace the sleep (and so wait again) whenever a grant is created or replaced.
    this.wait ??= new Sleep(this.scope, "reader-grants-propagation", {
      createDuration: this.props.rbacPropagationWait,
      triggers: Token.asStringMap(Lazy.anyValue({
        produce: () => Object.fromEntries(this.grants.map((grant) => [grant.node.id, grant.id])),
      })),
    });
    return made;
  }

  /** The wait after every grant made so far; undefined when nothing was granted. */
  propagated(): Sleep | undefined {
    return this.wait;
  }
}
