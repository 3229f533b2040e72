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
 *
 * Each identity's grants live in a scope of their own, `read-<identity key>`, named inside it by
 * the object's type and name (`secret-db-password`) or, per vault, by the role (`secrets`). A
 * construct id is never the concatenation of an identity and an object name, so two different
 * grants cannot meet in one id: before, workload "x-secret-y" with secret "z" and workload "x"
 * with secret "y-secret-z" were both `read-...-x-secret-y-secret-z`, and the second grant was
 * silently taken for the first. Addresses stay as they were (`key_vault_read_<identity>_secret_<name>`).
 */
export class SecretReadGrants {
  private readonly grants: { readonly key: string; readonly grant: RoleAssignment }[] = [];
  private readonly identities = new Map<string, { readonly principalId: string; readonly scope: Construct }>();
  private wait?: Sleep;

  constructor(private readonly scope: Construct, private readonly props: SecretReadGrantsProps) {}

  /** Secrets User for secrets, Certificate User for keys and certificates; repeated grants are created once. */
  grant(identity: SecretIdentity, objects: readonly VaultObjectRef[]): RoleAssignment[] {
    const made: RoleAssignment[] = [];
    const identityScope = this.scopeOf(identity);
    for (const object of objects) {
      const role = object.objectType === "secret" ? ROLE_SECRETS_USER : ROLE_CERTIFICATE_USER;
      if (object.objectType === "secret" && !this.props.holds(object.objectName)) {
        throw new Error(`SecretsVault cannot grant read on secret ${JSON.stringify(object.objectName)}: it is neither managed nor external`);
      }
      const perVault = this.props.grantScope === "vault";
      // Key Vault object names are case-insensitive: "DB-Password" and "db-password" are one object, so one grant.
      const grantId = perVault
        ? (role === ROLE_SECRETS_USER ? "secrets" : "certificates")
        : `${object.objectType}-${object.objectName.toLowerCase()}`;
      // Only this identity's grant on this same object (or role, per vault) can be found here.
      const existing = identityScope.node.tryFindChild(grantId) as RoleAssignment | undefined;
      if (existing) {
        if (!made.includes(existing)) made.push(existing);
        continue;
      }
      const grant = new RoleAssignment(identityScope, grantId, {
        scope: perVault ? this.props.vaultId : this.props.objectScope(object),
        roleDefinitionName: role,
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
      });
      // The trigger keys are the grants' former construct ids, so deployed waits are not replaced.
      this.grants.push({ key: `${identityScope.node.id}-${grantId}`, grant });
      made.push(grant);
    }
    // Triggers replace the sleep (and so wait again) whenever a grant is created or replaced.
    this.wait ??= new Sleep(this.scope, "reader-grants-propagation", {
      createDuration: this.props.rbacPropagationWait,
      triggers: Token.asStringMap(Lazy.anyValue({
        produce: () => Object.fromEntries(this.grants.map(({ key, grant }) => [key, grant.id])),
      })),
    });
    return made;
  }

  /** The wait after every grant made so far; undefined when nothing was granted. */
  propagated(): Sleep | undefined {
    return this.wait;
  }

  /** The scope of `identity`'s grants; a second identity with the same key is an error, never a share of the first one's grants. */
  private scopeOf(identity: SecretIdentity): Construct {
    const known = this.identities.get(identity.key);
    if (known && known.principalId !== identity.principalId) {
      throw new Error(`SecretReadGrants: two identities share the key ${JSON.stringify(identity.key)}; each identity needs its own key`);
    }
    if (known) return known.scope;
    const scope = new Construct(this.scope, `read-${identity.key}`);
    this.identities.set(identity.key, { principalId: identity.principalId, scope });
    return scope;
  }
}
