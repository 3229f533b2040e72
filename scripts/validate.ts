/**
 * `npm run validate`: synthesizes every stack of the default config and of every envs/*.json,
 * as JSON and as (repaired) HCL, and runs `terraform init -backend=false` and `terraform
 * validate` on each. Providers come from whatever the standard Terraform CLI configuration
 * provides (TF_CLI_CONFIG_FILE: registry, plugin cache, filesystem mirror or dev_overrides).
 *
 * Exit codes: 0 every stack is valid; 1 a stack is invalid (or does not synthesize);
 * 3 (PROVIDERS_UNAVAILABLE) Terraform could not install the providers, so nothing was checked.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadConfig } from "../config/load-config";
import { AppConfig } from "../config/types";
import { buildStacks } from "../stacks/build-app";
import { synthesizeAtomically } from "../stacks/synthesize";

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
  readonly config: AppConfig;
}

function targets(root: string): Target[] {
  const envs = fs.readdirSync(path.join(root, "envs")).filter((f) => f.endsWith(".json")).sort();
  return [
    { label: "default config", config: loadConfig({}, root) },
    ...envs.map((file) => ({ label: `envs/${file}`, config: loadConfig({ CONFIG: `envs/${file}` }, root) })),
  ];
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

export function main(root = path.resolve(__dirname, "..")): number {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "validate-"));
  let failures = 0;
  try {
    for (const { label, config } of targets(root)) {
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
              "the providers; give Terraform registry access or a plugin cache, filesystem mirror or dev_overrides through TF_CLI_CONFIG_FILE.");
            console.error(indent(init.output));
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
