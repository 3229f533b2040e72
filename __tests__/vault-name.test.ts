import { Testing } from "cdktf";
import { uniqueVaultName, VAULT_NAME_SUFFIX_LENGTH } from "../constructs/azure-keyvault";
import { RULES } from "../config/naming-rules";
import { buildApp } from "../stacks/build-app";
import { configFrom, resourcesOf } from "./helpers/synth";
import { describeWithTerraform, terraform, terraformDir } from "./helpers/terraform";

const SUBSCRIPTION_REF = "${data.azurerm_client_config.deployer.subscription_id}";

function vaultName(mutate?: (raw: any) => void): string {
  const json = JSON.parse(Testing.synth(buildApp(configFrom(mutate)).platform));
  return resourcesOf(json, "azurerm_key_vault")[0].name;
}

/** The longest namePrefix the config accepts. */
const LONGEST_PREFIX = "abcdefghijkl";

describe("default vault name", () => {
  test("is computed at plan time from the subscription and the resource group", () => {
    expect(vaultName()).toBe(`kv-kvcsi-\${substr(sha256(join("/", [${SUBSCRIPTION_REF.slice(2, -1)}, "rg-kvcsi"])), 0, 8)}`);
  });

  test("an explicit keyVault.name wins", () => {
    expect(vaultName((raw) => (raw.keyVault.name = "kv-mine-01"))).toBe("kv-mine-01");
  });

  test("holds the Key Vault rules for the longest prefix and any suffix, by construction", () => {
    expect(RULES.namePrefix.pattern.test(LONGEST_PREFIX)).toBe(true);
    expect(RULES.namePrefix.pattern.test(`${LONGEST_PREFIX}x`)).toBe(false);
    const name = vaultName((raw) => (raw.namePrefix = LONGEST_PREFIX));
    const staticPart = name.slice(0, name.indexOf("${"));
    expect(staticPart).toBe(`kv-${LONGEST_PREFIX}-`);
    for (const suffix of ["00000000", "ffffffff", "0a1b2c3d"]) {
      expect(`${staticPart}${suffix}`).toMatch(RULES.keyVaultName.pattern);
    }
    expect(staticPart.length + VAULT_NAME_SUFFIX_LENGTH).toBe(24);
  });

  test("fails at synth when the prefix cannot form a valid name", () => {
    expect(() => uniqueVaultName("kv-abcdefghijklm-", ["sub"])).toThrow(
      'uniqueVaultName prefix "kv-abcdefghijklm-" cannot form a valid vault name with a 8-character hex suffix',
    );
    expect(() => uniqueVaultName("kv--", ["sub"])).toThrow("cannot form a valid vault name");
  });
});

describeWithTerraform("default vault name, evaluated by terraform", () => {
  /** The synthesized name expression with the subscription id filled in, as `terraform console` computes it. */
  function evaluate(subscription: string): string {
    const name = vaultName((raw) => (raw.namePrefix = LONGEST_PREFIX)).replace(SUBSCRIPTION_REF.slice(2, -1), JSON.stringify(subscription));
    const run = terraform(terraformDir({ "main.tf.json": JSON.stringify({ locals: { name } }) }), ["console"], {}, "local.name\n");
    expect(run.status).toBe(0);
    return JSON.parse(run.stdout.trim());
  }

  test("is a valid 24-character name, stable per subscription and different across subscriptions", () => {
    const first = evaluate("00000000-0000-0000-0000-000000000001");
    expect(first).toMatch(RULES.keyVaultName.pattern);
    expect(first).toHaveLength(24);
    expect(evaluate("00000000-0000-0000-0000-000000000001")).toBe(first);
    expect(evaluate("00000000-0000-0000-0000-000000000002")).not.toBe(first);
  });
});
