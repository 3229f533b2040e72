import { loadConfig } from "./config/load-config";
import { exitOnUserError } from "./config/user-error";
import { buildApp } from "./stacks/build-app";
import { synthesizeAtomically } from "./stacks/synthesize";

exitOnUserError(() => {
  const config = loadConfig();
  synthesizeAtomically((outdir) => buildApp(config, { outdir }).app);
});
