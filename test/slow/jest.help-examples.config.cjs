/**
 * Help-examples suite: every example `openai-admin … --help` shows, run in bash against a running emulator
 * (~140 child processes: a few minutes on a shared machine, so not in `npm test`).
 */
module.exports = require('./jest.base.cjs')('help-examples', ['help-examples/**/*.test.ts'], { testTimeout: 600_000 });
