import * as fs from "fs";
import * as path from "path";
import { UserError } from "../config/user-error";
import { DEFAULT_OUTPUT, describeConfig, readConfigRecord } from "./config-record";

/** How main.ts was started, and what it should write where. */
export interface SynthRun {
  readonly outdir: string;
  readonly hcl: boolean;
  /**
   * True when the cdktf CLI runs the app (cdktf.json "app", no arguments): for `cdktf deploy`,
   * `diff`, `destroy` and `output` it re-synthesizes, and must not switch configs behind the
   * user's back. False for `npm run synth` (`main.ts synth`), which runs without the CLI.
   */
  readonly byCdktfCli: boolean;
}

const USAGE = "usage: npm run synth [-- --hcl] [-- --output <folder>]";

/**
 * Reads main.ts's arguments. The cdktf CLI passes none and sets CDKTF_OUTDIR and
 * SYNTH_HCL_OUTPUT; `npm run synth` passes `synth`, optionally `--hcl` and `--output <folder>`.
 */
export function synthRunFrom(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SynthRun {
  const outdirFromEnv = env.CDKTF_OUTDIR || DEFAULT_OUTPUT;
  if (argv.length === 0) return { outdir: outdirFromEnv, hcl: env.SYNTH_HCL_OUTPUT === "true", byCdktfCli: true };
  if (argv[0] !== "synth") throw new UserError(`unknown command ${JSON.stringify(argv[0])}; ${USAGE}`);
  const { outdir = outdirFromEnv, rest } = outputOption(argv.slice(1));
  const unknown = rest.find((arg) => arg !== "--hcl");
  if (unknown !== undefined) throw new UserError(`unknown argument ${JSON.stringify(unknown)}; ${USAGE}`);
  if (!outdir) throw new UserError(`--output needs a folder; ${USAGE}`);
  return { outdir, hcl: rest.includes("--hcl"), byCdktfCli: false };
}

/**
 * The output folder named on a command line, the way both `npm run synth` and the cdktf CLI
 * read it (`--output <folder>`, `--output=<folder>`, `-o <folder>`; the last one wins), and the
 * other arguments. A flag without a folder is left in `rest`.
 */
export function outputOption(args: readonly string[]): { outdir?: string; rest: string[] } {
  let outdir: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith("--output=")) outdir = arg.slice("--output=".length);
    else if ((arg === "--output" || arg === "-o") && args[i + 1] !== undefined) outdir = args[++i];
    else rest.push(arg);
  }
  return { outdir, rest };
}

/**
 * The way from a stack folder (`<outdir>/stacks/<stack>`, where Terraform runs) back to the
 * project, e.g. `../../..` for cdktf.out. The local backend writes its state paths relative to it,
 * so they work from any output folder in the project and contain no machine path. An output
 * folder outside the project is written as if it were cdktf.out, like a copy of it: only a
 * machine path could reach the project from there.
 */
export function projectFromStackFolder(outdir: string, cwd = process.cwd()): string {
  const stackFolder = path.join(path.resolve(cwd, outdir), "stacks", "stack");
  const fromProject = path.relative(cwd, stackFolder);
  if (fromProject.startsWith("..") || path.isAbsolute(fromProject)) return "../../..";
  return path.relative(stackFolder, cwd).split(path.sep).join("/");
}

/** What `npm run synth` prints: the annotations the CLI would print, then one summary line. */
export function synthSummary(outdir: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const stacks = manifest.stacks as Record<string, { annotations: { level: string; constructPath: string; message: string }[] }>;
  const levels: Record<string, string> = { "@cdktf/info": "INFO", "@cdktf/warn": "WARN" };
  const lines = Object.values(stacks).flatMap((s) => s.annotations)
    .filter((a) => a.level in levels)
    .map((a) => `${levels[a.level]} [${a.constructPath}]: ${a.message}`);
  const record = readConfigRecord(outdir);
  lines.push(`Generated Terraform code for the stacks: ${Object.keys(stacks).join(", ")} in ${outdir}` +
    (record ? `, from ${describeConfig(record)}` : ""));
  return lines.join("\n");
}
