/**
 * jest's node environment, with cdktf's token stack traces formatted by V8's plain rules instead
 * of jest's source-mapped ones.
 *
 * cdktf captures a full stack trace (no frame limit) on a plain `{ stack: "" }` object for every
 * token it creates (node_modules/cdktf/lib/tokens/private/stack-trace.js), and reads it only to
 * decorate rare token errors. A test file's code runs in its own realm, whose Error has no
 * prepareStackTrace, so V8 fell back to the worker's, where jest installs its source-map support
 * (@jest/source-map, SourceMapSupport.install): every frame of every token was mapped through
 * cdktf's inline source maps. That was about a fifth of the CPU time of `npm test`.
 *
 * Here the test realm gets a hook of its own: real Errors (every assertion, every thrown error)
 * still go to jest's formatter and keep source-mapped frames; cdktf's plain trace objects get
 * "at <frame>" lines as V8 formats them. The traces keep every frame, so token error messages
 * and synth/token-stack-traces.ts (which main.ts uses to skip them) behave as before.
 */
"use strict";
const { TestEnvironment } = require("jest-environment-node");

class CdktfTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const TestRealmError = this.global.Error;
    // `Error` here is the worker's, whose prepareStackTrace jest installs before each test file.
    TestRealmError.prepareStackTrace = (error, frames) => {
      if (error instanceof TestRealmError && typeof Error.prepareStackTrace === "function") return Error.prepareStackTrace(error, frames);
      const at = frames.map((frame) => `\n    at ${frame}`).join("");
      return error instanceof TestRealmError ? `${error}${at}` : `Error${at}`;
    };
  }
}

module.exports = CdktfTestEnvironment;
