import * as path from "path";
import { App, DataResource, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import { missingSecretsCondition } from "../../constructs/azure-keyvault";
import { synthesizeInto } from "../helpers/synth";
import { describeWithTerraform, terraform } from "../helpers/terraform";

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
