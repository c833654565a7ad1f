/** Browser suite: the built ESM output in Debian's Chromium, driven by playwright-core. */
module.exports = require('./jest.base.cjs')('browser', ['browser/**/*.test.ts'], { testTimeout: 120_000 });
