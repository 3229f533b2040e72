import { Testing } from "cdktf";
import { buildApp } from "../../stacks/build-app";
import { configFrom, resourcesOf } from "./synth";

/** What the default vault name reads the subscription from. */
export const SUBSCRIPTION_REF = "${data.azurerm_client_config.deployer.subscription_id}";

/** The longest namePrefix the config accepts. */
export const LONGEST_PREFIX = "abcdefghijkl";

/** The vault name the platform stack synthesizes for the default config changed by `mutate`. */
export function vaultName(mutate?: (raw: any) => void): string {
  const json = JSON.parse(Testing.synth(buildApp(configFrom(mutate)).platform));
  return resourcesOf(json, "azurerm_key_vault")[0].name;
}
