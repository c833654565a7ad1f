/**
 * The fast suites as StrykerJS runs them (test/mutation/stryker.config.cjs): the main jest config, with `src` and
 * `generated` in `roots` — Stryker finds the tests of a mutated file with jest's findRelatedTests, which silently
 * finds none for a file outside `roots`. A separate config, so that the everyday runs keep their single root.
 */
const main = require('../../jest.config.cjs');
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  ...main,
  rootDir: path.join(__dirname, '..', '..'),
  roots: ['<rootDir>/src', '<rootDir>/generated', '<rootDir>/test'],
  // The suites that exercise the mutated modules (see stryker.config.cjs): the whole fast suite would be 3 minutes
  // of initial run for mutants that only these reach. A test outside this list that kills a mutant is no reason
  // to leave it out of these: the modules' own tests must hold their behaviour.
  testMatch: [
    '<rootDir>/test/core/base/scrub.test.ts',
    '<rootDir>/test/integration/scrub.test.ts',
    '<rootDir>/test/integration/errors.test.ts',
    '<rootDir>/test/core/pacing/rate-limit-wait.test.ts',
    '<rootDir>/test/core/pacing/pacing.test.ts',
  ],
  // Stryker's own reporter says what survived; the summary line comes from scripts/slow/mutation.sh.
  reporters: ['default'],
};
