import { MountIdentity, renderObjectsParameter, SecretProviderClass } from "../constructs/kubernetes";
import { kubernetesStack } from "./helpers/stacks";

describe("SecretProviderClass", () => {
  const base = { name: "spc", namespace: "ns", keyVaultName: "kv", tenantId: "t", identity: MountIdentity.addon("c") };

  test("fails when two objects land on the same file", () => {
    expect(() => new SecretProviderClass(kubernetesStack(), "s", {
      ...base, objects: [{ objectName: "a", objectType: "secret" }, { objectName: "b", objectType: "secret", objectAlias: "a" }],
    })).toThrow('SecretProviderClass spc: two objects land on file "a"');
  });

  test("fails when there is nothing to mount", () => {
    expect(() => new SecretProviderClass(kubernetesStack(), "s", { ...base, objects: [] })).toThrow("SecretProviderClass spc: objects must not be empty");
  });

  test("quotes every object field so no value can break the YAML", () => {
    expect(renderObjectsParameter([{ objectName: "a", objectType: "secret", objectAlias: "x: y" }])).toBe(
      'array:\n  - |\n    objectName: "a"\n    objectType: "secret"\n    objectAlias: "x: y"\n',
    );
  });
});
