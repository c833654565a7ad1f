// ESLint 9 flat config: typescript-eslint's type-aware rules (recommendedTypeChecked) over the hand-written code.
// generated/ is hey-api's output (regenerated, never edited) and dist/ is build output: neither is linted.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The any-typed rules, off where untyped data is the subject matter (see each block's reason). */
const untyped = {
  '@typescript-eslint/no-explicit-any': 'off',
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
};

export default tseslint.config(
  {
    ignores: [
      'generated/**',
      'dist/**',
      'bench/.build/**',
      'docs/api/**',
      'bench/results/**',
      'tmp/**',
      'node_modules/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Bug catchers beyond the recommended set.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Comma sequences as statements are a house idiom (`if (x) a(), (b = c);`); the rule cannot allow them.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Transports throw and reject with TransportFailure records on purpose; the request loop turns them into errors.
      '@typescript-eslint/only-throw-error': ['error', { allow: [{ from: 'file', name: 'TransportFailure' }] }],
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingUnknown: true, allow: [{ from: 'file', name: 'TransportFailure' }] },
      ],
    },
  },
  {
    // Handlers read inputs the request validator already checked: Ctx.body and Ctx.query are `any` by design.
    files: ['src/testing/handlers/**/*.ts'],
    rules: untyped,
  },
  {
    // The generator and spec tools walk parsed YAML (openapi.yaml, upstream): an untyped tree read by key.
    files: ['scripts/**/*.ts'],
    rules: untyped,
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests parse untyped JSON bodies and feed deliberately ill-typed input to the client.
      ...untyped,
      // Stand-ins for fetch, sleep and servers implement promise-returning interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      // expect(obj.method) and jest.spyOn hand methods around without calling them.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.cjs', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['test/support/every-test-asserts.cjs'],
    languageOptions: { globals: { ...globals.jest } },
  },
);
