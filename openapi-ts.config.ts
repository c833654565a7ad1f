import { defineConfig } from '@hey-api/openapi-ts';

// Drives `npm run generate` (scripts/generate.ts). The output is committed and never edited by hand.
export default defineConfig({
  // The leading './' matters: a bare name is looked up as a registry package.
  input: './openapi.yaml',
  output: {
    path: './generated/client',
    // Explicit so that the output runs as native ESM and as CommonJS after compilation.
    module: { extension: '.js' },
  },
  logs: { file: false, level: 'warn' },
  plugins: [
    // Bundled into the output: the separate runtime package is deprecated.
    '@hey-api/client-fetch',
    '@hey-api/typescript',
    '@hey-api/sdk',
  ],
});
