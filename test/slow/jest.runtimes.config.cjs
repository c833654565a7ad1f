/** Runtimes suite: the packed package in Node 20/22/24, Bun, Deno, workerd and Chromium (test/slow/runtimes). Needs `npm run build` first. */
module.exports = require('./jest.base.cjs')('runtimes', ['runtimes/**/*.test.ts'], { testTimeout: 120_000 });
