#!/usr/bin/env node
// Prints vitest's JSON report as one plain "N passed, N failed" line (CI logs are read for that form).
import { readFileSync } from "node:fs";

const label = process.argv[3] ?? "tests";
const report = JSON.parse(readFileSync(process.argv[2], "utf8"));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
if (report.numTotalTests === 0) {
  console.error("No test ran.");
  process.exit(1);
}
