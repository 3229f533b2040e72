/** @type {import('jest').Config} */
module.exports = {
  // jest's node environment, with cdktf's token stack traces formatted without source maps.
  testEnvironment: "<rootDir>/scripts/jest-environment.js",
  // Synthesis is CPU-bound; jest's default leaves one of two cores idle.
  maxWorkers: "100%",
  // A worker that synthesized many apps holds 700+ MB of heap; on a busy machine it did not exit
  // within jest's grace period at the end of a run ("A worker process has failed to exit
  // gracefully"). Workers above this after a test file are replaced by fresh ones
  // (https://jestjs.io/docs/configuration#workeridlememorylimit-numberstring).
  workerIdleMemoryLimit: "600MB",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Run the terraform binary (`npm run test:terraform`, jest.terraform.config.js), or need a
  // running API server (`npm run test:cluster`, jest.cluster.config.js) or a whole node
  // (`npm run test:e2e`, jest.e2e.config.js).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/terraform/", "<rootDir>/__tests__/cluster/", "<rootDir>/__tests__/e2e/"],
  // sucrase, without a type-check (that is `npm run typecheck`): see scripts/jest-transform.js.
  transform: { "^.+\\.ts$": "<rootDir>/scripts/jest-transform.js" },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
