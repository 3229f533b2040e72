import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { SHIPPED_CONFIGS } from "../helpers/shipped-configs";
import { synthOutput } from "../helpers/synth";
import { tempDir } from "../helpers/temp";
import { canSynthesize, testWithTerraform } from "../helpers/terraform";

for (const [name, config] of SHIPPED_CONFIGS) {
  // Skipped, not failed, where this config cannot be synthesized (see canSynthesize).
  (canSynthesize(config) ? describe : describe.skip)(`HCL of ${name}`, () => {
    let outdir: string;
    beforeAll(() => {
      outdir = synthOutput(config, "hcl");
    });

    testWithTerraform("passes terraform fmt -check on every stack (skipped when no terraform binary is on the PATH)", () => {
      // An empty CLI configuration keeps a missing ~/.terraformrc or TF_CLI_CONFIG_FILE from printing a warning.
      const cliConfig = path.join(tempDir("tf-cli-"), "empty.tfrc");
      fs.writeFileSync(cliConfig, "");
      const result = spawnSync("terraform", ["fmt", "-check", "-diff", "-recursive", path.join(outdir, "stacks")], {
        encoding: "utf8",
        env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1" },
      });
      expect({ status: result.status, diff: result.stdout, errors: result.stderr }).toEqual({ status: 0, diff: "", errors: "" });
    });
  });
}
