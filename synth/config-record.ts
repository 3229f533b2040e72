import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CONFIG } from "../config/default-config";
import { readConfigFile, resolveConfigPath } from "../config/read-config-file";
import { UserError } from "../config/user-error";

/** Written into the output folder by every synth: which config produced that output. */
export const CONFIG_RECORD_FILE = "config-record.json";

/** Where `npm run synth` and the cdktf CLI write when no --output (or CDKTF_OUTDIR for the app) names a folder. */
export const DEFAULT_OUTPUT = "cdktf.out";

export interface ConfigRecord {
  /** The CONFIG file relative to the project (forward slashes), or null for the embedded default. */
  readonly config: string | null;
  /** SHA-256 of the config file's bytes (of the embedded default's JSON), to tell which content produced the output. */
  readonly sha256: string;
}

/**
 * The record of the config this run selects, found and read exactly as loadConfig does. The path
 * is kept relative to the project so no machine path reaches the output.
 */
export function configRecord(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ConfigRecord {
  const file = env.CONFIG;
  if (!file) return { config: null, sha256: sha256(JSON.stringify(DEFAULT_CONFIG)) };
  const resolved = resolveConfigPath(file, env, cwd);
  return { config: path.relative(cwd, resolved).split(path.sep).join("/"), sha256: sha256(readConfigFile(resolved, file)) };
}

/** The record a previous synth left in `outdir`; undefined when there is none or it is not a record (edited by hand). */
export function readConfigRecord(outdir: string): ConfigRecord | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(outdir, CONFIG_RECORD_FILE), "utf8"));
    if ((typeof parsed.config === "string" || parsed.config === null) && typeof parsed.sha256 === "string") {
      return { config: parsed.config, sha256: parsed.sha256 };
    }
  } catch {
    // missing or not JSON: no record
  }
  return undefined;
}

export function writeConfigRecord(outdir: string, record: ConfigRecord): void {
  fs.writeFileSync(path.join(outdir, CONFIG_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** "CONFIG=envs/lab.json (sha256 1a2b3c4d5e6f)" or "the embedded default config (no CONFIG, sha256 …)". */
export function describeConfig(record: ConfigRecord): string {
  const hash = `sha256 ${record.sha256.slice(0, 12)}`;
  return record.config === null ? `the embedded default config (no CONFIG, ${hash})` : `CONFIG=${record.config} (${hash})`;
}

function sha256(data: string | Buffer): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

/** The output was synthesized from another config than the one this cdktf run selects. */
export class ConfigSwitchError extends UserError {
  constructor(outdir: string, previous: ConfigRecord, current: ConfigRecord) {
    const select = current.config === null ? "" : `CONFIG=${current.config} `;
    const wanted = previous.config === null ? "" : `CONFIG=${previous.config} `;
    // Advice that names the default folder for output elsewhere would act on another output.
    const output = isDefaultOutput(outdir) ? "" : ` --output ${shellWord(outdir)}`;
    super(`Refusing to replace ${outdir}: it was synthesized from ${describeConfig(previous)}, ` +
      `but this cdktf run selects ${describeConfig(current)}.\n` +
      `  - to keep working with the synthesized config: ${wanted}npm run deploy|diff|destroy|output -- <stacks>${output}\n` +
      `  - to switch to the selected config: ${select}npm run synth${output ? ` --${output}` : ""}, review the output, ` +
      `then ${select}npm run deploy -- <stacks>${output}`);
    this.name = "ConfigSwitchError";
  }
}

/** Whether `outdir` is cdktf.out of the current folder, where every command writes by default. */
function isDefaultOutput(outdir: string): boolean {
  return path.resolve(outdir) === path.resolve(DEFAULT_OUTPUT);
}

/** `word` as one shell word: as it is when that is safe, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
