/**
 * What a browser bundle gets in place of the node:http transport and of the response-validators loader
 * (package.json's "browser" map): a module with no exports, so that their callers fall back (to fetch; to
 * "pass the validators in") as they do for any module without the export. An empty ES module rather than `false`:
 * a bundler turns `false` into an empty CommonJS module, and every `import()` of one into CommonJS interop helpers
 * (about 0.24 KB gzip of a single-file bundle, README "bench"), which an ES module does not need.
 */
export {};
