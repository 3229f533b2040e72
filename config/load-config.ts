import { ConfigError, ConfigProblem } from "./config-error";
import { DEFAULT_CONFIG } from "./default-config";
import { parseConfig } from "./parse-config";
import { parseJsonText } from "./parse-json-text";
import { readConfigFile, resolveConfigPath } from "./read-config-file";
import { AppConfig } from "./types";

/**
 * The app's only reader of files and environment for configuration: `CONFIG=<file.json>`
 * selects a user's config, otherwise the embedded default is used.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const file = env.CONFIG;
  if (!file) return parseConfig(DEFAULT_CONFIG);
  const text = readConfigFile(resolveConfigPath(file, env, cwd), file);
  const parsed = parseJsonText(text, file);
  if (parsed.problems.length === 0) return parseConfig(parsed.value, file);
  // A duplicate key or a huge number hides nothing else: check the fields too and report all at once.
  let fieldProblems: readonly ConfigProblem[] = [];
  try {
    parseConfig(parsed.value, file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    fieldProblems = e.problems;
  }
  // The field check would only repeat a huge number's problem, as "Infinity".
  const tooLarge = new Set(parsed.tooLarge);
  throw new ConfigError(file, [...parsed.problems, ...fieldProblems.filter((p) => !tooLarge.has(p.path))]);
}
