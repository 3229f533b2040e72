/**
 * jest's node environment, with cdktf's token stack traces left out, as `npm run synth` leaves
 * them out (main.ts runs the synth in synth/token-stack-traces.ts's withoutTokenStackTraces).
 *
 * cdktf captures a full stack trace (no frame limit) on a plain `{ stack: "" }` object for every
 * token it creates (node_modules/cdktf/lib/tokens/private/stack-trace.js), and reads it only to
 * decorate rare token errors. A test file's code runs in its own realm, whose Error has no
 * prepareStackTrace, so V8 fell back to the worker's, where jest installs its source-map support
 * (@jest/source-map, SourceMapSupport.install): every frame of every token was mapped through
 * cdktf's inline source maps. That was a third of the CPU time of `npm test`.
 *
 * Here the test realm gets a hook of its own:
 * - real Errors (every assertion, every thrown error) still go to jest's formatter, with
 *   source-mapped frames;
 * - a plain object captured from inside cdktf gets an empty trace, so cdktf records none, as in
 *   `npm run synth`;
 * - any other plain object gets V8's "at <frame>" lines (token-stack-traces.test.ts captures one
 *   as cdktf does, to prove that withoutTokenStackTraces turns them off).
 */
"use strict";
const { TestEnvironment } = require("jest-environment-node");

const CDKTF_FILE = /[\\/]node_modules[\\/]cdktf[\\/]/;

class CdktfTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const TestRealmError = this.global.Error;
    // `Error` here is the worker's, whose prepareStackTrace jest installs before each test file.
    TestRealmError.prepareStackTrace = (error, frames) => {
      if (error instanceof TestRealmError && typeof Error.prepareStackTrace === "function") return Error.prepareStackTrace(error, frames);
      if (!(error instanceof TestRealmError) && CDKTF_FILE.test(frames[0]?.getFileName() ?? "")) return "";
      const at = frames.map((frame) => `\n    at ${frame}`).join("");
      return error instanceof TestRealmError ? `${error}${at}` : `Error${at}`;
    };
  }
}

module.exports = CdktfTestEnvironment;
