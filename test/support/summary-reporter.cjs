// Prints one closing line per jest run, "<suite>: N passed, M failed", so every CI log shows the count of
// each suite in the same form.
class SummaryReporter {
  constructor(_globalConfig, options = {}) {
    this.suite = options.suite || process.env.SUITE_NAME || 'tests';
  }
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + (results.numRuntimeErrorTestSuites || 0);
    process.stdout.write(
      `\n${this.suite}: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
  }
}
module.exports = SummaryReporter;
