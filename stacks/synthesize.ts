import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { UserError } from "../config/user-error";
import { repairCdktfHcl } from "./hcl-fixups";
import { writeStackReadmes } from "./stack-readme";

/** Terraform's per-stack working files, kept across synths so `cdktf deploy` does not re-download providers. */
const TERRAFORM_WORKING_FILES = [".terraform", ".terraform.lock.hcl"];

/**
 * Synthesizes into a fresh staging folder and swaps it in only when every stack succeeded.
 * cdktf writes stacks one by one, so a failure in the second stack would otherwise leave a
 * half-written output; a fresh folder also means `--hcl` never leaves a stale cdk.tf.json
 * beside cdk.tf.
 */
export function synthesizeAtomically(build: (outdir: string) => App, outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out"): void {
  const target = path.resolve(outdir);
  const staging = `${target}.staging-${process.pid}`;
  const previous = `${target}.previous-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  // Let every stack finish so all error annotations are reported at once, then judge them below.
  const continueOnErrors = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
  try {
    const app = build(staging);
    app.synth();
    // Under `cdktf synth` (CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS) cdktf writes stacks despite
    // error annotations and leaves the verdict to the CLI; the staged output must not replace anything then.
    const errors = errorAnnotations(staging);
    if (errors.length > 0) throw new SynthesisError(errors);
    repairHclOutput(app, staging);
    writeStackReadmes(app, staging);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  } finally {
    if (continueOnErrors === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = continueOnErrors;
  }
  if (fs.existsSync(target)) {
    carryOverWorkingFiles(target, staging);
    fs.renameSync(target, previous);
  }
  fs.renameSync(staging, target);
  fs.rmSync(previous, { recursive: true, force: true });
}

/** Error annotations (SecurityBaseline violations and the like) that stop the output from being used. */
export class SynthesisError extends UserError {
  constructor(readonly errors: readonly string[]) {
    super(`Synthesis stopped, the previous output is unchanged: ${errors.length} error${errors.length === 1 ? "" : "s"}\n` +
      errors.map((e) => `  - ${e}`).join("\n"));
    this.name = "SynthesisError";
  }
}

function errorAnnotations(outdir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  return Object.values(manifest.stacks as Record<string, { annotations: { level: string; constructPath: string; message: string }[] }>)
    .flatMap((stack) => stack.annotations)
    .filter((a) => a.level === "@cdktf/error")
    .map((a) => `[${a.constructPath}] ${a.message}`);
}

function carryOverWorkingFiles(from: string, to: string): void {
  const stacks = path.join(from, "stacks");
  if (!fs.existsSync(stacks)) return;
  for (const stack of fs.readdirSync(stacks)) {
    const destination = path.join(to, "stacks", stack);
    if (!fs.existsSync(destination)) continue;
    for (const file of TERRAFORM_WORKING_FILES) {
      const source = path.join(stacks, stack, file);
      if (fs.existsSync(source)) fs.renameSync(source, path.join(destination, file));
    }
  }
}

function repairHclOutput(app: App, outdir: string): void {
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    const file = path.join(outdir, "stacks", stack.node.id, "cdk.tf");
    if (!fs.existsSync(file)) continue;
    fs.writeFileSync(file, repairCdktfHcl(fs.readFileSync(file, "utf8"), stack.toTerraform()));
  }
}
