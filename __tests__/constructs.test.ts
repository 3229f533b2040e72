import { Testing, TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { AksCluster, AksClusterProps } from "../constructs/azure-aks";
import { SecretIdentity } from "../constructs/azure-identity";
import { SecretsVault, SecretsVaultProps, VaultNetwork } from "../constructs/azure-keyvault";
import { LogWorkspace } from "../constructs/azure-monitoring";
import { MountIdentity, renderObjectsParameter, SecretMountedApp, SecretMountedAppProps, SecretProviderClass } from "../constructs/kubernetes";

function azureStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  return stack;
}

function kubernetesStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  new KubernetesProvider(stack, "kubernetes", {});
  return stack;
}

const VAULT: SecretsVaultProps = {
  name: "kv-test-123",
  location: "westeurope",
  resourceGroupName: "rg",
  tenantId: "tenant",
  logWorkspaceId: "law",
  deployerPrincipalId: "deployer",
  network: VaultNetwork.public(),
};

const CLUSTER: AksClusterProps = {
  name: "aks",
  dnsPrefix: "aks",
  location: "westeurope",
  resourceGroupName: "rg",
  tenantId: "tenant",
  subnetId: "subnet",
  logWorkspaceId: "law",
  deployerPrincipalId: "deployer",
  systemNodePool: { name: "system", vmSize: "Standard_D2ds_v5", nodeCount: 1 },
};

const APP: SecretMountedAppProps = {
  name: "app",
  namespace: "app",
  serviceAccountName: "app",
  identity: MountIdentity.addon("client-id"),
  keyVaultName: "kv",
  tenantId: "tenant",
  objects: [{ objectName: "a", objectType: "secret" }],
  image: "busybox@sha256:" + "0".repeat(64),
};

describe("SecretsVault", () => {
  test("fails when the vault name breaks the Key Vault rules", () => {
    expect(() => new SecretsVault(azureStack(), "v", { ...VAULT, name: "kv--bad" })).toThrow(
      'SecretsVault name "kv--bad" is invalid: must be 3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, without "--"',
    );
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
    const grants = Object.values(JSON.parse(Testing.synth(stack)).resource.azurerm_role_assignment) as any[];
    expect(grants.filter((g) => g.principal_id === "principal")).toHaveLength(1);
  });

  test("returns the Terraform variable a managed secret reads", () => {
    const vault = new SecretsVault(azureStack(), "v", VAULT);
    expect(vault.addManagedSecret("tls-key", { contentType: "application/x-pem-file" })).toBe("secret_tls_key");
  });
});

describe("AksCluster", () => {
  test("fails when autoscaling minCount is above maxCount", () => {
    expect(() => new AksCluster(azureStack(), "c", {
      ...CLUSTER, systemNodePool: { ...CLUSTER.systemNodePool, autoscaling: { minCount: 3, maxCount: 2 } },
    })).toThrow("AksCluster node pool system: autoscaling minCount must be <= maxCount");
  });

  test("fails when the rotation interval is not a duration", () => {
    expect(() => new AksCluster(azureStack(), "c", { ...CLUSTER, secretRotationInterval: "two minutes" })).toThrow(
      'AksCluster secretRotationInterval must be a duration such as "2m", "30s" or "1h30m", got "two minutes"',
    );
  });

  test("fails when a private cluster also gets authorized IP ranges", () => {
    expect(() => new AksCluster(azureStack(), "c", { ...CLUSTER, privateCluster: true, apiServerAuthorizedIpRanges: ["203.0.113.0/24"] })).toThrow(
      "AksCluster apiServerAuthorizedIpRanges cannot be combined with privateCluster",
    );
  });

  test("lets workloads share the system pool when there is no user pool", () => {
    const stack = azureStack();
    new AksCluster(stack, "c", CLUSTER);
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties({ tfResourceType: "azurerm_kubernetes_cluster" } as any, {
      default_node_pool: expect.objectContaining({ only_critical_addons_enabled: false, auto_scaling_enabled: false, node_count: 1 }),
    });
    expect(JSON.parse(synthesized).resource).not.toHaveProperty("azurerm_kubernetes_cluster_node_pool");
  });
});

describe("LogWorkspace", () => {
  test("fails when retention is outside 30-730 days", () => {
    expect(() => new LogWorkspace(azureStack(), "l", { name: "l", location: "westeurope", resourceGroupName: "rg", retentionInDays: 7 })).toThrow(
      "LogWorkspace retentionInDays must be 30-730, got 7",
    );
  });
});

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

describe("SecretMountedApp", () => {
  test.each([["name", "App"], ["namespace", "ns_1"], ["serviceAccountName", "-sa"]])("fails when %s is %s", (prop, value) => {
    expect(() => new SecretMountedApp(kubernetesStack(), "a", { ...APP, [prop]: value })).toThrow(
      `SecretMountedApp ${prop} ${JSON.stringify(value)} is invalid: must be a DNS-1123 label`,
    );
  });

  test("fails when the mount path is relative", () => {
    expect(() => new SecretMountedApp(kubernetesStack(), "a", { ...APP, mountPath: "secrets" })).toThrow('SecretMountedApp mountPath "secrets" is invalid');
  });

  test("runs the image's entrypoint unless a command is given", () => {
    const containerOf = (props: Partial<SecretMountedAppProps>) => {
      const stack = kubernetesStack();
      new SecretMountedApp(stack, "a", { ...APP, ...props });
      return (Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_deployment_v1) as any[])[0].spec.template.spec.container[0];
    };
    expect(containerOf({})).not.toHaveProperty("command");
    expect(containerOf({ command: ["/app/server"] }).command).toEqual(["/app/server"]);
  });

  test("checks the container with the given probe, or by default that the mount is not empty", () => {
    const probesOf = (props: Partial<SecretMountedAppProps>) => {
      const stack = kubernetesStack();
      new SecretMountedApp(stack, "a", { ...APP, ...props });
      const [c] = (Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_deployment_v1) as any[])[0].spec.template.spec.container;
      return [c.liveness_probe, c.readiness_probe];
    };
    expect(probesOf({})).toEqual([
      { exec: { command: ["sh", "-c", 'test -n "$(ls -A /mnt/secrets-store)"'] }, period_seconds: 30 },
      { exec: { command: ["sh", "-c", 'test -n "$(ls -A /mnt/secrets-store)"'] }, period_seconds: 10 },
    ]);
    expect(probesOf({ probe: { httpGet: { path: "/healthz", port: 8080 } } })[1]).toEqual({ http_get: { path: "/healthz", port: "8080" }, period_seconds: 10 });
    expect(probesOf({ probe: { tcpSocket: { port: 5432 } } })[0]).toEqual({ tcp_socket: [{ port: "5432" }], period_seconds: 30 });
  });
});
