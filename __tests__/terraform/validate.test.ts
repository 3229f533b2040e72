import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main, PROVIDERS_UNAVAILABLE } from "../../scripts/validate";
import { tempDir } from "../helpers/temp";
import { describeWithTerraform } from "../helpers/terraform";

const ROOT = path.resolve(__dirname, "..", "..");

/** A Terraform CLI configuration whose only provider source is an empty mirror: init fails at once, offline. */
function noProviders(): string {
  const dir = tempDir("no-providers-");
  const rc = path.join(dir, "terraformrc");
  fs.writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path    = "${path.join(dir, "empty-mirror")}"\n    include = ["*/*/*"]\n  }\n}\n`);
  return rc;
}

describeWithTerraform("npm run validate without providers", () => {
  test("says so in one line and exits with its own code, distinct from a validation failure", () => {
    const run = spawnSync("npm", ["run", "-s", "validate"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: noProviders() } });
    expect(run.status).toBe(PROVIDERS_UNAVAILABLE);
    expect(PROVIDERS_UNAVAILABLE).not.toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^validate: PROVIDERS UNAVAILABLE \(exit 3\), nothing was validated: .*\(terraform init: Failed to query available provider packages; npm run validate -- --verbose shows its output\)\.$/);
    expect(run.stderr).toBe("");
  });

  test("fails (exit 1) on an invalid envs/*.json with its report, even when no provider can be installed", () => {
    const root = tempDir("validate-root-");
    fs.mkdirSync(path.join(root, "envs"));
    fs.writeFileSync(path.join(root, "envs", "bad.json"), JSON.stringify({ location: "mars" }));
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const previous = process.env.TF_CLI_CONFIG_FILE;
    process.env.TF_CLI_CONFIG_FILE = noProviders();
    let status: number;
    let printed: string[];
    try {
      status = main(root, []);
      printed = log.mock.calls.map((c) => String(c[0]));
    } finally {
      if (previous === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = previous;
      log.mockRestore();
    }
    expect(status).toBe(1);
    expect(printed[0]).toMatch(/^FAIL envs\/bad\.json: Invalid config \(.*envs\/bad\.json\): \d+ problems?\n {4}.*location/);
    expect(printed[printed.length - 1]).toBe("validate: 1 invalid");
  });
});
