import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { UserError } from "../config/user-error";
import { ConfigRecord, ConfigSwitchError, describeConfig, readConfigRecord, writeConfigRecord } from "./config-record";
import { repairCdktfHcl } from "./hcl-fixups";
import { warnIdentitySwitches } from "./identity-switches";
import { carryOverUserFiles, configBoundFiles, discardStaging, prepareOutputFolder, recoverInterruptedSynths } from "./output-folder";
import { writeStackReadmes } from "./stack-readme";

export interface SynthesisOptions {
  /**
   * Which config produced this output; written to the output and compared with the record the
   * previous synth left there.
   * @default - no record is written or checked
   */
  readonly record?: ConfigRecord;
  /**
   * The cdktf CLI runs the app. Then synthesis refuses
   * - to replace output that another config produced: `cdktf deploy`, `diff` and `destroy`
   *   re-synthesize by themselves, and a CONFIG forgotten there would silently deploy another
   *   config (the embedded default, with a local backend);
   * - to keep the folder of a stack that no longer exists when it holds user files: the CLI
   *   deletes such folders after every synth (@cdktf/cli-core synth-stack.js, "orphanedDirectories").
   * @default false - `npm run synth`, which is how a checkout switches configs
   */
  readonly byCdktfCli?: boolean;
}

/**
 * Synthesizes into a fresh staging folder and swaps it in only when every stack succeeded.
 * cdktf writes stacks one by one, so a failure in the second stack would otherwise leave a
 * half-written output; a fresh folder also means `--hcl` never leaves a stale cdk.tf.json
 * beside cdk.tf. Files users keep in stack folders (tfplan, *.tfvars, override.tf, state) are
 * copied into the new output before the swap, so nothing of theirs is lost.
 */
export function synthesizeAtomically(
  build: (outdir: string) => App,
  outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out",
  options: SynthesisOptions = {},
): void {
  const target = path.resolve(outdir);
  prepareOutputFolder(target, outdir);
  recoverInterruptedSynths(target);
  const previousRecord = readConfigRecord(target);
  if (options.byCdktfCli && options.record && previousRecord && previousRecord.config !== options.record.config) {
    throw new ConfigSwitchError(outdir, previousRecord, options.record);
  }
  if (options.record && previousRecord && previousRecord.config !== options.record.config) {
    const bound = configBoundFiles(target);
    if (bound.length > 0) throw new ConfigBoundFilesError(outdir, previousRecord, options.record, bound);
  }
  const staging = `${target}.staging-${process.pid}`;
  const previous = `${target}.previous-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  // Let every stack finish so all error annotations are reported at once, then judge them below.
  const continueOnErrors = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
  try {
    const app = build(staging);
    if (previousRecord?.config === options.record?.config) warnIdentitySwitches(app, target);
    app.synth();
    // Under `cdktf synth` (CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS) cdktf writes stacks despite
    // error annotations and leaves the verdict to the CLI; the staged output must not replace anything then.
    const errors = errorAnnotations(staging);
    if (errors.length > 0) throw new SynthesisError(errors);
    repairHclOutput(app, staging);
    writeStackReadmes(app, staging);
    if (options.record) writeConfigRecord(staging, options.record);
    const orphans = carryOverUserFiles(target, staging, { sameConfig: previousRecord?.config === options.record?.config });
    if (options.byCdktfCli && orphans.length > 0) {
      throw new UserError(`The cdktf CLI deletes the folders of stacks that no longer exist, and these hold your files: ` +
        `${orphans.map((o) => path.join(outdir, "stacks", o)).join(", ")}. Move the files out, or run npm run synth, which keeps them`);
    }
  } catch (e) {
    discardStaging(staging, target);
    throw e;
  } finally {
    if (continueOnErrors === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = continueOnErrors;
  }
  if (fs.existsSync(target)) fs.renameSync(target, previous);
  fs.renameSync(staging, target);
  fs.rmSync(previous, { recursive: true, force: true });
}

/**
 * A switch of configs would carry files of the previous config into the new one's stack folders,
 * where Terraform would use them. They are the user's, so they are listed, never deleted.
 */
export class ConfigBoundFilesError extends UserError {
  constructor(outdir: string, previous: ConfigRecord, current: ConfigRecord, files: readonly { file: string; why: string }[]) {
    const select = current.config === null ? "" : `CONFIG=${current.config} `;
    super(`Refusing to synthesize ${describeConfig(current)} into ${outdir}: it holds output of ${describeConfig(previous)}, ` +
      `and these files of that config would stay beside the new one's code:\n` +
      files.map(({ file, why }) => `  - ${path.join(outdir, file)}: ${why}`).join("\n") + "\n" +
      `Nothing was changed. Move them out of ${outdir}, or synthesize the new config into another folder: ${select}npm run synth -- --output <folder>`);
    this.name = "ConfigBoundFilesError";
  }
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

function repairHclOutput(app: App, outdir: string): void {
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    const file = path.join(outdir, "stacks", stack.node.id, "cdk.tf");
    if (!fs.existsSync(file)) continue;
    fs.writeFileSync(file, repairCdktfHcl(fs.readFileSync(file, "utf8"), stack.toTerraform()));
  }
}
