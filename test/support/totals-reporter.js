/**
 * Writes the run's totals to .test-results.json so that .ci/run can print
 * "N passed, N failed" as its last line, whatever Jest printed before.
 */
const { writeFileSync } = require('node:fs');

class TotalsReporter {
  onRunComplete(_contexts, results) {
    const totals = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests,
    };
    writeFileSync('.test-results.json', JSON.stringify(totals));
  }
}
module.exports = TotalsReporter;
