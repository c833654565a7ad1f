/**
 * Fast suites: everything under test/ except test/slow/ (real-component suites with their own config).
 * ts-jest compiles to CommonJS with isolatedModules (no type-checking here: `npm run typecheck` does that).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  reporters: ['default', ['<rootDir>/test/support/summary-reporter.cjs', { suite: 'unit' }]],
  roots: ['<rootDir>/test'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/slow/'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      {
        tsconfig: { module: 'commonjs', moduleResolution: 'node', isolatedModules: true, esModuleInterop: true },
      },
    ],
  },
};
