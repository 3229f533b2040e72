import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { AppConfig } from "../config/types";
import { SecretsVault, VaultNetwork } from "../constructs/azure-keyvault";
import { StackState } from "../constructs/terraform";
import { deployerAllowlist, deployerIpRanges, terraformUsesVaultDataPlane } from "./cluster-parts";
import { relaxVaultForLab } from "./lab-profile";
import { AppStack } from "./app-stack";
import { azureFoundation } from "./azure-foundation";
import { auditVault, declareSecrets, vaultSettings, warnOnRequestBudget } from "./vault-parts";

/** What a fleet's cluster stacks read from the vault stack through remote state. */
export const VAULT_OUTPUTS = {
  keyVaultName: "key_vault_name",
  keyVaultUri: "key_vault_uri",
  keyVaultId: "key_vault_id",
  tenantId: "tenant_id",
} as const;

export interface VaultStackProps {
  readonly config: AppConfig;
  readonly state: StackState;
}

/**
 * A fleet's shared vault: its resource group, the vault with its secrets, and the audit logs.
 * It knows nothing of the clusters: each cluster's stack reaches the vault through its own
 * private endpoint and holds its own grants, so adding or removing a cluster leaves this stack
 * unchanged. The firewall admits only the deployer's ranges (Terraform writes the secrets).
 */
export class VaultStack extends AppStack {
  readonly vault: SecretsVault;

  constructor(scope: Construct, id: string, props: VaultStackProps) {
    super(scope, id, { state: props.state });
    const { config } = props;
    const { deployer, common, logs } = azureFoundation(this, config);
    const kv = config.keyVault;
    const workloads = (config.clusters ?? []).flatMap((c) => c.workloads);
    // The parser refuses "private" for a fleet: this stack has no network to write from.
    const network = kv.networkAccess === "allowlist"
      ? deployerAllowlist(kv, deployerIpRanges(this, { vault: terraformUsesVaultDataPlane(kv, workloads), apiServer: false }), [])
      : VaultNetwork.public();
    this.vault = new SecretsVault(this, "key-vault", {
      ...common,
      ...vaultSettings(config, deployer, logs.id),
      network,
    });
    declareSecrets(this.vault, config);
    auditVault(this, config, logs, common);
    warnOnRequestBudget(this.vault, config);
    if (config.profile === "lab") relaxVaultForLab(this.vault);

    new TerraformOutput(this, VAULT_OUTPUTS.keyVaultName, { value: this.vault.vaultName, description: "Key Vault name (SPC keyvaultName)." });
    new TerraformOutput(this, VAULT_OUTPUTS.keyVaultUri, { value: this.vault.vaultUri, description: "Key Vault URI." });
    new TerraformOutput(this, VAULT_OUTPUTS.keyVaultId, { value: this.vault.vaultId, description: "Key Vault resource id." });
    new TerraformOutput(this, VAULT_OUTPUTS.tenantId, { value: deployer.tenantId, description: "Entra tenant id (SPC tenantID)." });
  }
}
