/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // Synthesis is CPU-bound; jest's default leaves one of two cores idle.
  maxWorkers: "100%",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // Need a running API server; `npm run test:cluster` runs them (jest.cluster.config.js).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/__tests__/cluster/"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.dev.json", diagnostics: false }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
