import { Fn } from "cdktf";
import { RULES } from "../../config/naming-rules";

/** Hex characters of the plan-time suffix: 16^8 names per prefix make a collision between subscriptions unlikely. */
export const VAULT_NAME_SUFFIX_LENGTH = 8;

/**
 * A Key Vault name that is unique per subscription and stable for it: `prefix` followed by the
 * first hex characters of sha256 of the `seed` parts joined by "/", computed by Terraform at
 * plan time (e.g. from the subscription id and the resource group). Vault names are
 * global, and purge protection keeps a deleted name taken for up to 90 days, so a name derived
 * only from the config would collide for everyone who keeps the defaults.
 *
 * Length and characters are guaranteed here, at synth: every suffix is hex, so the name is valid
 * for every subscription exactly when `prefix` followed by any hex string of the suffix length is.
 */
export function uniqueVaultName(prefix: string, seed: readonly string[]): string {
  const longestPossible = `${prefix}${"0".repeat(VAULT_NAME_SUFFIX_LENGTH)}`;
  if (!RULES.keyVaultName.pattern.test(longestPossible)) {
    throw new Error(`uniqueVaultName prefix ${JSON.stringify(prefix)} cannot form a valid vault name with a ` +
      `${VAULT_NAME_SUFFIX_LENGTH}-character hex suffix: the name must be ${RULES.keyVaultName.allowed}`);
  }
  return `${prefix}${Fn.substr(Fn.sha256(Fn.join("/", [...seed])), 0, VAULT_NAME_SUFFIX_LENGTH)}`;
}
