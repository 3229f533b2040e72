import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./helpers/temp";

/** scripts/same-terraform.js: the comparison behind `npm run terrain` (CDK Terrain proves the same Terraform). */
const SCRIPT = path.join(__dirname, "..", "scripts", "same-terraform.js");

const STACK = (version: string, extra: object = {}) => JSON.stringify({
  "//": { metadata: { backend: "local", version } },
  terraform: { required_providers: { azurerm: { source: "hashicorp/azurerm", version: "4.55.0" } } },
  resource: { azurerm_key_vault: { vault: { name: "kv", network_acls: [{ ip_rules: [] }], ...extra } } },
}, null, 2);

function tree(root: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

function compare(left: Record<string, string>, right: Record<string, string>) {
  const dir = tempDir("same-terraform-");
  const result = spawnSync(process.execPath, [SCRIPT, tree(path.join(dir, "a"), left), tree(path.join(dir, "b"), right)], {
    env: { ...process.env, CDKTF_VERSION: "0.21.0", OTHER_VERSION: "0.24.0" },
    encoding: "utf8",
  });
  return { status: result.status, out: result.stdout + result.stderr };
}

test("passes when only the engine version and the layout of empty JSON arrays differ", () => {
  const cdktf = { "stacks/platform/cdk.tf.json": STACK("0.21.0").replace("[]", "[\n]"), "stacks/platform/cdk.tf": "resource \"x\" \"y\" {}\n" };
  const cdktn = { "stacks/platform/cdk.tf.json": STACK("0.24.0"), "stacks/platform/cdk.tf": "resource \"x\" \"y\" {}\n" };
  expect(compare(cdktf, cdktn)).toEqual({ status: 0, out: "2 files: the same Terraform (only the engine version differs)\n" });
});

test("fails naming the file when a resource attribute differs", () => {
  const result = compare({ "stacks/platform/cdk.tf.json": STACK("0.21.0") }, { "stacks/platform/cdk.tf.json": STACK("0.24.0", { sku_name: "premium" }) });
  expect(result.status).toBe(1);
  expect(result.out).toContain("stacks/platform/cdk.tf.json: the JSON differs");
});

test("fails when a provider version equal to neither engine's version differs", () => {
  const result = compare({ "m.json": JSON.stringify({ version: "4.55.0" }) }, { "m.json": JSON.stringify({ version: "4.56.0" }) });
  expect(result.status).toBe(1);
  expect(result.out).toContain("m.json: the JSON differs");
});

test("fails when the HCL text differs by one character", () => {
  const result = compare({ "cdk.tf": "name = \"a\"\n" }, { "cdk.tf": "name = \"b\"\n" });
  expect(result.status).toBe(1);
  expect(result.out).toContain("cdk.tf: the text differs");
});

test("fails when a file exists in only one output", () => {
  const result = compare({ "a.tf": "", "b.tf": "" }, { "a.tf": "", "c.tf": "" });
  expect(result.status).toBe(1);
  expect(result.out).toContain("b.tf: only in the cdktf output");
  expect(result.out).toContain("c.tf: only in the other engine's output");
});
