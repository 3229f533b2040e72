import { RULES } from "../../config/naming-rules";
import { describeWithTerraform, terraform, terraformDir } from "../helpers/terraform";
import { LONGEST_PREFIX, SUBSCRIPTION_REF, vaultName } from "../helpers/vault-name";

describeWithTerraform("default vault name, evaluated by terraform", () => {
  /** The synthesized name expression with the subscription id filled in, as `terraform console` computes it. */
  function evaluate(subscription: string): string {
    const name = vaultName((raw) => (raw.namePrefix = LONGEST_PREFIX)).replace(SUBSCRIPTION_REF.slice(2, -1), JSON.stringify(subscription));
    const run = terraform(terraformDir({ "main.tf.json": JSON.stringify({ locals: { name } }) }), ["console"], {}, "local.name\n");
    expect(run.status).toBe(0);
    return JSON.parse(run.stdout.trim());
  }

  test("is a valid 24-character name, stable per subscription and different across subscriptions", () => {
    const first = evaluate("00000000-0000-0000-0000-000000000001");
    expect(first).toMatch(RULES.keyVaultName.pattern);
    expect(first).toHaveLength(24);
    expect(evaluate("00000000-0000-0000-0000-000000000001")).toBe(first);
    expect(evaluate("00000000-0000-0000-0000-000000000002")).not.toBe(first);
  });
});
