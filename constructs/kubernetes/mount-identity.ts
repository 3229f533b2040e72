/**
 * The identity a SecretProviderClass authenticates as, built from the platform's output for
 * the identity that was granted read access. Each mode sets exactly the SPC parameters,
 * ServiceAccount annotations and pod labels it needs, so an SPC cannot ask for an identity
 * that has no grant ("Identity not found", AADSTS70021).
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
  abstract podLabels(): Record<string, string>;
  /** Only workload identity needs a projected ServiceAccount token in the pod. */
  abstract readonly needsServiceAccountToken: boolean;
}

class AddonMountIdentity extends MountIdentity {
  readonly mode = "addon";
  readonly needsServiceAccountToken = false;
  constructor(readonly clientId: string) {
    super();
  }
  spcParameters() {
    return { usePodIdentity: "false", useVMManagedIdentity: "true", userAssignedIdentityID: this.clientId };
  }
  serviceAccountAnnotations() {
    return {};
  }
  podLabels() {
    return {};
  }
}

class WorkloadMountIdentity extends MountIdentity {
  readonly mode = "workload";
  readonly needsServiceAccountToken = true;
  constructor(readonly clientId: string) {
    super();
  }
  spcParameters() {
    return { usePodIdentity: "false", clientID: this.clientId };
  }
  serviceAccountAnnotations() {
    return { "azure.workload.identity/client-id": this.clientId };
  }
  podLabels() {
    return { "azure.workload.identity/use": "true" };
  }
}
