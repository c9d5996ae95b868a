// Prints one plain line, `N passed, N failed`, from vitest's JSON report.
// A test file that failed to load counts as one failure, so a broken suite never reads as green.
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
const brokenFiles = (report.testResults ?? []).filter(
  (result) => result.status === "failed" && (result.assertionResults ?? []).length === 0,
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || report.success === false ? 1 : 0);
