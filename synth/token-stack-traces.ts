/**
 * cdktf records a full stack trace (Error.stackTraceLimit = MAX_SAFE_INTEGER, then formatted)
 * for every token it creates, on a plain `{ stack: "" }` object, only to decorate rare token
 * errors. In a fleet of 50 clusters that was 1.2 s of a 4 s synth (docs/fleet.md).
 * While `run` runs, those plain objects get an empty trace (cdktf then records none); real
 * Errors are formatted as before, and the hook is put back afterwards, before anyone reads the
 * trace of an error that escapes.
 */
export function withoutTokenStackTraces<T>(run: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, frames) => {
    if (!(error instanceof Error)) return "";
    if (previous) return previous(error, frames);
    // Node's own format: the error's string, then one "at" line per frame.
    return `${String(error)}${frames.map((frame) => `\n    at ${frame}`).join("")}`;
  };
  try {
    return run();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
