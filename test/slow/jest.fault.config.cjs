/** Fault suite: retries, timeouts and broken responses from a real node:http server on 127.0.0.1. */
module.exports = require('./jest.base.cjs')('fault', ['fault/**/*.test.ts']);
