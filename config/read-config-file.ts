import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "./config-error";

/**
 * The largest config file read: 1 MiB. A config with 1,000 workloads takes about a third of it
 * (362 KB, see `scripts/bench-config.js`); anything larger is a mistake (a log, an image,
 * `/dev/zero`) and is refused from its size alone, before a byte is read.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Where `CONFIG` points. A relative path is taken from the folder the user typed the command
 * in: npm runs scripts from the project root but passes the caller's folder as INIT_CWD
 * (https://docs.npmjs.com/cli/v10/commands/npm-run-script), so `CONFIG=prod.json npm run synth`
 * inside `envs/` reads `envs/prod.json`.
 */
export function resolveConfigPath(file: string, env: NodeJS.ProcessEnv, cwd: string): string {
  return path.resolve(env.INIT_CWD || cwd, file);
}

/** A sentence for each way opening a path fails that a user can cause and fix. */
const OPEN_FAILURES: Record<string, string> = {
  ENOENT: "there is no file at this path",
  ENOTDIR: "a part of this path is a file, not a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ELOOP: "too many symbolic links (a link loop?)",
  ENAMETOOLONG: "the path is too long",
  EISDIR: "this is a folder, not a file",
};

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  return "not a regular file";
}

/**
 * Reads a config file as text, refusing what is not a small UTF-8 regular file with one
 * sentence that names the resolved path. It opens the path once and checks the open file, so
 * nothing can swap the file between the check and the read; it never reads more than
 * MAX_CONFIG_BYTES + 1 bytes, whatever the file's size claims (files in /proc claim 0).
 */
export function readConfigFile(resolved: string, source: string): string {
  const refuse = (reason: string): never => {
    throw new ConfigError(source, [{ path: "CONFIG", message: `cannot use ${JSON.stringify(resolved)}: ${reason}` }]);
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO without a writer would otherwise hang here; on a regular file it changes nothing.
    fd = fs.openSync(resolved, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    return refuse(OPEN_FAILURES[code] ?? `it cannot be opened (${code || String(e)})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) refuse(`this is ${kindOf(stat)}; CONFIG must name a JSON file such as envs/example.json`);
    const tooLarge = (size: string) => refuse(`the file is ${size}; a config file is at most ${MAX_CONFIG_BYTES} bytes (1 MiB)`);
    if (stat.size > MAX_CONFIG_BYTES) tooLarge(`${stat.size} bytes`);
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_CONFIG_BYTES) tooLarge(`larger than ${MAX_CONFIG_BYTES} bytes`);
    try {
      // JSON text exchanged between systems is UTF-8 (RFC 8259, section 8.1); TextDecoder drops a leading BOM.
      return new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, length));
    } catch {
      return refuse("the file is not UTF-8 text (JSON files must be UTF-8, RFC 8259 section 8.1); save it as UTF-8");
    }
  } finally {
    fs.closeSync(fd);
  }
}
