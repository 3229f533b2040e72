import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { DataAzurermKeyVaultSecrets } from "@cdktf/provider-azurerm/lib/data-azurerm-key-vault-secrets";

export interface ExternalSecretsCheckProps {
  readonly keyVaultId: string;
  /** For the message and the command it suggests. */
  readonly keyVaultName: string;
}

/**
 * Terraform's condition and message for "every name in `wanted` is among `namesExpression`"
 * (an expression yielding the vault's secret names). Key Vault names are case-insensitive, so
 * the comparison is too. The message lists every missing name and the command that creates it;
 * it holds no literal double quote, which cdktf 0.21's HCL renderer would not escape.
 */
export function missingSecretsCondition(wanted: readonly string[], namesExpression: string, keyVaultName: string): PlanCondition {
  const present = `[for m in ${namesExpression} : lower(m)]`;
  const missing = `[for n in ${JSON.stringify(wanted)} : n if !contains(${present}, lower(n))]`;
  // keyVaultName is a reference token: cdktf writes it as ${...} in text and bare inside an expression.
  return {
    condition: `\${length(${missing}) == 0}`,
    errorMessage: `Key Vault ${keyVaultName} has no secret \${join(", ", ${missing})}, which the workloads mount as external secrets, ` +
      "so their pods could not start. Create each, then plan again: " +
      `\${join(" ; ", [for n in ${missing} : format("az keyvault secret set --vault-name %s --name %s --file <file holding the value>", ${keyVaultName}, n)])}`,
  };
}

/** A plan-time condition and the message Terraform prints when it fails. */
export interface PlanCondition {
  readonly condition: string;
  readonly errorMessage: string;
}

/**
 * Fails the plan when an external secret does not exist yet, instead of letting the apply wait
 * out the Deployment rollout (10 minutes) with pods stuck on the CSI mount. It reads only the
 * vault's secret names (azurerm_key_vault_secrets lists names and ids, never values), so no
 * value enters state or plan. The condition is a precondition of what mounts the secrets, so the
 * data source is referenced by them (and linters see it used) and they wait for it.
 */
export class ExternalSecretsCheck extends Construct {
  private readonly names: DataAzurermKeyVaultSecrets;
  private readonly keyVaultName: string;

  constructor(scope: Construct, id: string, props: ExternalSecretsCheckProps) {
    super(scope, id);
    this.names = new DataAzurermKeyVaultSecrets(this, "names", { keyVaultId: props.keyVaultId });
    this.keyVaultName = props.keyVaultName;
  }

  /** A precondition that fails the plan naming each of `secretNames` that the vault does not hold. */
  requireSecrets(secretNames: readonly string[]): PlanCondition {
    // The address is only final once the stack allocates logical ids, hence lazy.
    const names = Lazy.stringValue({ produce: () => `data.${this.names.terraformResourceType}.${this.names.friendlyUniqueId}.names` });
    return missingSecretsCondition(secretNames, names, this.keyVaultName);
  }
}
