// Prints the closing line CI reads, `N passed, N failed[, N skipped]`, from Vitest's JSON report.
// When `npm test` stopped before Vitest (lint, types, build), that step counts as one failure.
import { readFileSync } from 'node:fs';

const exitStatus = Number(process.argv[2] ?? 0);
let report;
try {
  report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
} catch {
  console.log(exitStatus === 0 ? '0 passed, 0 failed' : '0 passed, 1 failed');
  process.exit(0);
}
const passed = report.numPassedTests;
// A failed file that never ran its tests (an import error) is a failure too.
const failedFiles = report.testResults.filter(
  (file) => file.status === 'failed' && file.assertionResults.length === 0,
).length;
const failed = report.numFailedTests + failedFiles;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
