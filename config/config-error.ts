import { printable } from "./terminal-text";
import { UserError } from "./user-error";

/** One thing wrong with the config: where, what was given, and what is allowed. */
export interface ConfigProblem {
  /** Config path, e.g. `workloads[1].objects[0].objectType`. */
  readonly path: string;
  readonly message: string;
  /** Lines of the file to print under the message, e.g. the line of a syntax error and a caret under the spot. */
  readonly excerpt?: readonly string[];
}

/**
 * A report lists this many problems and counts the rest, so a config with thousands of mistakes
 * (a generated file gone wrong, a hostile one) still fits on a screen.
 */
export const MAX_LISTED_PROBLEMS = 50;
/** Paths hold user-chosen keys of any length; a key is never needed whole to find it. */
const MAX_PATH_CHARS = 200;
const MAX_MESSAGE_CHARS = 600;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Renders one problem; everything from the config is escaped, so no control character reaches the terminal. */
function line(p: ConfigProblem): string {
  const excerpt = (p.excerpt ?? []).map((l) => `\n      ${cut(printable(l), MAX_MESSAGE_CHARS)}`).join("");
  return `  - ${cut(printable(p.path), MAX_PATH_CHARS)}: ${cut(printable(p.message), MAX_MESSAGE_CHARS)}${excerpt}`;
}

/** Every problem found in one pass. Thrown before any construct exists, so nothing is written. */
export class ConfigError extends UserError {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const hidden = problems.length - MAX_LISTED_PROBLEMS;
    super(
      `Invalid config (${cut(printable(source), MAX_PATH_CHARS)}): ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
        problems.slice(0, MAX_LISTED_PROBLEMS).map(line).join("\n") +
        (hidden > 0 ? `\n  ... and ${hidden} more problem${hidden === 1 ? "" : "s"}` : ""),
    );
    this.name = "ConfigError";
  }
}
