#!/usr/bin/env node
/**
 * jest-counts.js <jest --json report>: the line CI closes its log with, "N passed, N failed",
 * plus ", N skipped" when tests were skipped, each then named on a line of its own that starts
 * with "SKIPPED" (a test that cannot run here says so; it never counts as passed).
 * Exits 1 when the report holds no test at all.
 */
const fs = require("fs");
const report = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const skipped = report.testResults.flatMap((file) => file.assertionResults
  .filter((t) => t.status === "pending" || t.status === "skipped" || t.status === "todo")
  .map((t) => t.fullName));
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed` + (skipped.length > 0 ? `, ${skipped.length} skipped` : ""));
for (const name of skipped) console.log(`  ${name.includes("SKIPPED") ? name : `SKIPPED: ${name}`}`);
if (report.numTotalTests === 0) process.exit(1);
