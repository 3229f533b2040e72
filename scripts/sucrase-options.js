/**
 * How sucrase turns this project's TypeScript into JavaScript, for the app (scripts/ts-register.js)
 * and the tests (scripts/jest-transform.js) alike, so the tests run the code the app runs.
 * Class fields and other ES2022 syntax stay native (`disableESTransforms`), as tsc emits them for
 * tsconfig.json's target ES2022 (define semantics for class fields).
 * Options: https://github.com/alangpierce/sucrase#transforms
 */
"use strict";
const crypto = require("crypto");

const SUCRASE_OPTIONS = Object.freeze({ transforms: Object.freeze(["typescript", "imports"]), disableESTransforms: true });

/** Changes with these options and the sucrase version: a cache of transpiled files must not outlive either. */
const SUCRASE_KEY = crypto.createHash("sha1")
  .update(JSON.stringify(SUCRASE_OPTIONS))
  .update(require("sucrase/package.json").version)
  .digest("hex");

module.exports = { SUCRASE_OPTIONS, SUCRASE_KEY };
