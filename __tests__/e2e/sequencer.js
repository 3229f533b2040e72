/**
 * The e2e files share one node and leave their pods on it (it runs no garbage collector), so
 * their order is fixed instead of jest's (by earlier failures, durations, file size): the seed's
 * promises first, then `npm run status` (issue 23, written to run after them), then the identity
 * admission test (issue 21), which only borrows the first file's objects. Any other file runs last,
 * by name.
 */
"use strict";
const Sequencer = require("@jest/test-sequencer").default;
const path = require("path");

const ORDER = ["secrets-as-files.test.ts", "status.test.ts", "identity-admission.test.ts"];
const rank = (test) => {
  const i = ORDER.indexOf(path.basename(test.path));
  return i === -1 ? ORDER.length : i;
};

module.exports = class E2eSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
};
