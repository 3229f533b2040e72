/**
 * Validates the selected config before `cdktf synth` starts, so a bad config yields one clean
 * report (no CLI banner, no stack trace), a non-zero exit, and an untouched cdktf.out.
 */
import { ConfigError } from "../config/config-error";
import { loadConfig } from "../config/load-config";

try {
  loadConfig();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
