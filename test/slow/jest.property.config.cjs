/** Property suite: fast-check properties of path and query building. */
module.exports = require('./jest.base.cjs')('property', ['property/**/*.test.ts']);
