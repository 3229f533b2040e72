import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./helpers/temp";

/** scripts/jest-counts.js: the test counts that close CI's log. */
const SCRIPT = path.join(__dirname, "..", "scripts", "jest-counts.js");

function counts(report: object) {
  const file = path.join(tempDir("jest-counts-"), "report.json");
  fs.writeFileSync(file, JSON.stringify(report));
  const result = spawnSync(process.execPath, [SCRIPT, file], { encoding: "utf8" });
  return { status: result.status, out: result.stdout };
}

const file = (...tests: [string, string][]) => ({ assertionResults: tests.map(([fullName, status]) => ({ fullName, status })) });

test("prints passed and failed, and nothing about skips when none were skipped", () => {
  expect(counts({ numPassedTests: 2, numFailedTests: 0, numTotalTests: 2, testResults: [file(["a", "passed"], ["b", "passed"])] }))
    .toEqual({ status: 0, out: "2 passed, 0 failed\n" });
});

test("counts skipped tests and names each one as SKIPPED", () => {
  const report = {
    numPassedTests: 1, numFailedTests: 0, numTotalTests: 3,
    testResults: [file(["a", "passed"], ["validate SKIPPED: needs a mirror", "pending"]), file(["b", "skipped"])],
  };
  expect(counts(report)).toEqual({ status: 0, out: "1 passed, 0 failed, 2 skipped\n  validate SKIPPED: needs a mirror\n  SKIPPED: b\n" });
});

test("fails when the report holds no test at all", () => {
  expect(counts({ numPassedTests: 0, numFailedTests: 0, numTotalTests: 0, testResults: [] }).status).toBe(1);
});
