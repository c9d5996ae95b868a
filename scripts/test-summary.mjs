// Prints one plain line, `N passed, N failed`, from vitest's JSON report.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "test-output/vitest.json";
let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0) - (report.numFailedTests > 0 ? 0 : 0);
console.log(`${passed} passed, ${report.numFailedTests ?? 0} failed`);
process.exit(failed > 0 ? 1 : 0);
