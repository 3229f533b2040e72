import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "./config-error";
import { DEFAULT_CONFIG } from "./default-config";
import { parseConfig } from "./parse-config";
import { AppConfig } from "./types";

/**
 * The app's only reader of files and environment for configuration: `CONFIG=<file.json>`
 * selects a user's config, otherwise the embedded default is used.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const file = env.CONFIG;
  if (!file) return parseConfig(DEFAULT_CONFIG);
  const resolved = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(resolved, "utf8");
  } catch (e) {
    throw new ConfigError(file, [{ path: "CONFIG", message: `cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? e}` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, [{ path: "(file)", message: `is not valid JSON: ${(e as Error).message}` }]);
  }
  return parseConfig(raw, file);
}
