/**
 * The order of the e2e test files on one node. They share the node, and a file's pods keep asking
 * the Azure provider for their secrets after it ends (rotation), through whichever fake Azure the
 * next file started; the seed's promises (secrets-as-files, with its check that its fake saw no
 * request for a name it does not serve) run first, on a clean node. Files not listed follow by name.
 * Jest's default order (by past duration and size) would change with every new file.
 */
const Sequencer = require("@jest/test-sequencer").default;
const path = require("path");

const FIRST = ["secrets-as-files.test.ts", "status.test.ts", "rotation.test.ts"];

class E2eOrder extends Sequencer {
  sort(tests) {
    const rank = (t) => {
      const i = FIRST.indexOf(path.basename(t.path));
      return i === -1 ? FIRST.length : i;
    };
    return [...tests].sort((a, b) => rank(a) - rank(b) || path.basename(a.path).localeCompare(path.basename(b.path)));
  }
}

module.exports = E2eOrder;
