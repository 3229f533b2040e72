/**
 * The tests that run the terraform binary: init, plan, apply and destroy of provider-free
 * stand-ins, `terraform validate` with a provider mirror, `terraform fmt` and `terraform console`.
 * `npm run test:terraform` runs them, and CI right after `npm test`; they are kept out of
 * `npm test` (see testPathIgnorePatterns in jest.config.js) to keep it fast. Without a terraform
 * binary on the PATH they are skipped, and the report says so.
 */
const base = require("./jest.config");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/__tests__/terraform"],
  testPathIgnorePatterns: ["/node_modules/"],
};
