import { uniqueVaultName, VAULT_NAME_SUFFIX_LENGTH } from "../constructs/azure-keyvault";
import { RULES } from "../config/naming-rules";
import { LONGEST_PREFIX, SUBSCRIPTION_REF, vaultName } from "./helpers/vault-name";

// The name as terraform computes it: terraform/vault-name.test.ts (npm run test:terraform).

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
