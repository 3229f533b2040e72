import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AppConfig } from "../../config/types";
import { tempDir } from "./temp";


/**
 * True when a `terraform` binary runs here (`terraform fmt` and provider-free configurations need
 * no network); tests that need one use `describeWithTerraform` or `testWithTerraform`.
 */
export const terraformAvailable = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;

/**
 * Whether `config` can be synthesized here: cdktf's cloud backend validates the local
 * `terraform version` (>= 1.1) at synth, so a cloud-backend config needs the binary.
 */
export function canSynthesize(config: AppConfig): boolean {
  return terraformAvailable || config.backend.type !== "cloud";
}

/** `describe` when terraform is on the PATH, otherwise jest's skip, so the report says "skipped". */
export const describeWithTerraform = terraformAvailable ? describe : describe.skip;

/** `test` when terraform is on the PATH, otherwise jest's skip. */
export const testWithTerraform = terraformAvailable ? test : test.skip;

/** No CLI configuration: no registry credentials, no warning about a missing file. */
const emptyCliConfig = os.devNull;

export interface TerraformRun {
  readonly status: number | null;
  readonly stdout: string;
  /** stdout and stderr together. */
  readonly output: string;
}

/** Runs terraform in `dir` without prompts; `env` adds TF_VAR_* and the like, `input` is its stdin. */
export function terraform(dir: string, args: string[], env: Record<string, string> = {}, input?: string): TerraformRun {
  const result = spawnSync("terraform", args, {
    cwd: dir,
    encoding: "utf8",
    input,
    env: { ...process.env, TF_CLI_CONFIG_FILE: emptyCliConfig, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1", ...env },
  });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

/** A fresh folder holding `files` (name to content), for a provider-free Terraform configuration. */
export function terraformDir(files: Record<string, string>): string {
  const dir = tempDir("tf-");
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}
