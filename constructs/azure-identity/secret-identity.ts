import { Construct } from "constructs";
import { Token } from "cdktf";
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { FEDERATED_CREDENTIAL_NAME, federatedCredentialName } from "../../config/federated-credential";

/** The audience AKS workload identity tokens are issued for. */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";

export interface WorkloadIdentityProps {
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The cluster's OIDC issuer URL. */
  readonly oidcIssuerUrl: string;
  readonly namespace: string;
  /**
   * The ServiceAccount the identity is federated to. With the namespace it names the federated
   * credential, `<namespace>-<serviceAccountName>`, which Azure allows 120 characters.
   */
  readonly serviceAccountName: string;
  /** @default - no tags */
  readonly tags?: Record<string, string>;
}

/**
 * An Entra identity the Key Vault provider authenticates as. `addon` is the cluster's
 * key_vault_secrets_provider identity; `workload` is a user-assigned identity federated to one
 * Kubernetes ServiceAccount. The vault grants read access to exactly this object, and the
 * workload stack reads the client id of the same object, so SPC and grant cannot disagree.
 */
export abstract class SecretIdentity {
  static addon(principalId: string, clientId: string): SecretIdentity {
    return new AddonSecretIdentity(principalId, clientId);
  }

  static workload(scope: Construct, id: string, props: WorkloadIdentityProps): WorkloadSecretIdentity {
    return new WorkloadSecretIdentity(scope, id, props);
  }

  abstract readonly mode: "addon" | "workload";
  /** Stable key used in construct IDs of grants for this identity. */
  abstract readonly key: string;
  /** Entra object id: the principal of role assignments. */
  abstract readonly principalId: string;
  abstract readonly clientId: string;
}

class AddonSecretIdentity extends SecretIdentity {
  readonly mode = "addon";
  readonly key = "addon";
  constructor(
    readonly principalId: string,
    readonly clientId: string,
  ) {
    super();
  }
}

export class WorkloadSecretIdentity extends SecretIdentity {
  readonly mode = "workload";
  readonly key: string;
  readonly principalId: string;
  readonly clientId: string;
  /** The federated subject, `system:serviceaccount:<namespace>:<name>`. */
  readonly subject: string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super();
    const credentialName = federatedCredentialName(props.namespace, props.serviceAccountName);
    if (!Token.isUnresolved(credentialName) && !FEDERATED_CREDENTIAL_NAME.pattern.test(credentialName)) {
      throw new Error(`SecretIdentity.workload ${id}: the federated credential name ${JSON.stringify(credentialName)} ` +
        `(<namespace>-<serviceAccountName>, ${credentialName.length} characters) is invalid: Azure allows ${FEDERATED_CREDENTIAL_NAME.allowed}`);
    }
    const construct = new Construct(scope, id);
    const identity = new UserAssignedIdentity(construct, "identity", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      tags: props.tags,
    });
    this.subject = `system:serviceaccount:${props.namespace}:${props.serviceAccountName}`;
    new FederatedIdentityCredential(construct, "federation", {
      name: credentialName,
      resourceGroupName: props.resourceGroupName,
      parentId: identity.id,
      issuer: props.oidcIssuerUrl,
      subject: this.subject,
      audience: [WORKLOAD_IDENTITY_AUDIENCE],
    });
    this.key = id;
    this.principalId = identity.principalId;
    this.clientId = identity.clientId;
  }
}
