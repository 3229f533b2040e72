import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { classifyInit, PROVIDERS_UNAVAILABLE } from "../scripts/validate";
import { describeWithTerraform } from "./helpers/terraform";

const ROOT = path.resolve(__dirname, "..");

describe("npm run validate: reading terraform init", () => {
  test("tells missing providers apart from an invalid configuration", () => {
    expect(classifyInit(0, "")).toBe("ok");
    expect(classifyInit(1, "Error: Failed to query available provider packages\nhashicorp/azurerm: could not connect to registry.terraform.io")).toBe("providers-unavailable");
    expect(classifyInit(1, "Error: Failed to install provider\nError while installing hashicorp/time v0.13.1")).toBe("providers-unavailable");
    expect(classifyInit(1, "Error: Terraform encountered problems during initialisation, including problems with the configuration")).toBe("invalid");
  });
});

describeWithTerraform("npm run validate without providers", () => {
  test("says so in one line and exits with its own code, distinct from a validation failure", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-providers-"));
    const rc = path.join(dir, "terraformrc");
    fs.writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path    = "${path.join(dir, "empty-mirror")}"\n    include = ["*/*/*"]\n  }\n}\n`);
    const run = spawnSync("npm", ["run", "-s", "validate"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: rc } });
    expect(run.status).toBe(PROVIDERS_UNAVAILABLE);
    expect(PROVIDERS_UNAVAILABLE).not.toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^validate: PROVIDERS UNAVAILABLE \(exit 3\), nothing was validated/);
  });
});
