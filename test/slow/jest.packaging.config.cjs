/** Packaging suite: npm pack, fresh consumer projects (ESM, CJS, TypeScript node16/bundler), publint, attw. */
module.exports = require('./jest.base.cjs')('packaging', ['packaging/**/*.test.ts'], { testTimeout: 300_000 });
