import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { ConfigRecord } from "../../synth/config-record";
import { synthesizeAtomically } from "../../synth/synthesize";
import { tempDir } from "../helpers/temp";
import { describeWithTerraform } from "../helpers/terraform";

describeWithTerraform("switching configs in one checkout (runs terraform init)", () => {
  /** A stack with nothing but a local backend, so `terraform init` needs no provider download. */
  function backendOnlyApp(stateName: string) {
    return (outdir: string): App => {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "platform");
      new LocalBackend(stack, { path: `../../../state/${stateName}/platform.tfstate` });
      return app;
    };
  }
  const record = (config: string): ConfigRecord => ({ config, sha256: config });

  function init(outdir: string) {
    const cliConfig = path.join(path.dirname(outdir), "empty.tfrc");
    fs.writeFileSync(cliConfig, "");
    return spawnSync("terraform", ["init", "-input=false", "-no-color"], {
      cwd: path.join(outdir, "stacks", "platform"),
      encoding: "utf8",
      env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" },
    });
  }

  test("terraform init after a switch initializes the other config's backend, with no migrate-state prompt", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synthesizeAtomically(backendOnlyApp("kvcsi"), outdir, { record: record("default") });
    expect(init(outdir).status).toBe(0);
    synthesizeAtomically(backendOnlyApp("kvlab"), outdir, { record: record("envs/lab.json") });
    const result = init(outdir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  test("within one config, a changed backend still asks Terraform to migrate (the prompt guards a real move)", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synthesizeAtomically(backendOnlyApp("kvcsi"), outdir, { record: record("envs/x.json") });
    expect(init(outdir).status).toBe(0);
    synthesizeAtomically(backendOnlyApp("renamed"), outdir, { record: record("envs/x.json") });
    const result = init(outdir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Backend configuration changed/);
  });
});
