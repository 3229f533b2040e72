import { spawn, spawnSync, SpawnSyncReturns } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { outputOption, synthRunFrom } from "../synth/synth-command";
import { tempDir } from "./helpers/temp";
import { docFiles, readDoc } from "./helpers/docs";

const ROOT = path.resolve(__dirname, "..");
// Plain JavaScript, required for its exported helper.
const { cdktfInvocation } = require("../scripts/cdktf.js") as {
  cdktfInvocation(command: string, args: string[], env: NodeJS.ProcessEnv, isTTY: boolean): { argv: string[]; env: NodeJS.ProcessEnv };
};

/** A temporary project folder with copies of envs/lab.json and envs/example.json. */
function project(): string {
  const dir = tempDir("synth-command-");
  fs.mkdirSync(path.join(dir, "envs"));
  for (const file of ["lab.json", "example.json"]) fs.copyFileSync(path.join(ROOT, "envs", file), path.join(dir, "envs", file));
  return dir;
}

/**
 * `npm run synth` of `config` (undefined: the embedded default) in a fresh project, run once for
 * the whole file: its folder must not be changed (projectWithOutput copies it).
 */
function firstSynth(config?: "envs/lab.json"): { dir: string; result: SpawnSyncReturns<string> } {
  const key = config ?? "default";
  if (!firstSynths.has(key)) {
    const dir = project();
    firstSynths.set(key, { dir, result: main(dir, ["synth"], config ? { CONFIG: config } : {}) });
  }
  return firstSynths.get(key)!;
}
const firstSynths = new Map<string, { dir: string; result: SpawnSyncReturns<string> }>();

/**
 * A project holding the output `npm run synth` wrote for `config` into cdktf.out: a copy of
 * firstSynth's folder. The output holds no machine path (state paths are relative, the record
 * names CONFIG as given), so the copy is what a synth in the new folder writes, and a test that
 * starts from an existing output spawns only the runs it is about (each spawn loads and
 * synthesizes the app: about 0.4 s of CPU).
 */
function projectWithOutput(config?: "envs/lab.json"): string {
  const first = firstSynth(config);
  if (first.result.status !== 0) throw new Error(`npm run synth of ${config ?? "the default"} failed: ${first.result.stderr}`);
  const dir = tempDir("synth-command-");
  fs.cpSync(first.dir, dir, { recursive: true });
  return dir;
}

/** The environment without anything that selects a config or an output. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // INIT_CWD (set by npm/npx) would resolve CONFIG from the folder jest was started in.
  for (const key of Object.keys(env)) if (["CONFIG", "SYNTH_HCL_OUTPUT", "INIT_CWD"].includes(key) || key.startsWith("CDKTF_")) delete env[key];
  return env;
}

/** Runs main.ts as `npm run synth` does (args ["synth", ...]) or as the cdktf CLI does (no args, CDKTF_* set). */
function main(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ["-r", path.join(ROOT, "scripts/ts-register.js"), path.join(ROOT, "main.ts"), ...args], {
    cwd, encoding: "utf8", env: { ...cleanEnv(), ...env },
  });
}
const asCdktfCli = (extra: NodeJS.ProcessEnv = {}) => ({ CDKTF_OUTDIR: "cdktf.out", CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true", SYNTH_HCL_OUTPUT: "false", ...extra });
const record = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "cdktf.out", "config-record.json"), "utf8"));

describe("main.ts arguments", () => {
  test("no arguments: run by the cdktf CLI, which names the output folder and format in the environment", () => {
    expect(synthRunFrom([], { CDKTF_OUTDIR: "out", SYNTH_HCL_OUTPUT: "true" })).toEqual({ outdir: "out", hcl: true, byCdktfCli: true });
  });

  test("synth: npm run synth, JSON into cdktf.out by default", () => {
    expect(synthRunFrom(["synth"], {})).toEqual({ outdir: "cdktf.out", hcl: false, byCdktfCli: false });
  });

  test.each([[["synth", "--hcl", "--output", "x"]], [["synth", "--output=x", "--hcl"]], [["synth", "-o", "x", "--hcl"]]])("%j sets HCL and the output folder", (argv) => {
    expect(synthRunFrom(argv, {})).toEqual({ outdir: "x", hcl: true, byCdktfCli: false });
  });

  test("reads the output folder like the cdktf CLI, for npm run synth and scripts/cdktf.js alike", () => {
    expect(outputOption(["platform", "--output", "a"])).toEqual({ outdir: "a", rest: ["platform"] });
    expect(outputOption(["--output=a", "--hcl"])).toEqual({ outdir: "a", rest: ["--hcl"] });
    expect(outputOption(["-o", "a", "-o", "b"])).toEqual({ outdir: "b", rest: [] });
    expect(outputOption(["deploy", "--output"])).toEqual({ outdir: undefined, rest: ["deploy", "--output"] });
  });

  test.each([[["deploy"], /unknown command "deploy"/], [["synth", "--json"], /unknown argument "--json"/], [["synth", "--output"], /unknown argument "--output"/]])(
    "fails on %j with the usage", (argv, message) => {
      expect(() => synthRunFrom(argv, {})).toThrow(message);
      expect(() => synthRunFrom(argv, {})).toThrow(/usage: npm run synth/);
    });
});

describe("npm run synth: the app without the cdktf CLI", () => {
  test("writes the output and a record of the config that produced it (path and content hash)", () => {
    const { dir, result } = firstSynth("envs/lab.json");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Generated Terraform code for the stacks: platform, workload in cdktf.out, from CONFIG=envs\/lab.json \(sha256 [0-9a-f]{12}\)\n$/);
    const sha256 = crypto.createHash("sha256").update(fs.readFileSync(path.join(dir, "envs/lab.json"))).digest("hex");
    expect(record(dir)).toEqual({ config: "envs/lab.json", sha256 });
    expect(fs.readdirSync(path.join(dir, "cdktf.out", "stacks")).sort()).toEqual(["platform", "workload"]);
  });

  test("prints the warnings the cdktf CLI would print (the lab profile's declared exceptions)", () => {
    const { result } = firstSynth("envs/lab.json");
    expect(result.stdout).toMatch(/^WARN \[platform\/.*\]: /m);
  });

  test("checks the config in the same process: a bad config is one report, exit 1, no output", () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ namePrefix: "NO" }));
    const result = main(dir, ["synth"], { CONFIG: "bad.json" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Invalid config \(bad.json\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
  });

  test("--hcl writes cdk.tf and no cdk.tf.json", () => {
    const dir = project();
    expect(main(dir, ["synth", "--hcl"]).status).toBe(0);
    expect(fs.readdirSync(path.join(dir, "cdktf.out", "stacks", "platform")).filter((f) => f.startsWith("cdk."))).toEqual(["cdk.tf"]);
  });

  test("switches configs: the next synth replaces another config's output and record", () => {
    const dir = projectWithOutput("envs/lab.json");
    expect(main(dir, ["synth"]).status).toBe(0);
    expect(record(dir).config).toBeNull();
  });
});

describe("cdktf deploy/diff/destroy re-synthesize: exactly the config that produced the output", () => {
  test("refuses when this run selects another config, naming both, and leaves the output alone", () => {
    const dir = projectWithOutput("envs/lab.json");
    const before = fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "platform", "cdk.tf.json"), "utf8");
    const result = main(dir, [], asCdktfCli());
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Refusing to replace cdktf.out: it was synthesized from CONFIG=envs\/lab.json \(sha256 \w+\), but this cdktf run selects the embedded default config \(no CONFIG, sha256 \w+\)\./);
    expect(result.stderr).toContain("CONFIG=envs/lab.json npm run deploy|diff|destroy|output -- <stacks>\n");
    expect(result.stderr).toContain("npm run synth, review the output");
    expect(result.stderr).not.toContain("--output");
    expect(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "platform", "cdk.tf.json"), "utf8")).toBe(before);
    expect(record(dir).config).toBe("envs/lab.json");
  });

  test("refuses as well when the output came from the embedded default config and this run selects a CONFIG", () => {
    const dir = projectWithOutput();
    const before = fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "platform", "cdk.tf.json"), "utf8");
    const result = main(dir, [], asCdktfCli({ CONFIG: "envs/lab.json" }));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Refusing to replace cdktf.out: it was synthesized from the embedded default config \(no CONFIG, sha256 \w+\), but this cdktf run selects CONFIG=envs\/lab.json \(sha256 \w+\)\./);
    expect(result.stderr).toContain("to keep working with the synthesized config: npm run deploy|diff|destroy|output -- <stacks>\n");
    expect(result.stderr).toContain("to switch to the selected config: CONFIG=envs/lab.json npm run synth, review the output");
    expect(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "platform", "cdk.tf.json"), "utf8")).toBe(before);
    expect(record(dir).config).toBeNull();
  });

  test("npm run deploy|diff|destroy|output refuse before the cdktf CLI starts, also after a synth of the embedded default", () => {
    const dir = projectWithOutput();
    const result = spawnSync(process.execPath, [path.join(ROOT, "scripts/cdktf.js"), "diff", "platform"], {
      cwd: dir, encoding: "utf8", env: { ...cleanEnv(), CONFIG: "envs/lab.json" },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^Refusing to replace cdktf.out: it was synthesized from the embedded default config \(no CONFIG, sha256 \w+\), but this cdktf run selects CONFIG=envs\/lab.json/);
  });

  test("npm run deploy|diff|destroy|output refuse before the cdktf CLI starts, with the same message", () => {
    const dir = projectWithOutput("envs/lab.json");
    for (const args of [["diff", "platform"], ["deploy", "platform", "--output", "cdktf.out"]]) {
      const result = spawnSync(process.execPath, [path.join(ROOT, "scripts/cdktf.js"), ...args], { cwd: dir, encoding: "utf8", env: cleanEnv() });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^Refusing to replace cdktf.out: it was synthesized from CONFIG=envs\/lab.json \(sha256 \w+\), but this cdktf run selects the embedded default config/);
    }
  });

  test("the refusal for another output folder names that folder in every command it advises", () => {
    const dir = project();
    main(dir, ["synth", "--output", "build/out"], { CONFIG: "envs/lab.json" });
    for (const args of [["diff", "platform", "--output=build/out"], ["deploy", "-o", "build/out", "platform"]]) {
      const result = spawnSync(process.execPath, [path.join(ROOT, "scripts/cdktf.js"), ...args], { cwd: dir, encoding: "utf8", env: cleanEnv() });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^Refusing to replace build\/out: /);
      expect(result.stderr).toContain("CONFIG=envs/lab.json npm run deploy|diff|destroy|output -- <stacks> --output build/out\n");
      expect(result.stderr).toContain("to switch to the selected config: npm run synth -- --output build/out, review the output, then npm run deploy -- <stacks> --output build/out");
    }
  });

  test("refuses when the cdktf CLI would delete a retired stack's folder that holds user files, and npm run synth keeps it", () => {
    const dir = projectWithOutput();
    const retired = path.join(dir, "cdktf.out", "stacks", "retired");
    fs.mkdirSync(retired);
    fs.writeFileSync(path.join(retired, "terraform.tfstate"), "state");
    const result = main(dir, [], asCdktfCli());
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("The cdktf CLI deletes the folders of stacks that no longer exist, and these hold your files: " +
      "cdktf.out/stacks/retired. Move the files out, or run npm run synth, which keeps them\n");
    expect(main(dir, ["synth"]).status).toBe(0);
    expect(fs.readFileSync(path.join(retired, "terraform.tfstate"), "utf8")).toBe("state");
  });

  test("proceeds when this run selects the same config", () => {
    const dir = projectWithOutput("envs/lab.json");
    const result = main(dir, [], asCdktfCli({ CONFIG: "./envs/lab.json" }));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  test.each([["is missing", null], ["is not JSON", "{"], ["is not a record", "[]"]])("proceeds when the record %s", (_case, text) => {
    const dir = projectWithOutput("envs/lab.json");
    const file = path.join(dir, "cdktf.out", "config-record.json");
    if (text === null) fs.rmSync(file);
    else fs.writeFileSync(file, text);
    const result = main(dir, [], asCdktfCli());
    expect(result.stderr).toBe("");
    expect(record(dir).config).toBeNull();
  });

  test("proceeds on a fresh checkout, where no output records a config yet", () => {
    expect(main(project(), [], asCdktfCli({ CONFIG: "envs/lab.json" })).status).toBe(0);
  });

  test("the npm scripts deploy, diff, destroy and output run the cdktf CLI, so CONFIG reaches its synth", () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
    for (const command of ["deploy", "diff", "destroy", "output"]) expect(scripts[command]).toBe(`node scripts/cdktf.js ${command}`);
  });

  test("the README and docs/ run cdktf only through those npm scripts", () => {
    expect(docFiles().filter((file) => /(npx )?cdktf (deploy|diff|destroy|output) /.test(readDoc(file)))).toEqual([]);
  });
});

describe("interrupted synthesis", () => {
  test("a synth killed mid-run leaves the previous output intact, and the next synth removes its staging folder", async () => {
    const dir = projectWithOutput();
    const before = fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "workload", "cdk.tf.json"), "utf8");
    const child = spawn(process.execPath, ["-r", path.join(ROOT, "scripts/ts-register.js"), path.join(ROOT, "main.ts"), "synth"], { cwd: dir, env: cleanEnv(), stdio: "ignore" });
    const staging = path.join(dir, `cdktf.out.staging-${child.pid}`);
    const exited = new Promise((resolve) => child.on("exit", resolve));
    for (let waited = 0; !fs.existsSync(staging) && waited < 20000; waited += 5) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await exited;
    expect(fs.existsSync(staging)).toBe(true);
    expect(fs.readFileSync(path.join(dir, "cdktf.out", "stacks", "workload", "cdk.tf.json"), "utf8")).toBe(before);
    expect(main(dir, ["synth"]).status).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("cdktf.out"))).toEqual(["cdktf.out"]);
  }, 60_000);
});

describe("output folders named by the user", () => {
  test("npm run synth -- --output creates missing parents (azurerm backend)", () => {
    const dir = project();
    const result = main(dir, ["synth", "--output", "some/new/folder"], { CONFIG: "envs/example.json" });
    expect(result.stderr).toBe("");
    expect(fs.existsSync(path.join(dir, "some/new/folder/stacks/platform/cdk.tf.json"))).toBe(true);
  });

  test("cdktf synth --output (CDKTF_OUTDIR) creates missing parents too", () => {
    const dir = project();
    expect(main(dir, [], asCdktfCli({ CONFIG: "envs/example.json", CDKTF_OUTDIR: "a/b/out" })).status).toBe(0);
    expect(fs.existsSync(path.join(dir, "a/b/out/manifest.json"))).toBe(true);
  });

  test("fails in one line when the output folder cannot be created", () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, "some"), "");
    const result = main(dir, [], asCdktfCli({ CONFIG: "envs/example.json", CDKTF_OUTDIR: "some/new/folder" }));
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("Cannot use output folder some/new/folder: some is a file, not a folder\n");
  });

  test("a local-backend output anywhere in the project reaches the project's state folder from its stack folders", () => {
    const dir = project();
    expect(main(dir, ["synth", "--output", "build/out"], { CONFIG: "envs/lab.json" }).status).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(dir, "build/out/stacks/platform/cdk.tf.json"), "utf8"));
    expect(json.terraform.backend.local.path).toBe("../../../../state/kvlab/platform.tfstate");
    expect(path.resolve(dir, "build/out/stacks/platform", json.terraform.backend.local.path)).toBe(path.join(dir, "state/kvlab/platform.tfstate"));
  });

  test("a local-backend output outside the project keeps cdktf.out's layout, as a copy of it would (no machine path)", () => {
    const dir = project();
    expect(main(dir, ["synth", "--output", "../elsewhere/out"]).status).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(dir, "../elsewhere/out/stacks/platform/cdk.tf.json"), "utf8"));
    fs.rmSync(path.join(dir, "../elsewhere"), { recursive: true, force: true });
    expect(json.terraform.backend.local.path).toBe("../../../state/kvcsi/platform.tfstate");
  });

  test.each([["."], ["build/.."]])("fails in one line when the output folder (%s) is the project itself, which a synth would replace", (outdir) => {
    const dir = project();
    const result = main(dir, ["synth", "--output", outdir], { CONFIG: "envs/example.json" });
    expect(result.stderr).toBe(`Cannot use output folder ${outdir}: it contains the current folder, and synthesis replaces the output folder as a whole\n`);
    expect(fs.readdirSync(dir).sort()).toEqual(["envs"]);
  });
});

describe("npm run deploy|diff|destroy|output: no harmless error-looking lines", () => {
  test("disables the checkpoint lookup", () => {
    expect(cdktfInvocation("diff", [], {}, true).env.CHECKPOINT_DISABLE).toBe("1");
  });

  test("points a TF_CLI_CONFIG_FILE that names a missing file at the empty device, and leaves an existing one alone", () => {
    expect(cdktfInvocation("diff", [], { TF_CLI_CONFIG_FILE: "/nonexistent/.terraformrc" }, true).env.TF_CLI_CONFIG_FILE).toBe(os.devNull);
    const existing = path.join(ROOT, "package.json");
    expect(cdktfInvocation("diff", [], { TF_CLI_CONFIG_FILE: existing }, true).env.TF_CLI_CONFIG_FILE).toBe(existing);
  });

  test("without a terminal: no spinner frames (CI) and no colour codes", () => {
    const run = cdktfInvocation("diff", ["platform"], {}, false);
    expect(run.env.CI).toBe("true");
    expect(run.argv).toEqual(["diff", "platform", "--no-color"]);
  });

  test("a deploy that waits for approval keeps its interactive prompt", () => {
    expect(cdktfInvocation("deploy", ["platform"], {}, false).env.CI).toBeUndefined();
    expect(cdktfInvocation("deploy", ["platform", "--auto-approve"], {}, false).env.CI).toBe("true");
  });

  test("in a terminal: arguments unchanged", () => {
    expect(cdktfInvocation("deploy", ["platform"], {}, true).argv).toEqual(["deploy", "platform"]);
  });
});
