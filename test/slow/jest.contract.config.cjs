/** Contract suite: every operation against Prism serving openapi.yaml, plus the upstream drift report. */
module.exports = require('./jest.base.cjs')('contract', ['contract/**/*.test.ts'], { testTimeout: 120_000 });
