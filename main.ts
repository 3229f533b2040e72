import { loadConfig } from "./config/load-config";
import { exitOnUserError } from "./config/user-error";
import { buildStacks } from "./stacks/build-app";
import { configRecord } from "./synth/config-record";
import { projectFromStackFolder, synthRunFrom, synthSummary } from "./synth/synth-command";
import { synthesizeAtomically } from "./synth/synthesize";
import { withoutTokenStackTraces } from "./synth/token-stack-traces";

exitOnUserError(() => {
  const run = synthRunFrom(process.argv.slice(2));
  const config = loadConfig();
  const projectFromStack = projectFromStackFolder(run.outdir);
  // cdktf's stacks read the output format from the environment, not from App's hclOutput prop.
  process.env.SYNTH_HCL_OUTPUT = String(run.hcl);
  withoutTokenStackTraces(() => synthesizeAtomically((outdir) => buildStacks(config, { outdir }, { projectFromStack }).app, run.outdir,
    { record: configRecord(), byCdktfCli: run.byCdktfCli }));
  if (!run.byCdktfCli) console.log(synthSummary(run.outdir));
});
