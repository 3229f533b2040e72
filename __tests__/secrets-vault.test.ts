import { Testing } from "cdktf";
import { SecretIdentity } from "../constructs/azure-identity";
import { SecretsVault, SecretsVaultProps, VaultNetwork } from "../constructs/azure-keyvault";
import { azureStack, synthesized } from "./helpers/stacks";
import { configFrom, resourcesOf, synthApp } from "./helpers/synth";
import { tempDir } from "./helpers/temp";

const VAULT: SecretsVaultProps = {
  name: "kv-test-123",
  location: "westeurope",
  resourceGroupName: "rg",
  tenantId: "tenant",
  logWorkspaceId: "law",
  deployerPrincipalId: "deployer",
  network: VaultNetwork.public(),
};

describe("SecretsVault", () => {
  test("fails when the vault name breaks the Key Vault rules", () => {
    expect(() => new SecretsVault(azureStack(), "v", { ...VAULT, name: "kv--bad" })).toThrow(
      'SecretsVault name "kv--bad" is invalid: must be 3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, without "--"',
    );
  });

  test("fails when rbacPropagationWait is not a duration", () => {
    expect(() => new SecretsVault(azureStack(), "v", { ...VAULT, rbacPropagationWait: "half a minute" })).toThrow(
      'SecretsVault rbacPropagationWait must be a duration such as "2m", "30s" or "1h30m", got "half a minute"',
    );
  });

  test("waits 30s after the deployer's grant by default, before any secret is written", () => {
    const stack = azureStack();
    new SecretsVault(stack, "v", VAULT).addManagedSecret("db", { contentType: "text/plain" });
    const [sleep] = synthesized(stack, "time_sleep");
    expect(sleep.create_duration).toBe("30s");
    expect(synthesized(stack, "azurerm_key_vault_secret")[0].depends_on).toEqual([expect.stringMatching(/^time_sleep\./)]);
  });

  test("takes its default wait from the constant that is also the config's default", () => {
    jest.isolateModules(() => {
      jest.doMock("../config/key-vault-defaults", () => ({ DEFAULT_RBAC_PROPAGATION_WAIT: "7s" }));
      const { ConfigSchema } = require("../config/schema");
      expect(ConfigSchema.properties.keyVault.properties.rbacPropagationWait.default).toBe("7s");
      const cdktf = require("cdktf");
      const { AzurermProvider } = require("@cdktf/provider-azurerm/lib/provider");
      const { SecretsVault: Vault } = require("../constructs/azure-keyvault");
      const stack = new cdktf.TerraformStack(cdktf.Testing.app({ outdir: tempDir() }), "test");
      new AzurermProvider(stack, "azurerm", { features: [{}] });
      new Vault(stack, "v", VAULT).addManagedSecret("db", { contentType: "text/plain" });
      const sleeps = Object.values<any>(JSON.parse(cdktf.Testing.synth(stack)).resource.time_sleep);
      // The deployer's grant wait, and the write markers' one-second settle (SecretVariable).
      expect(sleeps.map((s) => s.create_duration).sort()).toEqual(["1s", "7s"]);
    });
  });

  test.each([6, 91, 30.5])("fails when softDeleteRetentionDays is %s", (days) => {
    expect(() => new SecretsVault(azureStack(), "v", { ...VAULT, softDeleteRetentionDays: days })).toThrow(
      `SecretsVault softDeleteRetentionDays must be a whole number from 7 to 90, got ${days}`,
    );
  });

  test("fails when a secret is declared twice or grants read on an undeclared secret", () => {
    const vault = new SecretsVault(azureStack(), "v", VAULT);
    vault.addExternalSecret("db");
    expect(() => vault.addManagedSecret("DB", { contentType: "text/plain" })).toThrow('SecretsVault secret "DB" is declared twice');
    expect(() => vault.grantSecretRead(SecretIdentity.addon("p", "c"), [{ objectName: "other", objectType: "secret" }])).toThrow(
      'SecretsVault cannot grant read on secret "other": it is neither managed nor external',
    );
  });

  test("creates each grant once, however often it is asked for", () => {
    const stack = azureStack();
    const vault = new SecretsVault(stack, "v", VAULT);
    vault.addExternalSecret("db");
    const addon = SecretIdentity.addon("principal", "client");
    vault.grantSecretRead(addon, [{ objectName: "db", objectType: "secret" }]);
    vault.grantSecretRead(addon, [{ objectName: "db", objectType: "secret" }]);
    const grants = synthesized(stack, "azurerm_role_assignment");
    expect(grants.filter((g) => g.principal_id === "principal")).toHaveLength(1);
  });

  test("returns the managed secret it declares, and records each write of it in a marker that demands its variable", () => {
    const stack = azureStack();
    const secret = new SecretsVault(stack, "v", VAULT).addManagedSecret("db", { contentType: "text/plain" });
    expect(secret.terraformResourceType).toBe("azurerm_key_vault_secret");
    const address = `${secret.terraformResourceType}.${secret.friendlyUniqueId}`;
    const [marker] = synthesized(stack, "terraform_data");
    expect(marker.triggers_replace).toEqual({ value_version: `\${${address}.value_wo_version}`, written_to: `\${${address}.resource_versionless_id}` });
    expect(marker.lifecycle.postcondition).toEqual([expect.objectContaining({ condition: "${var.secret_db != null || self.input.written_at != plantimestamp()}" })]);
  });

  test("gives each identity its own grants, even when identity and object names concatenate alike", () => {
    const stack = azureStack();
    const vault = new SecretsVault(stack, "v", VAULT);
    for (const name of ["z", "y-secret-z"]) vault.addExternalSecret(name);
    const identity = (name: string) => SecretIdentity.workload(stack, `workload-identity-${name}`, {
      name: `id-${name}`, location: "westeurope", resourceGroupName: "rg", oidcIssuerUrl: "https://issuer", namespace: name, serviceAccountName: name,
    });
    // Both used to be the construct id read-workload-identity-x-secret-y-secret-z, and the second grant was the first one.
    const [first] = vault.grantSecretRead(identity("x-secret-y"), [{ objectName: "z", objectType: "secret" }]);
    const [second] = vault.grantSecretRead(identity("x"), [{ objectName: "y-secret-z", objectType: "secret" }]);
    expect(second).not.toBe(first);
    const readers = synthesized(stack, "azurerm_role_assignment").filter((g) => g.role_definition_name === "Key Vault Secrets User");
    expect(readers).toEqual(expect.arrayContaining([
      expect.objectContaining({ principal_id: expect.stringMatching(/\.workload-identity-x-secret-y_identity_\w+\.principal_id/), scope: expect.stringMatching(/\/secrets\/z$/) }),
      expect.objectContaining({ principal_id: expect.stringMatching(/\.workload-identity-x_identity_\w+\.principal_id/), scope: expect.stringMatching(/\/secrets\/y-secret-z$/) }),
    ]));
    expect(readers).toHaveLength(2);
  });

  test("fails when two identities share the key their grants are named by", () => {
    const vault = new SecretsVault(azureStack(), "v", VAULT);
    vault.addExternalSecret("db");
    vault.grantSecretRead(SecretIdentity.addon("principal-1", "client-1"), [{ objectName: "db", objectType: "secret" }]);
    expect(() => vault.grantSecretRead(SecretIdentity.addon("principal-2", "client-2"), [{ objectName: "db", objectType: "secret" }])).toThrow(
      'SecretReadGrants: two identities share the key "addon"; each identity needs its own key');
  });

  test("reads a managed secret's value from the variable secret_<name>, hyphens as underscores", () => {
    const stack = azureStack();
    new SecretsVault(stack, "v", VAULT).addManagedSecret("tls-key", { contentType: "application/x-pem-file" });
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.keys(json.variable)).toEqual(["secret_tls_key"]);
    expect(synthesized(stack, "azurerm_key_vault_secret")[0].value_wo).toBe('${var.secret_tls_key == null ? "" : var.secret_tls_key}');
  });
});

describe("SecretsVault minimal definition", () => {
  const stack = azureStack();
  const vault = new SecretsVault(stack, "v", VAULT);
  vault.addManagedSecret("db", { contentType: "text/plain" });
  vault.grantSecretRead(SecretIdentity.addon("principal", "client"), [{ objectName: "db", objectType: "secret" }]);
  const [kv] = synthesized(stack, "azurerm_key_vault");
  const [secret] = synthesized(stack, "azurerm_key_vault_secret");

  test("uses the standard SKU and the maximum soft-delete retention of 90 days", () => {
    expect(kv).toEqual(expect.objectContaining({ sku_name: "standard", soft_delete_retention_days: 90 }));
  });

  test("prevents destroying the vault and its managed secrets", () => {
    expect(kv.lifecycle).toEqual({ prevent_destroy: true });
    expect(secret.lifecycle).toEqual(expect.objectContaining({ prevent_destroy: true }));
  });

  test("grants read per secret, not on the whole vault", () => {
    const reads = synthesized(stack, "azurerm_role_assignment").filter((g) => g.principal_id === "principal");
    expect(reads).toEqual([expect.objectContaining({ role_definition_name: "Key Vault Secrets User" })]);
    expect(reads[0].scope).toMatch(/^\$\{azurerm_key_vault_secret\.[^.]+\.resource_versionless_id\}$/);
  });

  test("tags nothing, writes value version 1 and sets no expiration", () => {
    expect(kv).not.toHaveProperty("tags");
    expect(secret.value_wo_version).toBe(1);
    expect(secret).not.toHaveProperty("expiration_date");
  });
});

describe("SecretsVault rotation", () => {
  test("writes the secret's valueVersion as value_wo_version, so bumping it re-sends the value", () => {
    const stack = azureStack();
    new SecretsVault(stack, "v", VAULT).addManagedSecret("db", { contentType: "text/plain", valueVersion: 3 });
    expect(synthesized(stack, "azurerm_key_vault_secret")[0].value_wo_version).toBe(3);
  });

  test("carries keyVault.secrets[].valueVersion from the config to the platform stack", () => {
    const platform = synthApp(configFrom((raw) => (raw.keyVault.secrets[0].valueVersion = 3))).stackJson("platform");
    const versions = Object.fromEntries(resourcesOf(platform, "azurerm_key_vault_secret").map((s) => [s.name, s.value_wo_version]));
    expect(versions).toEqual({ "db-password": 3, "api-key": 1 });
  });
});

describe("SecretsVault.fromVaultId (a vault of another stack)", () => {
  const addon = SecretIdentity.addon("principal", "client");

  test("grants Secrets User per secret, scoped by path under the vault id, after a 30s wait by default", () => {
    const stack = azureStack();
    const vault = SecretsVault.fromVaultId(stack, "kv", { vaultId: "/vaults/kv", secretNames: ["db", "api"] });
    const grants = vault.grantSecretRead(addon, [{ objectName: "db", objectType: "secret" }]);
    expect(grants).toHaveLength(1);
    expect(synthesized(stack, "azurerm_role_assignment")).toEqual([expect.objectContaining({
      scope: "/vaults/kv/secrets/db", role_definition_name: "Key Vault Secrets User", principal_id: "principal",
    })]);
    expect(synthesized(stack, "time_sleep")[0].create_duration).toBe("30s");
    expect(vault.readerGrantsPropagated()).toHaveLength(1);
  });

  test("returns the existing grant on a repeat call instead of creating another", () => {
    const stack = azureStack();
    const vault = SecretsVault.fromVaultId(stack, "kv", { vaultId: "/vaults/kv", secretNames: ["db"] });
    const [first] = vault.grantSecretRead(addon, [{ objectName: "db", objectType: "secret" }]);
    expect(vault.grantSecretRead(addon, [{ objectName: "db", objectType: "secret" }])).toEqual([first]);
    expect(synthesized(stack, "azurerm_role_assignment")).toHaveLength(1);
  });

  test("fails when asked to grant a secret the vault does not hold", () => {
    const vault = SecretsVault.fromVaultId(azureStack(), "kv", { vaultId: "/vaults/kv", secretNames: ["db"] });
    expect(() => vault.grantSecretRead(addon, [{ objectName: "other", objectType: "secret" }])).toThrow(
      'SecretsVault cannot grant read on secret "other": it is neither managed nor external');
  });

  test("creates nothing and waits for nothing before any grant", () => {
    const stack = azureStack();
    const vault = SecretsVault.fromVaultId(stack, "kv", { vaultId: "/vaults/kv", secretNames: ["db"] });
    expect(vault.readerGrantsPropagated()).toEqual([]);
    expect(synthesized(stack, "azurerm_role_assignment")).toEqual([]);
  });
});
