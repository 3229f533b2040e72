/**
 * The cluster tests: the workload's objects against a real kube-apiserver. They need the local
 * control plane that `scripts/control-plane.sh test` (npm run test:cluster) builds and starts,
 * so they are kept out of the default `npm test` (see testPathIgnorePatterns in jest.config.js).
 */
const base = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/cluster"],
  testPathIgnorePatterns: ["/node_modules/"],
  // One API server: files run one after another, and each test waits on it.
  maxWorkers: 1,
  testTimeout: 120_000,
};
