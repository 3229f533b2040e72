/**
 * `npm run validate`: synthesizes every stack of the default config and of every envs/*.json,
 * as JSON and as (repaired) HCL, and runs `terraform init -backend=false` and `terraform
 * validate` on each. Providers come from whatever the standard Terraform CLI configuration
 * provides (TF_CLI_CONFIG_FILE: registry, plugin cache, filesystem mirror or dev_overrides).
 *
 * Exit codes: 0 every stack is valid; 1 a config is invalid, or a stack is invalid (or does not
 * synthesize); 3 (PROVIDERS_UNAVAILABLE) Terraform could not install the providers, so no stack
 * was checked. `--verbose` adds terraform init's output to that one line.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadConfig } from "../config/load-config";
import { AppConfig } from "../config/types";
import { UserError } from "../config/user-error";
import { buildStacks } from "../stacks/build-app";
import { synthesizeAtomically } from "../synth/synthesize";

export const PROVIDERS_UNAVAILABLE = 3;

/** What `terraform init` prints when it cannot get a provider (registry unreachable, mirror without it). */
const PROVIDER_INSTALL_FAILURE = /Failed to query available provider packages|Failed to install provider|Incompatible provider version|could not connect to registry/;

export type InitOutcome = "ok" | "providers-unavailable" | "invalid";

export function classifyInit(status: number | null, output: string): InitOutcome {
  if (status === 0) return "ok";
  return PROVIDER_INSTALL_FAILURE.test(output) ? "providers-unavailable" : "invalid";
}

interface Target {
  readonly label: string;
  /** The checked config, or the report of why it is invalid. */
  readonly config: AppConfig | UserError;
}

function targets(root: string): Target[] {
  const envs = fs.readdirSync(path.join(root, "envs")).filter((f) => f.endsWith(".json")).sort();
  return [
    { label: "default config", config: checked(() => loadConfig({}, root)) },
    ...envs.map((file) => ({ label: `envs/${file}`, config: checked(() => loadConfig({ CONFIG: `envs/${file}` }, root)) })),
  ];
}

/** A bad config is one finding among the others, not a crash that hides them. */
function checked(load: () => AppConfig): AppConfig | UserError {
  try {
    return load();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
}

/** The first `Error: ...` line of terraform's output, to say in one line why init failed. */
function firstError(output: string): string {
  return /^(?:│\s*)?Error: (.*)$/m.exec(output)?.[1].trim() ?? "see --verbose";
}

/** Synthesizes `config` into a fresh folder, as JSON or HCL, and returns its stack folders. */
function synthesize(config: AppConfig, format: "json" | "hcl", workDir: string): string[] {
  const outdir = path.join(fs.mkdtempSync(path.join(workDir, `${format}-`)), "cdktf.out");
  const previous = process.env.SYNTH_HCL_OUTPUT;
  if (format === "hcl") process.env.SYNTH_HCL_OUTPUT = "true";
  else delete process.env.SYNTH_HCL_OUTPUT;
  try {
    synthesizeAtomically((dir) => buildStacks(config, { outdir: dir }).app, outdir);
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
  const stacks = path.join(outdir, "stacks");
  return fs.readdirSync(stacks).sort().map((stack) => path.join(stacks, stack));
}

function terraform(dir: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync("terraform", args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" },
  });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function indent(text: string): string {
  return text.trim().split("\n").map((line) => `    ${line}`).join("\n");
}

export function main(root = path.resolve(__dirname, ".."), args: readonly string[] = process.argv.slice(2)): number {
  const unknown = args.find((a) => a !== "--verbose");
  if (unknown !== undefined) {
    console.error(`validate: unknown argument ${JSON.stringify(unknown)}; usage: npm run validate [-- --verbose]`);
    return 1;
  }
  const verbose = args.includes("--verbose");
  const all = targets(root);
  const invalidConfigs = all.filter((t) => t.config instanceof UserError);
  for (const { label, config } of invalidConfigs) console.log(`FAIL ${label}: ${indent((config as UserError).message).trim()}`);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "validate-"));
  let failures = invalidConfigs.length;
  try {
    for (const { label, config } of all) {
      if (config instanceof UserError) continue;
      for (const format of ["json", "hcl"] as const) {
        let stackDirs: string[];
        try {
          stackDirs = synthesize(config, format, workDir);
        } catch (e) {
          failures++;
          console.log(`FAIL ${label} (${format}): synthesis failed\n${indent(String((e as Error).message))}`);
          continue;
        }
        for (const dir of stackDirs) {
          const name = `${label} ${path.basename(dir)} (${format})`;
          const init = terraform(dir, ["init", "-backend=false", "-input=false", "-no-color"]);
          const outcome = classifyInit(init.status, init.output);
          if (outcome === "providers-unavailable") {
            console.log(`validate: PROVIDERS UNAVAILABLE (exit ${PROVIDERS_UNAVAILABLE}), nothing was validated: terraform init could not install ` +
              "the providers; give Terraform registry access or a plugin cache, filesystem mirror or dev_overrides through TF_CLI_CONFIG_FILE " +
              `(terraform init: ${firstError(init.output)}${verbose ? "" : "; npm run validate -- --verbose shows its output"}).`);
            if (verbose) console.error(indent(init.output));
            // An invalid config is a finding that needs no provider: it still fails the run.
            if (failures > 0) {
              console.log(`validate: ${failures} invalid`);
              return 1;
            }
            return PROVIDERS_UNAVAILABLE;
          }
          const check = outcome === "ok" ? terraform(dir, ["validate", "-no-color"]) : init;
          if (check.status === 0) {
            console.log(`ok   ${name}`);
          } else {
            failures++;
            console.log(`FAIL ${name}: terraform ${outcome === "ok" ? "validate" : "init"}\n${indent(check.output)}`);
          }
        }
      }
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  console.log(failures === 0 ? "validate: every stack is valid" : `validate: ${failures} invalid`);
  return failures === 0 ? 0 : 1;
}

if (require.main === module) process.exit(main());
