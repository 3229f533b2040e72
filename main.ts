import { ConfigError } from "./config/config-error";
import { loadConfig } from "./config/load-config";
import { buildApp } from "./stacks/build-app";
import { synthesizeAtomically, SynthesisError } from "./stacks/synthesize";

try {
  const config = loadConfig();
  synthesizeAtomically((outdir) => buildApp(config, { outdir }).app);
} catch (e) {
  if (!(e instanceof ConfigError || e instanceof SynthesisError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
