/**
 * The identity a SecretProviderClass authenticates as, built from the platform's output for
 * the identity that was granted read access. Each mode sets exactly the SPC parameters and
 * ServiceAccount annotations it needs, so an SPC cannot ask for an identity that has no grant
 * ("Identity not found", AADSTS70021).
 *
 * Neither mode puts a token into the pod. In workload-identity mode the kubelet hands the
 * ServiceAccount token (audience api://AzureADTokenExchange, from the CSIDriver's tokenRequests)
 * to the driver with each mount request; the provider needs neither the pod's automounted token
 * nor the workload-identity webhook's projected one (maintainer answers in
 * https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/952 and /issues/1022;
 * the provider's own workload-identity pod example carries no label:
 * https://azure.github.io/secrets-store-csi-driver-provider-azure/docs/configurations/identity-access-modes/workload-identity-mode/).
 */
export abstract class MountIdentity {
  /** The cluster's key_vault_secrets_provider identity, used as a VM managed identity. */
  static addon(clientId: string): MountIdentity {
    return new AddonMountIdentity(clientId);
  }

  /** A user-assigned identity federated to the pod's ServiceAccount. */
  static workload(clientId: string): MountIdentity {
    return new WorkloadMountIdentity(clientId);
  }

  abstract readonly mode: "addon" | "workload";
  abstract readonly clientId: string;
  /** Identity parameters of the SecretProviderClass. All values are strings. */
  abstract spcParameters(): Record<string, string>;
  abstract serviceAccountAnnotations(): Record<string, string>;
}

class AddonMountIdentity extends MountIdentity {
  readonly mode = "addon";
  constructor(readonly clientId: string) {
    super();
  }
  spcParameters() {
    return { usePodIdentity: "false", useVMManagedIdentity: "true", userAssignedIdentityID: this.clientId };
  }
  serviceAccountAnnotations() {
    return {};
  }
}

class WorkloadMountIdentity extends MountIdentity {
  readonly mode = "workload";
  constructor(readonly clientId: string) {
    super();
  }
  spcParameters() {
    return { usePodIdentity: "false", clientID: this.clientId };
  }
  /**
   * Records on the Kubernetes side which Azure identity is federated to this ServiceAccount. It
   * grants nothing by itself: the webhook acts only on pods labelled azure.workload.identity/use,
   * and no pod here carries that label.
   */
  serviceAccountAnnotations() {
    return { "azure.workload.identity/client-id": this.clientId };
  }
}
