import * as fs from "fs";
import * as path from "path";
import { UserError } from "../config/user-error";
import { CONFIG_RECORD_FILE } from "./config-record";

/** What a synth writes itself; everything else in the output folder belongs to the user and is kept. */
const GENERATED_AT_ROOT = new Set(["manifest.json", "stacks", CONFIG_RECORD_FILE]);
/** cdk.tf and cdk.tf.json are always regenerated, so a JSON synth never keeps a stale cdk.tf from an --hcl synth (Terraform would load both). */
const GENERATED_IN_STACK = new Set(["cdk.tf.json", "cdk.tf", "metadata.json"]);
/** Terraform's working directory: provider binaries (hundreds of MB, so moved, not copied) and the backend it was initialized with. */
const TERRAFORM_DATA_DIR = ".terraform";
/**
 * Where .terraform remembers the initialized backend and the selected workspace. Under another
 * config the backend differs, and `terraform init` would stop at "Backend configuration changed
 * ... -migrate-state"; without these files it initializes the new backend and keeps the providers.
 */
const BACKEND_MEMORY = ["terraform.tfstate", "environment"];

/**
 * Makes sure the output folder can be created: it does not contain the current folder, its
 * parent exists (created if needed) and is writable, and the folder itself is not a file. Each problem is one line, not an ENOENT trace.
 */
export function prepareOutputFolder(target: string, shown = target): void {
  // The output folder is replaced as a whole: it must never be the project or a folder around it.
  if (!path.relative(target, process.cwd()).startsWith("..")) {
    throw new UserError(`Cannot use output folder ${shown}: it contains the current folder, and synthesis replaces the output folder as a whole`);
  }
  const parent = path.dirname(target);
  const existing = nearestExisting(parent);
  if (!fs.statSync(existing).isDirectory()) {
    throw new UserError(`Cannot use output folder ${shown}: ${path.relative(process.cwd(), existing) || existing} is a file, not a folder`);
  }
  try {
    createBelow(existing, parent);
    fs.accessSync(parent, fs.constants.W_OK);
  } catch (e) {
    throw new UserError(`Cannot use output folder ${shown}: ${parent} cannot be created or written (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  if (fs.existsSync(target) && !fs.statSync(target).isDirectory()) {
    throw new UserError(`Cannot use output folder ${shown}: it exists and is not a folder`);
  }
}

/** `dir` itself or its nearest ancestor that exists (the root always does). */
function nearestExisting(dir: string): string {
  let d = dir;
  while (!fs.existsSync(d) && d !== path.dirname(d)) d = path.dirname(d);
  return d;
}

/**
 * Creates the folders from `existing` down to `dir`, one level at a time. Node's recursive
 * mkdirSync never returns where a folder exists but refuses children with ENOENT (procfs:
 * `--output /proc/foo/bar` spun at 100% CPU); a plain mkdirSync per level fails at once.
 */
function createBelow(existing: string, dir: string): void {
  const missing = path.relative(existing, dir).split(path.sep).filter(Boolean);
  let d = existing;
  for (const name of missing) fs.mkdirSync((d = path.join(d, name)));
}

/**
 * Cleans up after synths that were killed: `<outdir>.staging-<pid>` and `<outdir>.previous-<pid>`
 * folders whose process no longer exists. A synth killed between its two renames left the old
 * output only in its `.previous-` folder, which is moved back; the Terraform working directory a
 * killed synth had already moved into its staging folder goes back to the output too.
 */
export function recoverInterruptedSynths(target: string): void {
  const dir = path.dirname(target);
  const leftovers = fs.readdirSync(dir)
    .map((name) => ({ name, match: /^(.*)\.(staging|previous)-(\d+)$/.exec(name) }))
    .filter(({ match }) => match && match[1] === path.basename(target) && !isRunning(Number(match[3])))
    .map(({ name, match }) => ({ folder: path.join(dir, name), kind: match![2] }));
  for (const { folder } of leftovers.filter((l) => l.kind === "previous")) {
    if (fs.existsSync(target)) fs.rmSync(folder, { recursive: true, force: true });
    else fs.renameSync(folder, target);
  }
  for (const { folder } of leftovers.filter((l) => l.kind === "staging")) discardStaging(folder, target);
}

/**
 * Removes a staging folder that will not be swapped in. The only originals it can hold are the
 * .terraform folders carried over from `target` (moved, not copied); they go back first.
 */
export function discardStaging(staging: string, target: string): void {
  for (const stack of subfolders(path.join(staging, "stacks"))) {
    const data = path.join(staging, "stacks", stack, TERRAFORM_DATA_DIR);
    const home = path.join(target, "stacks", stack);
    if (fs.existsSync(data) && fs.existsSync(home) && !fs.existsSync(path.join(home, TERRAFORM_DATA_DIR))) {
      fs.renameSync(data, path.join(home, TERRAFORM_DATA_DIR));
    }
  }
  fs.rmSync(staging, { recursive: true, force: true });
}

/**
 * Files in stack folders that belong to the config that produced them, and that Terraform would
 * use with another config's code in the same folder: it loads override files and auto-loaded
 * variable files by itself (https://developer.hashicorp.com/terraform/language/files/override,
 * https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files),
 * and a state file or saved plan describes the other config's resources.
 */
const CONFIG_BOUND: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  { pattern: /^(.+_)?override\.tf(\.json)?$/, why: "an override file, which Terraform merges into the configuration" },
  { pattern: /^(terraform\.tfvars(\.json)?|.+\.auto\.tfvars(\.json)?)$/, why: "a variables file, which Terraform loads by itself" },
  { pattern: /^terraform\.tfstate(\.backup)?$/, why: "a state file of the other config" },
  { pattern: /^(tfplan|.+\.tfplan)$/, why: "a saved plan of the other config" },
];

/** The files of `outdir`'s stack folders that another config must not inherit (paths relative to `outdir`). */
export function configBoundFiles(outdir: string): { readonly file: string; readonly why: string }[] {
  return subfolders(path.join(outdir, "stacks")).flatMap((stack) => fs.readdirSync(path.join(outdir, "stacks", stack)).sort()
    .flatMap((name) => {
      const kind = CONFIG_BOUND.find((k) => k.pattern.test(name));
      return kind ? [{ file: path.join("stacks", stack, name), why: kind.why }] : [];
    }));
}

/**
 * Brings what users keep in the output into the staged output: any file or folder that this synth
 * did not generate (tfplan, *.tfvars, override.tf, terraform.tfstate, notes), including stack
 * folders of stacks that no longer exist. Files are copied, so until the swap the old output still
 * holds the originals and an interrupted synth loses nothing; only .terraform is moved.
 * @returns the stacks whose folders were carried although this synth did not write them
 */
export function carryOverUserFiles(from: string, to: string, { sameConfig }: { sameConfig: boolean }): string[] {
  if (!fs.existsSync(from)) return [];
  const orphans: string[] = [];
  for (const entry of fs.readdirSync(from)) {
    if (!GENERATED_AT_ROOT.has(entry) && !fs.existsSync(path.join(to, entry))) copy(path.join(from, entry), path.join(to, entry));
  }
  for (const stack of subfolders(path.join(from, "stacks"))) {
    const source = path.join(from, "stacks", stack);
    const destination = path.join(to, "stacks", stack);
    if (!fs.existsSync(destination) && fs.readdirSync(source).some((entry) => !GENERATED_IN_STACK.has(entry))) orphans.push(stack);
    for (const entry of fs.readdirSync(source)) {
      if (GENERATED_IN_STACK.has(entry) || fs.existsSync(path.join(destination, entry))) continue;
      fs.mkdirSync(destination, { recursive: true });
      if (entry !== TERRAFORM_DATA_DIR) {
        copy(path.join(source, entry), path.join(destination, entry));
        continue;
      }
      fs.renameSync(path.join(source, entry), path.join(destination, entry));
      if (!sameConfig) {
        for (const file of BACKEND_MEMORY) fs.rmSync(path.join(destination, entry, file), { force: true });
      }
    }
  }
  return orphans;
}

function copy(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
}

function subfolders(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
}

/** Signal 0 only checks that the process exists; EPERM means it exists under another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
