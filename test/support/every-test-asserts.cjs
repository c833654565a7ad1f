/**
 * setupFilesAfterEnv of every jest config (test/support/jest.common.cjs): a test that makes no assertion fails.
 * A test that only calls helpers which throw, or asserts inside a catch that never runs, cannot fail, so it does
 * not count as a test.
 */
beforeEach(() => {
  expect.hasAssertions();
});
