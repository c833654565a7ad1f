/** Bad-input suite: invalid calls rejected before any request reaches a real local server. */
module.exports = require('./jest.base.cjs')('bad-input', ['bad-input/**/*.test.ts']);
