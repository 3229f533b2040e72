import { Construct } from "constructs";
import { Fn, Lazy, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable, Token } from "cdktf";
import { ClusterConfig, KeyVaultConfig, NetworkConfig, SecretObjectConfig, WorkloadConfig } from "../config/types";
import { AksCluster, AksClusterProps } from "../constructs/azure-aks";
import { SecretIdentity } from "../constructs/azure-identity";
import { VaultNetwork, VaultObjectRef } from "../constructs/azure-keyvault";
import { identityClientIdOutput, PLATFORM_OUTPUTS } from "./platform-outputs";

/**
 * What the platform stack and a fleet's cluster stacks build alike from a cluster's config, so
 * one cluster and a fleet's clusters cannot drift apart.
 */

/** The AKS props a cluster's config and network decide. */
export function aksSettings(c: ClusterConfig, network: NetworkConfig): Pick<AksClusterProps,
  "name" | "dnsPrefix" | "kubernetesVersion" | "skuTier" | "systemNodePool" | "userNodePool" | "secretRotationInterval" |
  "oidcIssuerEnabled" | "localAccountsDisabled" | "adminGroupObjectIds" | "networkPolicy" | "podCidr" | "serviceCidr" | "dnsServiceIp" |
  "automaticUpgradeChannel" | "nodeOsUpgradeChannel" | "apiServerAuthorizedIpRanges" | "privateCluster" | "hostEncryption" |
  "ephemeralOsDisk" | "availabilityZones" | "secretsProviderAddon" | "runnerVnetId"> {
  return {
    name: c.name,
    dnsPrefix: c.dnsPrefix,
    kubernetesVersion: c.kubernetesVersion,
    skuTier: c.skuTier,
    systemNodePool: c.systemNodePool,
    userNodePool: c.userNodePool,
    secretRotationInterval: c.secretRotationInterval,
    oidcIssuerEnabled: c.oidcIssuerEnabled,
    localAccountsDisabled: c.localAccountsDisabled,
    adminGroupObjectIds: [...c.adminGroupObjectIds],
    networkPolicy: c.networkPolicy,
    podCidr: network.podCidr,
    serviceCidr: network.serviceCidr,
    dnsServiceIp: network.dnsServiceIp,
    runnerVnetId: network.runnerVnetId,
    automaticUpgradeChannel: c.automaticUpgradeChannel,
    nodeOsUpgradeChannel: c.nodeOsUpgradeChannel,
    apiServerAuthorizedIpRanges: [...c.apiServerAuthorizedIpRanges],
    privateCluster: c.privateCluster,
    hostEncryption: c.hostEncryption,
    ephemeralOsDisk: c.ephemeralOsDisk,
    availabilityZones: c.availabilityZones,
    secretsProviderAddon: c.driver.type === "addon",
  };
}

/** A vault that hands out read grants: SecretsVault, or one imported by id. */
export interface GrantingVault {
  grantSecretRead(identity: SecretIdentity, objects: readonly VaultObjectRef[]): unknown;
}

/**
 * Gives each workload its identity (the add-on's, or a federated one) and read on exactly the
 * objects it mounts; a workload identity's client id becomes an output the workload stack reads.
 */
export function grantWorkloads(stack: TerraformStack, props: {
  readonly vault: GrantingVault;
  readonly cluster: AksCluster;
  readonly workloads: readonly WorkloadConfig[];
  readonly namePrefix: string;
  readonly common: { readonly location: string; readonly resourceGroupName: string; readonly tags: Record<string, string> };
  readonly output: (name: string, value: string, description: string) => void;
}): void {
  for (const workload of props.workloads) {
    const identity = workload.identity === "addon"
      ? addonIdentityOf(props.cluster, workload)
      : SecretIdentity.workload(stack, `workload-identity-${workload.name}`, {
        ...props.common,
        name: `id-${props.namePrefix}-${workload.name}`,
        oidcIssuerUrl: props.cluster.oidcIssuerUrl,
        namespace: workload.namespace,
        serviceAccountName: workload.serviceAccountName,
      });
    props.vault.grantSecretRead(identity, workload.objects);
    if (identity.mode === "workload") {
      props.output(identityClientIdOutput(workload), identity.clientId,
        `Client id of workload ${workload.name}'s federated identity (${workload.namespace}/${workload.serviceAccountName}).`);
    }
  }
}

function addonIdentityOf(cluster: AksCluster, workload: WorkloadConfig): SecretIdentity {
  if (!cluster.secretsProviderIdentity) {
    throw new Error(`workload ${workload.name} uses the add-on identity, but the cluster's secrets provider add-on is off`);
  }
  return cluster.secretsProviderIdentity;
}

/**
 * The add-on identity's outputs (SPC userAssignedIdentityID for identity "addon" workloads);
 * none when the add-on is off, since a Helm-installed driver has no such identity.
 */
export function addonIdentityOutputs(cluster: AksCluster, output: (name: string, value: string, description: string) => void): void {
  const identity = cluster.secretsProviderIdentity;
  if (!identity) return;
  output(PLATFORM_OUTPUTS.secretsProviderClientId, identity.clientId,
    "Client id of the key_vault_secrets_provider add-on identity (SPC userAssignedIdentityID).");
  output(PLATFORM_OUTPUTS.secretsProviderObjectId, identity.principalId,
    "Object id of the key_vault_secrets_provider add-on identity.");
}

/**
 * An output that the workload stack reads, made to wait for `waits` (the readers' propagation
 * wait): the workload can only start after the grants work. cdktf 0.21 writes an output's
 * dependsOn as "${time_sleep.x}", which Terraform rejects ("A single static variable reference
 * is required"), so the plain addresses go in as an override.
 */
export function waitingOutput(stack: TerraformStack, name: string, value: string, description: string, waits: () => TerraformResource[]): void {
  const output = new TerraformOutput(stack, name, { value, description });
  if (waits().length > 0) {
    output.addOverride("depends_on", Lazy.listValue({ produce: () => waits().map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`) }));
  }
}

/** Where Terraform, from the machine that runs it, reaches something this app restricts by address. */
export interface DeployerReach {
  /** The vault's firewall (allowlist mode), when Terraform writes or lists secrets through it. */
  readonly vault: boolean;
  /** The API server's authorized ranges, which the csi-driver and workload stacks must pass. */
  readonly apiServer: boolean;
}

/**
 * The variable `deployer_ip_ranges`: the egress ranges of the machines that run Terraform,
 * admitted wherever Terraform must reach (the vault firewall and the API server's authorized
 * ranges). Callers create it wherever such a restriction exists. When `reach` says Terraform
 * needs it, its validation fails the plan (naming why) instead of an apply failing late with a
 * 403 or a workload stack that cannot connect; an allowlisted vault that Terraform never touches
 * gets the variable without that check.
 * @returns the ranges as a list token
 */
export function deployerIpRanges(scope: Construct, reach: DeployerReach): string[] {
  const why = [
    ...(reach.vault ? ["the vault firewall must admit the machine that writes and lists the secrets"] : []),
    ...(reach.apiServer ? ["the API server admits only cluster.apiServerAuthorizedIpRanges and these ranges, and the workload stack reaches it from this machine"] : []),
  ];
  const variable = new TerraformVariable(scope, "deployer_ip_ranges", {
    type: "list(string)",
    default: [],
    description: "CIDR ranges of the machines that run Terraform; the vault firewall (allowlist mode) and the API server's authorized ranges admit them.",
    validation: why.length > 0
      ? [{
        condition: "${length(var.deployer_ip_ranges) > 0}",
        errorMessage: `Set TF_VAR_deployer_ip_ranges (e.g. '["203.0.113.7/32"]'): ${why.join("; ")}.`,
      }]
      : undefined,
  });
  return variable.listValue;
}

/**
 * The objects of `workloads` that are external secrets (created outside Terraform): the
 * workload stack checks they exist before mounting them, by listing the vault's names. Key
 * Vault object names are case-insensitive, so the match is too.
 */
export function mountedExternalObjects(kv: KeyVaultConfig, workloads: readonly WorkloadConfig[]): SecretObjectConfig[] {
  const external = new Set(kv.secrets.filter((s) => s.source === "external").map((s) => s.name.toLowerCase()));
  return workloads.flatMap((w) => w.objects.filter((o) => o.objectType === "secret" && external.has(o.objectName.toLowerCase())));
}

/**
 * Whether Terraform uses the vault's data plane: it writes (and refreshes) managed secrets, and
 * the workload stack lists the vault's names to check mounted external secrets.
 */
export function terraformUsesVaultDataPlane(kv: KeyVaultConfig, workloads: readonly WorkloadConfig[]): boolean {
  return kv.secrets.some((s) => s.source === "managed") || mountedExternalObjects(kv, workloads).length > 0;
}

/**
 * The vault firewall in allowlist mode: the configured ranges plus the deployer's, from
 * `deployer_ip_ranges` (see deployerIpRanges).
 */
export function deployerAllowlist(kv: KeyVaultConfig, deployerRanges: string[], subnetIds: string[]): VaultNetwork {
  return VaultNetwork.allowlist({ ipRanges: Token.asList(Fn.concat([[...kv.allowedIpRanges], deployerRanges])), subnetIds });
}
