import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { buildApp } from "../stacks/build-app";
import { ConfigRecord } from "../synth/config-record";
import { synthesizeAtomically } from "../synth/synthesize";
import { configFrom } from "./helpers/synth";
import { tempDir } from "./helpers/temp";

// terraform init after a synth that switched configs: terraform/synthesis-output.test.ts (npm run test:terraform).

const config = configFrom();
const synth = (outdir: string) => synthesizeAtomically((dir) => buildApp(config, { outdir: dir }).app, outdir);

/** The pid of a process that has exited, for leftovers of a killed synth. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("files users keep in stack folders", () => {
  const KEPT: [string, string][] = [
    ["a saved plan", "tfplan"],
    ["a variables file", "prod.tfvars"],
    ["an auto-loaded variables file", "secrets.auto.tfvars"],
    ["an override file", "override.tf"],
    ["a state file", "terraform.tfstate"],
    ["a state backup", "terraform.tfstate.backup"],
    ["the provider lock file", ".terraform.lock.hcl"],
  ];

  test.each(KEPT)("re-synthesizing keeps %s (%s) with its content", (_kind, file) => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synth(outdir);
    const kept = path.join(outdir, "stacks", "platform", file);
    fs.writeFileSync(kept, `user content of ${file}\n`);
    synth(outdir);
    expect(fs.readFileSync(kept, "utf8")).toBe(`user content of ${file}\n`);
  });

  test("re-synthesizing keeps user folders, Terraform's working directory and files at the output root", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synth(outdir);
    const stack = path.join(outdir, "stacks", "workload");
    fs.mkdirSync(path.join(stack, "plans"));
    fs.writeFileSync(path.join(stack, "plans", "monday.tfplan"), "plan");
    fs.mkdirSync(path.join(stack, ".terraform", "providers"), { recursive: true });
    fs.writeFileSync(path.join(stack, ".terraform", "providers", "binary"), "provider");
    fs.writeFileSync(path.join(outdir, "NOTES.md"), "notes");
    synth(outdir);
    expect(fs.readFileSync(path.join(stack, "plans", "monday.tfplan"), "utf8")).toBe("plan");
    expect(fs.readFileSync(path.join(stack, ".terraform", "providers", "binary"), "utf8")).toBe("provider");
    expect(fs.readFileSync(path.join(outdir, "NOTES.md"), "utf8")).toBe("notes");
  });

  test("a state file in the folder of a stack that no longer exists survives", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synth(outdir);
    fs.mkdirSync(path.join(outdir, "stacks", "retired"));
    fs.writeFileSync(path.join(outdir, "stacks", "retired", "terraform.tfstate"), "{}");
    synth(outdir);
    expect(fs.readFileSync(path.join(outdir, "stacks", "retired", "terraform.tfstate"), "utf8")).toBe("{}");
  });

  test("generated files are replaced, not kept: a hand-edited cdk.tf.json is regenerated", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synth(outdir);
    const file = path.join(outdir, "stacks", "platform", "cdk.tf.json");
    const generated = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, "{}");
    synth(outdir);
    expect(fs.readFileSync(file, "utf8")).toBe(generated);
  });

  test("a failed synth leaves the user's files where they were", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synth(outdir);
    fs.writeFileSync(path.join(outdir, "stacks", "platform", "tfplan"), "plan");
    expect(() => synthesizeAtomically(() => {
      throw new Error("boom");
    }, outdir)).toThrow("boom");
    expect(fs.readFileSync(path.join(outdir, "stacks", "platform", "tfplan"), "utf8")).toBe("plan");
  });
});

describe("switching configs in one output folder", () => {
  const record = (config: string): ConfigRecord => ({ config, sha256: config });
  const synthAs = (outdir: string, configName: string) =>
    synthesizeAtomically((dir) => buildApp(config, { outdir: dir }).app, outdir, { record: record(configName) });
  const BOUND: [string, string, string][] = [
    ["an override file", "override.tf", "an override file, which Terraform merges into the configuration"],
    ["a JSON override file", "backend_override.tf.json", "an override file, which Terraform merges into the configuration"],
    ["an auto-loaded variables file", "secrets.auto.tfvars", "a variables file, which Terraform loads by itself"],
    ["terraform.tfvars", "terraform.tfvars", "a variables file, which Terraform loads by itself"],
    ["a state file", "terraform.tfstate", "a state file of the other config"],
    ["a saved plan", "tfplan", "a saved plan of the other config"],
  ];

  test.each(BOUND)("fails when the output holds %s (%s), and changes nothing", (_kind, file, why) => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synthAs(outdir, "envs/a.json");
    const bound = path.join(outdir, "stacks", "platform", file);
    fs.writeFileSync(bound, "of config a");
    const before = fs.readFileSync(path.join(outdir, "config-record.json"), "utf8");
    expect(() => synthAs(outdir, "envs/b.json")).toThrow(
      `Refusing to synthesize CONFIG=envs/b.json (sha256 envs/b.json) into ${outdir}: it holds output of CONFIG=envs/a.json (sha256 envs/a.json), ` +
      `and these files of that config would stay beside the new one's code:\n  - ${bound}: ${why}\n` +
      `Nothing was changed. Move them out of ${outdir}, or synthesize the new config into another folder: CONFIG=envs/b.json npm run synth -- --output <folder>`);
    expect(fs.readFileSync(bound, "utf8")).toBe("of config a");
    expect(fs.readFileSync(path.join(outdir, "config-record.json"), "utf8")).toBe(before);
  });

  test("refuses the same way when the output came from the embedded default config (a record without a path)", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synthesizeAtomically((dir) => buildApp(config, { outdir: dir }).app, outdir, { record: { config: null, sha256: "default" } });
    fs.writeFileSync(path.join(outdir, "stacks", "platform", "terraform.tfvars"), "of the default");
    expect(() => synthAs(outdir, "envs/b.json")).toThrow(
      `Refusing to synthesize CONFIG=envs/b.json (sha256 envs/b.json) into ${outdir}: it holds output of the embedded default config (no CONFIG, sha256 default)`);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, "config-record.json"), "utf8")).config).toBeNull();
  });

  test("under the cdktf CLI, refuses to replace output of the embedded default config with another config's", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synthesizeAtomically((dir) => buildApp(config, { outdir: dir }).app, outdir, { record: { config: null, sha256: "default" } });
    expect(() => synthesizeAtomically((dir) => buildApp(config, { outdir: dir }).app, outdir, { record: record("envs/b.json"), byCdktfCli: true }))
      .toThrow(`Refusing to replace ${outdir}: it was synthesized from the embedded default config (no CONFIG, sha256 default), ` +
        "but this cdktf run selects CONFIG=envs/b.json (sha256 envs/b.json).");
  });

  test("lists every such file of every stack in one report", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synthAs(outdir, "envs/a.json");
    for (const file of ["stacks/platform/tfplan", "stacks/workload/override.tf", "stacks/workload/x.auto.tfvars.json"]) fs.writeFileSync(path.join(outdir, file), "");
    expect(() => synthAs(outdir, "envs/b.json")).toThrow(/:\n  - .*stacks\/platform\/tfplan: .*\n  - .*stacks\/workload\/override\.tf: .*\n  - .*stacks\/workload\/x\.auto\.tfvars\.json: .*\nNothing was changed/);
  });

  test("carries other user files into the new config's output, and such files within one config", () => {
    const outdir = path.join(tempDir(), "cdktf.out");
    synthAs(outdir, "envs/a.json");
    fs.writeFileSync(path.join(outdir, "stacks", "platform", "prod.tfvars"), "kept");
    synthAs(outdir, "envs/b.json");
    fs.writeFileSync(path.join(outdir, "stacks", "platform", "override.tf"), "kept");
    synthAs(outdir, "envs/b.json");
    expect(fs.readFileSync(path.join(outdir, "stacks", "platform", "prod.tfvars"), "utf8")).toBe("kept");
    expect(fs.readFileSync(path.join(outdir, "stacks", "platform", "override.tf"), "utf8")).toBe("kept");
  });
});

describe("interrupted synthesis", () => {
  test("removes staging and previous folders left by processes that no longer exist", () => {
    const dir = tempDir();
    const outdir = path.join(dir, "cdktf.out");
    synth(outdir);
    const pid = deadPid();
    fs.mkdirSync(path.join(dir, `cdktf.out.staging-${pid}`, "stacks"), { recursive: true });
    fs.mkdirSync(path.join(dir, `cdktf.out.previous-${pid}`));
    synth(outdir);
    expect(fs.readdirSync(dir).sort()).toEqual(["cdktf.out"]);
  });

  test("leaves the staging folder of a synth that is still running", () => {
    const dir = tempDir();
    const outdir = path.join(dir, "cdktf.out");
    const running = path.join(dir, `cdktf.out.staging-${process.ppid}`);
    fs.mkdirSync(running);
    synth(outdir);
    expect(fs.existsSync(running)).toBe(true);
  });

  test("leaves staging folders of other output folders alone", () => {
    const dir = tempDir();
    const other = path.join(dir, `cdktf.lab.staging-${deadPid()}`);
    fs.mkdirSync(other);
    synth(path.join(dir, "cdktf.out"));
    expect(fs.existsSync(other)).toBe(true);
  });

  test("restores the output a synth killed between its two renames left only in its previous folder", () => {
    const dir = tempDir();
    const outdir = path.join(dir, "cdktf.out");
    synth(outdir);
    fs.writeFileSync(path.join(outdir, "stacks", "platform", "terraform.tfstate"), "state");
    const pid = deadPid();
    fs.renameSync(outdir, path.join(dir, `cdktf.out.previous-${pid}`));
    synth(outdir);
    expect(fs.readFileSync(path.join(outdir, "stacks", "platform", "terraform.tfstate"), "utf8")).toBe("state");
    expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
  });

  test("moves the Terraform working directory a killed synth had taken back into the output", () => {
    const dir = tempDir();
    const outdir = path.join(dir, "cdktf.out");
    synth(outdir);
    const staged = path.join(dir, `cdktf.out.staging-${deadPid()}`, "stacks", "platform", ".terraform");
    fs.mkdirSync(staged, { recursive: true });
    fs.writeFileSync(path.join(staged, "marker"), "providers");
    synth(outdir);
    expect(fs.readFileSync(path.join(outdir, "stacks", "platform", ".terraform", "marker"), "utf8")).toBe("providers");
  });
});

describe("output folders", () => {
  test("creates missing parent folders of the output folder", () => {
    const outdir = path.join(tempDir(), "some", "new", "folder");
    synth(outdir);
    expect(fs.existsSync(path.join(outdir, "stacks", "platform", "cdk.tf.json"))).toBe(true);
  });

  test("fails in one line when the output folder's parent is a file", () => {
    const file = path.join(tempDir(), "file");
    fs.writeFileSync(file, "");
    expect(() => synth(path.join(file, "out"))).toThrow(/^Cannot use output folder .*file\/out: .*file is a file, not a folder$/);
  });

  // In a child process with a time limit: the hang this guards against cannot be interrupted in-process.
  (fs.existsSync("/proc/self") ? test : test.skip)("fails in one line, at once, when the output folder's parent cannot be created (procfs)", () => {
    const run = spawnSync(process.execPath, ["-r", path.join(__dirname, "..", "scripts", "ts-register.js"), "-e",
      "try { require('./synth/output-folder.ts').prepareOutputFolder('/proc/no-such/folder/out') } catch (e) { console.log(e.message) }"],
    { cwd: path.join(__dirname, ".."), encoding: "utf8", timeout: 15000 });
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe("Cannot use output folder /proc/no-such/folder/out: /proc/no-such/folder cannot be created or written (ENOENT)");
  });

  test("fails in one line when the output folder is a file", () => {
    const file = path.join(tempDir(), "cdktf.out");
    fs.writeFileSync(file, "");
    expect(() => synth(file)).toThrow(/^Cannot use output folder .*cdktf\.out: it exists and is not a folder$/);
  });
});
