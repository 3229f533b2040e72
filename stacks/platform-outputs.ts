import { WorkloadConfig } from "../config/types";
import { terraformName } from "../constructs/terraform";

/**
 * The platform stack's output names: the contract the workload stack (and ops teams) read
 * through terraform_remote_state. Renaming one breaks every consumer, so they live here once.
 */
export const PLATFORM_OUTPUTS = {
  resourceGroupName: "resource_group_name",
  clusterName: "cluster_name",
  clusterId: "cluster_id",
  oidcIssuerUrl: "oidc_issuer_url",
  keyVaultName: "key_vault_name",
  keyVaultUri: "key_vault_uri",
  keyVaultId: "key_vault_id",
  tenantId: "tenant_id",
  secretsProviderClientId: "secrets_provider_identity_client_id",
  secretsProviderObjectId: "secrets_provider_identity_object_id",
} as const;

/**
 * The output holding the client id of the identity that `workload` authenticates as: the
 * add-on identity, or the workload's own federated identity. Both stacks call this, which is
 * what keeps the SPC's identity and the vault grant the same object.
 */
export function identityClientIdOutput(workload: Pick<WorkloadConfig, "name" | "identity">): string {
  return workload.identity === "addon"
    ? PLATFORM_OUTPUTS.secretsProviderClientId
    : terraformName(`workload_identity_client_id_${workload.name}`);
}
