/**
 * The end-to-end tests: the app's workload objects on a one-node cluster with the real Secrets
 * Store CSI driver and Azure provider, against a fake Azure on loopback. They need the node that
 * `scripts/e2e/node.sh test` (npm run test:e2e) builds and starts, so they are kept out of the
 * default `npm test` (see testPathIgnorePatterns in jest.config.js).
 */
const base = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/e2e"],
  testPathIgnorePatterns: ["/node_modules/"],
  // One node and one fake Azure: the tests run in order and share the pods they wait for.
  maxWorkers: 1,
  testSequencer: "<rootDir>/__tests__/e2e/order.js",
  testTimeout: 180_000,
};
