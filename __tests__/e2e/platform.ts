import { PLATFORM_OUTPUTS } from "../../stacks/platform-outputs";

/**
 * The platform's side of an e2e run: its outputs as Azure would fill them in (the fake Azure serves
 * exactly these), and what the synthesized platform stack tells the fake (federated credentials,
 * per-secret read grants). Shared by the e2e test files, each of which starts its own fake.
 */

export const TENANT_ID = "6b2e4c1d-8f3a-4e5b-9c7d-0a1b2c3d4e5f";
export const VAULT_NAME = "kv-kve2e-1a2b3c4d";
export const ADDON_CLIENT_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
/** A client id per federated identity, so a pod presenting another workload's id is caught. */
export const workloadClientId = (workload: string) => {
  const hex = Buffer.from(workload.padEnd(16, "-")).toString("hex").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
/** The OIDC issuer of scripts/control-plane.sh's API server: what the cluster's oidc_issuer_url output says here. */
export const OIDC_ISSUER = "https://kubernetes.default.svc.cluster.local";

export function outputValue(output: string): string {
  if (output === PLATFORM_OUTPUTS.keyVaultName) return VAULT_NAME;
  if (output === PLATFORM_OUTPUTS.tenantId) return TENANT_ID;
  if (output === PLATFORM_OUTPUTS.secretsProviderClientId) return ADDON_CLIENT_ID;
  const workload = /^workload_identity_client_id_(.+)$/.exec(output);
  if (workload) return workloadClientId(workload[1].replace(/_/g, "-"));
  throw new Error(`no value for platform output ${output}`);
}

/**
 * The federated credentials the platform stack declares, keyed to the client id its output
 * gives: subject and audience as synthesized, issuer as the cluster's OIDC issuer output.
 */
export function federatedCredentials(platform: any): { clientId: string; subject: string; issuer: string; audience: string }[] {
  const identityOf = (ref: string) => /\$\{azurerm_user_assigned_identity\.([a-z0-9_]+)\.(?:client_id|id)\}/.exec(ref)?.[1];
  const credentials = Object.values(platform.resource.azurerm_federated_identity_credential ?? {}) as any[];
  return Object.entries(platform.output as Record<string, { value: string }>)
    .filter(([name]) => name.startsWith("workload_identity_client_id_"))
    .flatMap(([name, { value }]) => credentials.filter((c) => identityOf(c.parent_id) === identityOf(value)).map((c) => {
      expect(c.issuer).toMatch(/oidc_issuer_url\}$/);
      return { clientId: outputValue(name), subject: c.subject, issuer: OIDC_ISSUER, audience: c.audience[0] };
    }));
}

/**
 * The secrets each identity may read, from the platform stack's "Key Vault Secrets User" role
 * assignments (scope: the secret; principal: the identity), keyed by the client id the output
 * naming the same identity gives.
 */
export function secretReaders(platform: any): Record<string, string[]> {
  const identityOf = (ref: string) => ref.replace(/\.(?:principal_id|object_id|client_id)\}$/, "");
  const clientIds = new Map(Object.entries(platform.output as Record<string, { value: string }>)
    .filter(([name]) => name === PLATFORM_OUTPUTS.secretsProviderClientId || name.startsWith("workload_identity_client_id_"))
    .map(([name, { value }]) => [identityOf(value), outputValue(name)]));
  const readers: Record<string, string[]> = {};
  for (const grant of Object.values(platform.resource.azurerm_role_assignment) as any[]) {
    if (grant.role_definition_name !== "Key Vault Secrets User") continue;
    const secret = /^\$\{azurerm_key_vault_secret\.([a-z0-9_]+)\.resource_versionless_id\}$/.exec(grant.scope)?.[1];
    const clientId = clientIds.get(identityOf(grant.principal_id));
    if (!secret || !clientId) throw new Error(`cannot read the grant ${JSON.stringify(grant)}`);
    (readers[clientId] ??= []).push(platform.resource.azurerm_key_vault_secret[secret].name);
  }
  return readers;
}
