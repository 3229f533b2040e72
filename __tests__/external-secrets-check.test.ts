import { configFrom, dataOf, resourcesOf, synthApp } from "./helpers/synth";

// The check evaluated by terraform: terraform/external-secrets-check.test.ts (npm run test:terraform).

const EXTERNAL = (raw: any) => {
  raw.keyVault.secrets[1].source = "external";
  delete raw.keyVault.secrets[1].expirationDate;
};

describe("external secrets check in the workload stack", () => {
  test("reads only the vault's secret names and fails the plan of each Deployment that mounts a missing external secret", () => {
    const workload = synthApp(configFrom((raw) => {
      EXTERNAL(raw);
      raw.workloads.push({ name: "billing", namespace: "billing", objects: [{ objectName: "DB-PASSWORD" }] });
      raw.workloads.push({ name: "ledger", namespace: "billing", objects: [{ objectName: "API-KEY" }] });
    })).stackJson("workload");
    const [names] = dataOf(workload, "azurerm_key_vault_secrets");
    expect(names.key_vault_id).toBe("${data.terraform_remote_state.platform.outputs.key_vault_id}");
    expect(dataOf(workload, "azurerm_key_vault_secret")).toEqual([]);
    const lifecycle = (name: string) => resourcesOf(workload, "kubernetes_deployment_v1").find((d) => d.metadata.name === name).lifecycle;
    for (const [deployment, secret] of [["demo", "api-key"], ["ledger", "API-KEY"]]) {
      const [precondition] = lifecycle(deployment).precondition;
      expect(precondition.condition).toContain(`[${JSON.stringify(secret)}]`);
      expect(precondition.condition).toContain("data.azurerm_key_vault_secrets.external_secrets_names.names");
    }
    expect(lifecycle("billing")).toBeUndefined();
  });

  test("adds no check when no workload mounts an external secret", () => {
    const workload = synthApp(configFrom((raw) => {
      EXTERNAL(raw);
      raw.workloads[0].objects = [{ objectName: "db-password" }];
    })).stackJson("workload");
    expect(dataOf(workload, "azurerm_key_vault_secrets")).toEqual([]);
  });

  test("adds no check when every secret is managed", () => {
    expect(dataOf(synthApp().stackJson("workload"), "azurerm_key_vault_secrets")).toEqual([]);
  });
});
