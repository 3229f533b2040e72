import { App, DataResource, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { SecretVariable, writeMarkersSettle } from "../../constructs/terraform";

/**
 * A stack whose consumer stands in for azurerm_key_vault_secret: created once, updated in place
 * when its write-only version changes, with a computed id unknown until it is created. It
 * waits for `gate`, which stands in for what a first apply can fail on before the secret is
 * written (the RBAC propagation, the firewall, the private endpoint): `fail_before_write = "fail"`
 * makes the gate fail at apply time, after the plan passed. (A string: cdktf 0.21's HCL renderer
 * drops a variable's `default = false`.)
 */
export function secretStack(app: App, valueVersion: number, options: { settle?: boolean } = {}): TerraformStack {
  const stack = new TerraformStack(app, "secret");
  // State beside the configuration: cdktf's default path is absolute, inside the project.
  new LocalBackend(stack, { path: "terraform.tfstate" });
  const fail = new TerraformVariable(stack, "fail_before_write", { type: "string", default: "no", description: "test: the gate fails at apply" });
  const gate = new DataResource(stack, "gate", {
    input: { fail: fail.stringValue },
    lifecycle: { postcondition: [{ condition: "${self.output.fail != \"fail\"}", errorMessage: "the write failed before the secret (stand-in for a 403)" }] },
  });
  const value = new SecretVariable(stack, "value", { name: "secret_db_password", description: "test", valueVersion, subject: "Key Vault secret db-password" });
  const consumer = new DataResource(stack, "secret_stand_in", { input: { value_wo_version: value.valueVersion }, dependsOn: [gate] });
  const marker = value.recordWrites(consumer, { version: "input.value_wo_version", identity: "id" });
  if (options.settle) {
    new TimeProvider(stack, "time", {});
    writeMarkersSettle(stack, "write-markers-settle", () => [marker]);
  }
  return stack;
}
