import * as fs from "fs";
import * as path from "path";
import { stackNamesOf } from "../../config/stack-names";
import { classifyInit } from "../../scripts/validate";
import { EDGE_CONFIGS, parseGenerated } from "../helpers/edge-configs";
import { synthOutput } from "../helpers/synth";
import { tempDir } from "../helpers/temp";
import { describeWithTerraform, terraform, terraformDir } from "../helpers/terraform";

/**
 * Terraform's side of the name round trip (name-round-trip.test.ts): every stack of each config
 * at the edges of the naming rules loads in Terraform. Loading needs no provider: `terraform init`
 * reads (and refuses) the configuration before it looks for one, so with an empty provider mirror
 * it stops only at "Failed to query available provider packages". With a provider mirror
 * (TF_CLI_CONFIG_FILE), `terraform validate` runs too; without one that test says SKIPPED.
 */
describe.each(EDGE_CONFIGS)("names at the edges of every rule, %s", (_label, raw) => {
  const config = parseGenerated(raw);
  const outputs = { json: "", hcl: "" } as Record<"json" | "hcl", string>;
  beforeAll(() => {
    outputs.json = synthOutput(config, "json");
    outputs.hcl = synthOutput(config, "hcl");
  });

  describeWithTerraform("with the terraform binary", () => {
    test.each(["json", "hcl"] as const)("terraform loads every stack's configuration (%s), stopping only for lack of providers", (format) => {
      const cli = emptyMirrorCliConfig();
      for (const stack of stackNamesOf(config)) {
        const init = terraform(path.join(outputs[format], "stacks", stack), ["init", "-backend=false", "-input=false", "-no-color"], { TF_CLI_CONFIG_FILE: cli });
        expect({ stack, outcome: classifyInit(init.status, init.output), output: init.output })
          .toEqual({ stack, outcome: "providers-unavailable", output: expect.not.stringMatching(/Invalid (resource|data source|variable|output|local value) name/) });
      }
    });

    const validateName = providerMirror()
      ? `terraform validate passes every stack (json; providers from ${providerMirror()})`
      : "SKIPPED: terraform validate of every stack needs a provider mirror named by TF_CLI_CONFIG_FILE (e.g. /root/tf-mirror.tfrc)";
    (providerMirror() ? test : test.skip)(validateName, () => {
      const env = { TF_CLI_CONFIG_FILE: providerMirror()!, TF_PLUGIN_CACHE_DIR: pluginCache() };
      for (const stack of stackNamesOf(config)) {
        const dir = path.join(outputs.json, "stacks", stack);
        const init = terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"], env);
        expect({ stack, init: init.status, output: init.status === 0 ? "" : init.output }).toEqual({ stack, init: 0, output: "" });
        const validate = terraform(dir, ["validate", "-no-color"], env);
        expect({ stack, validate: validate.status, output: validate.status === 0 ? "" : validate.output }).toEqual({ stack, validate: 0, output: "" });
      }
    });
  });
});

describeWithTerraform("the round trip can fail", () => {
  test("terraform refuses a name that starts with a digit while loading, before any provider", () => {
    const dir = terraformDir({
      "main.tf.json": JSON.stringify({ resource: { terraform_data: { "1password": { input: 1 } } } }),
    });
    const init = terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"], { TF_CLI_CONFIG_FILE: emptyMirrorCliConfig() });
    expect(classifyInit(init.status, init.output)).toBe("invalid");
    expect(init.output).toContain("Invalid resource name");
  });
});

/** A Terraform CLI configuration whose only provider source is an empty folder: init fails at once, offline, after loading the configuration. */
function emptyMirrorCliConfig(): string {
  const dir = tempDir("empty-mirror-");
  const rc = path.join(dir, "terraformrc");
  fs.mkdirSync(path.join(dir, "mirror"));
  fs.writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path    = "${path.join(dir, "mirror")}"\n    include = ["*/*/*"]\n  }\n}\n`);
  return rc;
}

/** The CLI configuration of a provider mirror, when TF_CLI_CONFIG_FILE names one (e.g. /root/tf-mirror.tfrc). */
function providerMirror(): string | undefined {
  const rc = process.env.TF_CLI_CONFIG_FILE;
  return rc && fs.existsSync(rc) && /provider_installation/.test(fs.readFileSync(rc, "utf8")) ? rc : undefined;
}

/** One plugin cache for every stack, so Terraform links the providers instead of copying them per stack. */
let cache: string | undefined;
function pluginCache(): string {
  cache ??= tempDir("tf-plugin-cache-");
  return cache;
}
