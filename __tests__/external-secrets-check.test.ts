import * as path from "path";
import { App, DataResource, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import { missingSecretsCondition } from "../constructs/azure-keyvault";
import { configFrom, dataOf, resourcesOf, synthApp, synthesizeInto } from "./helpers/synth";
import { describeWithTerraform, terraform } from "./helpers/terraform";

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

/** A provider-free stand-in: terraform_data's planned input plays the data source's `names`, a variable the vault name. */
function standInApp(outdir: string): App {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "check");
  // State beside the configuration: cdktf's default path is absolute, inside the project.
  new LocalBackend(stack, { path: "terraform.tfstate" });
  const names = new TerraformVariable(stack, "names", { type: "list(string)" });
  const vault = new TerraformVariable(stack, "vault", { type: "string" });
  new DataResource(stack, "names_stand_in", {
    input: { names: names.listValue },
    lifecycle: { postcondition: [missingSecretsCondition(["payment-api-key", "Partner-Token", "db-password"], "self.input.names", vault.stringValue)] },
  });
  return app;
}

/** The stand-in's stack folder, synthesized as JSON or (repaired) HCL like the real stacks. */
function standIn(format: "json" | "hcl"): string {
  return path.join(synthesizeInto(standInApp, format), "stacks", "check");
}

describeWithTerraform.each(["json", "hcl"] as const)("external secrets check, evaluated by terraform (%s)", (format) => {
  const dir = standIn(format);
  // cdktf gives the stack a local backend, so a plain init (state in the temporary folder).
  beforeAll(() => expect(terraform(dir, ["init", "-input=false"]).status).toBe(0));

  const plan = (present: string[]) => terraform(dir, ["plan", "-input=false", "-lock=false", "-no-color"], {
    TF_VAR_names: JSON.stringify(present),
    TF_VAR_vault: "kv-shop-prod",
  });

  test("fails the plan naming every missing secret, the vault, and the command that creates each", () => {
    const run = plan(["db-password", "other"]);
    expect(run.status).not.toBe(0);
    const message = run.output.replace(/[│\s]+/g, " ");
    expect(message).toContain("Key Vault kv-shop-prod has no secret payment-api-key, Partner-Token");
    expect(message).toContain("az keyvault secret set --vault-name kv-shop-prod --name payment-api-key --file <file holding the value> ; " +
      "az keyvault secret set --vault-name kv-shop-prod --name Partner-Token --file <file holding the value>");
  });

  test("passes when every external secret exists, whatever its case", () => {
    const run = plan(["PAYMENT-API-KEY", "partner-token", "db-password"]);
    expect(run.output).not.toContain("Error");
    expect(run.status).toBe(0);
  });
});
