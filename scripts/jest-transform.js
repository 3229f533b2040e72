/**
 * jest's TypeScript transform: sucrase strips the types, file by file, with no type-check (the
 * type-check is `npm run typecheck`, which CI runs). tsconfig.json's `isolatedModules` makes tsc
 * refuse what a file-by-file transform cannot compile (a `const enum` read across files, a
 * re-exported type without `export type`), so the two cannot drift apart.
 *
 * It replaced ts-jest, which loaded the TypeScript compiler into every jest worker, also on a
 * warm cache, to compute its cache keys: about 10 s of CPU per `npm test` on 2 workers.
 * It uses the app's options (scripts/sucrase-options.js), so the tests run the code the app runs.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const { transform } = require("sucrase");

const { SUCRASE_OPTIONS, SUCRASE_KEY } = require("./sucrase-options");

// A change to the shared options, to sucrase or to this file must not reuse jest's cached output.
const TRANSFORM_KEY = crypto.createHash("sha1").update(SUCRASE_KEY).update(fs.readFileSync(__filename)).digest("hex");

module.exports = {
  process(source, filename) {
    const { code, sourceMap } = transform(source, {
      // "jest" hoists jest.mock() calls above the imports, as ts-jest did.
      ...SUCRASE_OPTIONS,
      transforms: [...SUCRASE_OPTIONS.transforms, "jest"],
      filePath: filename,
      sourceMapOptions: { compiledFilename: filename },
    });
    return { code, map: sourceMap };
  },
  getCacheKey(source, filename) {
    return crypto.createHash("sha1").update(TRANSFORM_KEY).update("\0").update(filename).update("\0").update(source).digest("hex");
  },
};
