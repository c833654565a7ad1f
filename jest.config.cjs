/**
 * Fast suites: everything under test/ except test/slow/ (real-component suites with their own config).
 * Transform and module mapping are shared with the slow suites (test/support/jest.common.cjs).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  reporters: ['default', ['<rootDir>/test/support/summary-reporter.cjs', { suite: 'unit' }]],
  roots: ['<rootDir>/test'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/slow/'],
  ...require('./test/support/jest.common.cjs'),
};
