import * as fs from "fs";
import * as path from "path";
import { App, DataResource, LocalBackend, TerraformStack, Testing } from "cdktf";
import { SecretVariable } from "../constructs/terraform";
import { synthesizeInto } from "./helpers/synth";
import { tempDir } from "./helpers/temp";
import { describeWithTerraform, terraform } from "./helpers/terraform";

/** A stack whose consumer stands in for azurerm_key_vault_secret: replaced with its version, guarded like it. */
function secretStack(app: App, valueVersion: number): TerraformStack {
  const stack = new TerraformStack(app, "secret");
  // State beside the configuration: cdktf's default path is absolute, inside the project.
  new LocalBackend(stack, { path: "terraform.tfstate" });
  const value = new SecretVariable(stack, "value", { name: "secret_db_password", description: "test", valueVersion, subject: "Key Vault secret db-password" });
  new DataResource(stack, "secret_stand_in", {
    triggersReplace: { value_wo_version: value.valueVersion },
    lifecycle: { precondition: [value.writeGuard] },
  });
  return stack;
}

describe("SecretVariable", () => {
  const json = JSON.parse(Testing.synth(secretStack(Testing.app({ outdir: tempDir() }), 1)));

  test("declares an optional, sensitive, ephemeral variable", () => {
    expect(json.variable.secret_db_password).toEqual(expect.objectContaining({ type: "string", sensitive: true, ephemeral: true, default: null }));
  });

  test("marks each write with a terraform_data replaced on every version and keeping its first input", () => {
    const markers = Object.values(json.resource.terraform_data).filter((r: any) => r.input);
    expect(markers).toEqual([expect.objectContaining({
      input: { written_at: "${plantimestamp()}" },
      triggers_replace: { value_version: 1 },
      lifecycle: { ignore_changes: ["input"] },
    })]);
  });
});

/**
 * The guard, run by terraform on the provider-free stand-in through a whole lifecycle: first
 * apply, plans without the value, a version bump, destroy. State stays in one folder while the
 * stack's output (JSON or repaired HCL) is rewritten in place.
 */
describeWithTerraform.each(["json", "hcl"] as const)("optional secret values, evaluated by terraform (%s)", (format) => {
  const dir = tempDir("secret-");
  const write = (valueVersion: number) => {
    const outdir = synthesizeInto((d) => {
      const app = new App({ outdir: d });
      secretStack(app, valueVersion);
      return app;
    }, format);
    const stackDir = path.join(outdir, "stacks", "secret");
    for (const file of fs.readdirSync(stackDir).filter((f) => f.startsWith("cdk.tf"))) fs.copyFileSync(path.join(stackDir, file), path.join(dir, file));
  };
  const value = { TF_VAR_secret_db_password: "s3cret" };
  const run = (args: string[], env: Record<string, string> = {}) => terraform(dir, [...args, "-input=false", "-no-color"], env);
  const flat = (text: string) => text.replace(/[│\s]+/g, " ");
  /** plantimestamp() has one-second resolution; a real plan after an apply is always later than that. */
  const nextSecond = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1100);
  const stateFiles = () => fs.readdirSync(dir).filter((f) => f.endsWith(".tfstate"));

  beforeAll(() => {
    write(1);
    expect(run(["init"]).status).toBe(0);
  });

  test("the first plan without the value fails, naming the variable and the secret", () => {
    const plan = run(["plan"]);
    expect(plan.status).not.toBe(0);
    expect(flat(plan.output)).toContain("Set TF_VAR_secret_db_password: this apply writes Key Vault secret db-password (it is new, or its valueVersion changed to 1)");
  });

  test("the first apply with the value succeeds", () => {
    const apply = run(["apply", "-auto-approve"], value);
    expect(apply.output).toContain("Apply complete!");
    expect(stateFiles()).not.toEqual([]);
    for (const file of stateFiles()) expect(fs.readFileSync(path.join(dir, file), "utf8")).not.toContain("s3cret");
    nextSecond();
  });

  test("a later plan without the value succeeds and changes nothing", () => {
    const plan = run(["plan", "-detailed-exitcode"]);
    expect(plan.output).not.toContain("Error");
    expect(plan.status).toBe(0);
  });

  test("a version bump without the value fails the plan; with it, it applies", () => {
    write(2);
    const plan = run(["plan"]);
    expect(plan.status).not.toBe(0);
    expect(flat(plan.output)).toContain("its valueVersion changed to 2");
    expect(run(["apply", "-auto-approve"], value).output).toContain("Apply complete!");
    nextSecond();
    expect(run(["plan", "-detailed-exitcode"]).status).toBe(0);
  });

  test("destroy needs no value", () => {
    const destroy = run(["destroy", "-auto-approve"]);
    expect(destroy.output).toContain("Destroy complete!");
  });
});
