import { DataResource, TerraformStack, Testing } from "cdktf";
import { SecretVariable } from "../constructs/terraform";
import { secretStack } from "./helpers/secret-stack";
import { tempDir } from "./helpers/temp";

// The guard run by terraform through a whole lifecycle: terraform/secret-variable.test.ts (npm run test:terraform).
describe("SecretVariable", () => {
  const json = JSON.parse(Testing.synth(secretStack(Testing.app({ outdir: tempDir() }), 1, { settle: true })));
  const markers = Object.entries<any>(json.resource.terraform_data).filter(([, r]) => r.input?.written_at);

  test("declares an optional, sensitive, ephemeral variable", () => {
    expect(json.variable.secret_db_password).toEqual(expect.objectContaining({ type: "string", sensitive: true, ephemeral: true, default: null }));
  });

  test("marks each write with a terraform_data that follows the consumer: replaced when it is created or its version changes, keeping its first input", () => {
    expect(markers).toHaveLength(1);
    expect(markers[0][1]).toEqual(expect.objectContaining({
      input: { written_at: "${plantimestamp()}" },
      triggers_replace: {
        value_version: "${terraform_data.secret_stand_in.input.value_wo_version}",
        written_to: "${terraform_data.secret_stand_in.id}",
      },
      lifecycle: expect.objectContaining({ ignore_changes: ["input"] }),
    }));
  });

  test("demands the value in a postcondition of the marker, never on the consumer, which the marker follows", () => {
    expect(markers[0][1].lifecycle.postcondition).toEqual([{
      condition: "${var.secret_db_password != null || self.input.written_at != plantimestamp()}",
      error_message: expect.stringContaining("Set TF_VAR_secret_db_password: this apply writes Key Vault secret db-password"),
    }]);
    expect(json.resource.terraform_data.secret_stand_in.lifecycle).toBeUndefined();
  });

  test("settles one second after any marker is (re)created", () => {
    expect(Object.values(json.resource.time_sleep)).toEqual([expect.objectContaining({
      create_duration: "1s",
      triggers: { value: `\${terraform_data.${markers[0][0]}.id}` },
    })]);
  });

  test("fails when a second consumer would share one variable's marker", () => {
    const stack = new TerraformStack(Testing.app({ outdir: tempDir() }), "twice");
    const value = new SecretVariable(stack, "value", { name: "secret_x", description: "test", valueVersion: 1, subject: "x" });
    const consumer = new DataResource(stack, "consumer", { input: { version: 1 } });
    value.recordWrites(consumer, { version: "input", identity: "id" });
    expect(() => value.recordWrites(consumer, { version: "input", identity: "id" })).toThrow("SecretVariable secret_x already records the writes of a consumer");
  });
});
