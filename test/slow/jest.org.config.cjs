/** Org suite: `apply` through the real bin, SIGKILLed at chosen requests, then run again until it converges. */
module.exports = require('./jest.base.cjs')('org', ['org/**/*.test.ts'], { testTimeout: 300_000 });
