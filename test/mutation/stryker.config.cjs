/**
 * Mutation testing (StrykerJS, jest runner, per-test coverage) of the modules whose logic is subtle and where
 * hostile input got through before: the key scrub and the rate-limit wait. Run by scripts/slow/mutation.sh (the
 * `mutation` slow suite), one module at a time, each with `thresholds.break` 90 (% of mutants killed).
 *
 * Survivors judged equivalent (no test can tell them from the original) are listed with the reason in docs/mutation.md.
 * Stryker is not a dependency: scripts/slow/mutation.sh installs it into a temp prefix.
 */
const path = require('node:path');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
module.exports = {
  testRunner: 'jest',
  jest: { configFile: 'test/mutation/jest.stryker.config.cjs', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  mutate: ['src/core/pacing/rate-limit-wait.ts', 'src/core/base/scrub.ts'],
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  tempDirName: path.join('.stryker-tmp'),
  // ts-jest compiles as the fast suites do; type errors are the typecheck step's job.
  checkers: [],
  disableTypeChecks: '{src,generated,test}/**/*.ts',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  dryRunTimeoutMinutes: 15,
  ignoreStatic: false,
};
