/**
 * The fast suites as StrykerJS runs them (test/mutation/stryker.config.cjs): the main jest config, with `src` and
 * `generated` in `roots` — Stryker finds the tests of a mutated file with jest's findRelatedTests, which silently
 * finds none for a file outside `roots`. A separate config, so that the everyday runs keep their single root.
 */
const main = require('../../jest.config.cjs');
const path = require('node:path');

/** The suites of each module in test/mutation/stryker.config.cjs's mutate list. */
const TESTS = {
  'src/core/base/scrub.ts': ['test/core/base/scrub.test.ts'],
  'src/core/pacing/rate-limit-wait.ts': ['test/core/pacing/rate-limit-wait.test.ts', 'test/core/pacing/pacing.test.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  ...main,
  rootDir: path.join(__dirname, '..', '..'),
  roots: ['<rootDir>/src', '<rootDir>/generated', '<rootDir>/test'],
  // The suites that hold each mutated module's behaviour (scripts/slow/mutation.sh names the module in
  // STRYKER_MODULE): the whole fast suite would be minutes of initial run, and integration suites that reach the
  // module through a client cost seconds per mutant. A test elsewhere that kills a mutant is no reason to leave it
  // out of these: the module's own tests must hold its behaviour.
  testMatch: (TESTS[process.env.STRYKER_MODULE ?? ''] ?? Object.values(TESTS).flat()).map((t) => `<rootDir>/${t}`),
  // Stryker's own reporter says what survived; the summary line comes from scripts/slow/mutation.sh.
  reporters: ['default'],
};
