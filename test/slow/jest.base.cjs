/**
 * Shared jest settings of the slow, real-component suites (test/slow/*). Each suite has its own config
 * (jest.<suite>.config.cjs) so it can run alone: `npm run test:<suite>`. Every run ends with the summary line
 * "<suite>: N passed, M failed"; SLOW_SUITE_TAG (e.g. "node 22") is appended to the suite name when set.
 */
const path = require('node:path');

/** @returns {import('jest').Config} */
module.exports = function slowSuite(suite, testMatch, extra = {}) {
  const tag = process.env.SLOW_SUITE_TAG ? ` (${process.env.SLOW_SUITE_TAG})` : '';
  return {
    rootDir: path.join(__dirname, '..', '..'),
    testEnvironment: 'node',
    roots: ['<rootDir>/test/slow'],
    testMatch: testMatch.map((m) => `<rootDir>/test/slow/${m}`),
    ...require('../support/jest.common.cjs'),
    reporters: ['default', ['<rootDir>/test/support/summary-reporter.cjs', { suite: `${suite}${tag}` }]],
    testTimeout: 30_000,
    ...extra,
  };
};
