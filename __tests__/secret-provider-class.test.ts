import { MountIdentity, renderObjectsParameter, SecretProviderClass } from "../constructs/kubernetes";
import { kubernetesStack, synthesized } from "./helpers/stacks";
import { configFrom, resourcesOf, synthApp } from "./helpers/synth";

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

  test("passes an Azure Stack Hub cloud's environment file to the provider as a string parameter", () => {
    const stack = kubernetesStack();
    new SecretProviderClass(stack, "s", {
      ...base, objects: [{ objectName: "a", objectType: "secret" }],
      cloudName: "AzureStackCloud", cloudEnvFileName: "/etc/kubernetes/azurestackcloud.json",
    });
    const [resource] = synthesized(stack, "kubernetes_manifest");
    expect(resource.manifest.spec.parameters).toEqual(expect.objectContaining({
      cloudName: "AzureStackCloud", cloudEnvFileName: "/etc/kubernetes/azurestackcloud.json",
    }));
    expect(Object.values(resource.manifest.spec.parameters).every((v) => typeof v === "string")).toBe(true);
  });

  test.each([
    [{ cloudName: "AzureStackCloud" }, 'SecretProviderClass spc: cloudEnvFileName is required with cloudName "AzureStackCloud"'],
    [{ cloudEnvFileName: "/etc/env.json" }, 'SecretProviderClass spc: cloudEnvFileName is only allowed with cloudName "AzureStackCloud", got no cloudName'],
    [{ cloudName: "AzureChinaCloud", cloudEnvFileName: "/etc/env.json" },
      'SecretProviderClass spc: cloudEnvFileName is only allowed with cloudName "AzureStackCloud", got "AzureChinaCloud"'],
    [{ cloudName: "AzureStackCloud", cloudEnvFileName: "env.json" }, 'SecretProviderClass spc: cloudEnvFileName "env.json" is invalid: must be an absolute path'],
  ])("fails when the cloud and its environment file do not match (%j)", (cloud, message) => {
    expect(() => new SecretProviderClass(kubernetesStack(), "s", { ...base, objects: [{ objectName: "a", objectType: "secret" }], ...cloud }))
      .toThrow(message);
  });

  test("takes no cloud, no Kubernetes Secret and no dependencies unless given", () => {
    const stack = kubernetesStack();
    new SecretProviderClass(stack, "s", { ...base, objects: [{ objectName: "a", objectType: "secret" }] });
    const [resource] = synthesized(stack, "kubernetes_manifest");
    expect(resource.manifest.spec.parameters).not.toHaveProperty("cloudName");
    expect(resource.manifest.spec.parameters).not.toHaveProperty("cloudEnvFileName");
    expect(resource.manifest.spec).not.toHaveProperty("secretObjects");
    expect(resource).not.toHaveProperty("depends_on");
  });

  test("lands in the workload's namespace when the workload is named differently (checkout in shop)", () => {
    const workload = synthApp(configFrom((raw) => {
      raw.workloads = [{ name: "checkout", namespace: "shop", objects: [{ objectName: "db-password" }] }];
    })).stackJson("workload");
    const [spc] = resourcesOf(workload, "kubernetes_manifest").filter((m) => m.manifest.kind === "SecretProviderClass");
    expect(spc.manifest.metadata).toEqual({ name: "checkout-secrets", namespace: "shop" });
    const [deployment] = resourcesOf(workload, "kubernetes_deployment_v1");
    expect(deployment.metadata).toEqual(expect.objectContaining({ name: "checkout", namespace: "shop" }));
    expect(resourcesOf(workload, "kubernetes_namespace_v1").map((n) => n.metadata.name)).toEqual(["shop"]);
  });
});
