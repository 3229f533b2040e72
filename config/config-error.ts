import { UserError } from "./user-error";

/** One thing wrong with the config: where, what was given, and what is allowed. */
export interface ConfigProblem {
  /** Config path, e.g. `workloads[1].objects[0].objectType`. */
  readonly path: string;
  readonly message: string;
}

/** Every problem found in one pass. Thrown before any construct exists, so nothing is written. */
export class ConfigError extends UserError {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid config (${source}): ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}
