// Reads vitest's JSON report and prints the one line CI reads: "N passed, N failed".
// A failed lint, type check or a run that produced no report counts as a failure.
import { readFileSync } from 'node:fs';

const [file, lintFailed, status] = process.argv.slice(2);
let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.numPassedTests;
  // A file that failed to load has no test results of its own; skipped and todo tests hide missing work.
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  failed = report.numFailedTests + brokenFiles + report.numPendingTests + report.numTodoTests;
} catch {
  console.log('ci: no test report (the type check or the test run failed before any test ran)');
  failed += 1;
}
if (lintFailed === '1') {
  console.log('ci: lint failed');
  failed += 1;
}
if (status !== '0' && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
