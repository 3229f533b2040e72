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
  return parseConfig(parseJsonText(text, file), file);
}
