import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { azureStack, kubernetesStack } from "./helpers/stacks";
import { configFrom, synthApp, synthOutput } from "./helpers/synth";
import { terraformDir } from "./helpers/terraform";

/** Folders the helpers made in this file; the helpers' own afterAll (registered first) removes them. */
const made: string[] = [];

describe("test helpers", () => {
  test("synthesize into temporary folders that stay readable while the file's tests run", () => {
    const s = synthApp();
    made.push(s.outdir, (azureStack().node.root as App).outdir, (kubernetesStack().node.root as App).outdir,
      path.dirname(synthOutput(configFrom(), "json")), terraformDir({ "main.tf": "" }));
    expect(fs.existsSync(path.join(s.outdir, "manifest.json"))).toBe(true);
    expect(made.every((dir) => fs.existsSync(dir))).toBe(true);
  });
});

describe("test files", () => {
  /** Every test source but the helper that owns temporary folders and the cluster harness (its scratch lives in its own folder). */
  const sources = fs.readdirSync(__dirname, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && f !== path.join("helpers", "temp.ts") && !f.startsWith(`cluster${path.sep}`))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(__dirname, f), "utf8") }));
  const offenders = (pattern: RegExp, except: string[] = []) =>
    sources.filter(({ file, text }) => !except.includes(file) && pattern.test(text)).map(({ file }) => file);

  test("make temporary folders only through tempDir(), which removes them", () => {
    expect(offenders(/mkdtempSync\(/)).toEqual([]);
    // Testing.app without an outdir makes a folder of its own in the system temp folder.
    expect(offenders(/Testing\.app\(\s*\)/)).toEqual([]);
  });

  test("look for terraform and switch cdktf to HCL only through the shared helpers", () => {
    expect(offenders(/spawnSync\("terraform", \["version"\]/, [path.join("helpers", "terraform.ts")])).toEqual([]);
    expect(offenders(/process\.env\.SYNTH_HCL_OUTPUT =/, [path.join("helpers", "synth.ts")])).toEqual([]);
  });

  test("run terraform only in __tests__/terraform/ (npm run test:terraform), so npm test needs no terraform binary", () => {
    const runsTerraform = /\b(describeWithTerraform|testWithTerraform|terraform)\(|spawnSync\("terraform"/;
    const elsewhere = offenders(runsTerraform, [path.join("helpers", "terraform.ts")]).filter((file) => !file.startsWith(`terraform${path.sep}`));
    expect(elsewhere).toEqual([]);
    expect(offenders(runsTerraform).filter((file) => file.startsWith(`terraform${path.sep}`)).length).toBeGreaterThan(0);
  });
});

describe("the test runner", () => {
  test("replaces a worker whose memory outgrew the limit after a test file, so none is too big to exit at the end", () => {
    const config = require(path.join(__dirname, "..", "jest.config.js"));
    expect(config.workerIdleMemoryLimit).toBe("600MB");
  });
});

// Runs after the helpers' afterAll (jest runs afterAll hooks in the order they were registered).
afterAll(() => {
  expect(made).toHaveLength(5);
  expect(made.filter((dir) => fs.existsSync(dir))).toEqual([]);
});
