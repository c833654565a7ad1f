/**
 * The jest settings every config shares (jest.config.cjs for the fast suites, test/slow/jest.base.cjs for the slow
 * ones): ts-jest compiles to CommonJS with isolatedModules (no type-checking here: `npm run typecheck` does that),
 * and `./x.js` import specifiers resolve to the TypeScript sources; every test must make at least one assertion
 * (every-test-asserts.cjs).
 */
module.exports = {
  setupFilesAfterEnv: ['<rootDir>/test/support/every-test-asserts.cjs'],
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
