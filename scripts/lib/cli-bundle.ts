/**
 * How the `openai-admin` bin is bundled: the one definition behind `npm run build` (the bin the package ships,
 * dist/bin/), the CLI tests (test/cli/support.ts, through scripts/bundle-cli.ts), scripts/terminal-80.ts and the
 * start-up bench.
 *
 * Why so (issue 17 §8). Node's ESM loader pays for every file it loads (resolve, stat, a read on the thread pool,
 * compile, link): tsc's output loads about 50 of them for `projects list`; in one file the same code started in
 * 1.87 × `node -e 0` where 25 chunks took 2.35 × (wall time, interleaved runs). esbuild's code splitting keeps the rarely used parts (workflows, the emulator, response
 * validators, help, the man page) out of start-up, but it puts each module in a chunk per set of entry points that
 * reach it, which spreads the start-up path over some 30 chunks. So here:
 * - every module outside the start-up path (START_UP_ROOTS and what they import) that imports a module on it imports
 *   the whole path: every start-up module is then reached from the same entry points, and they all land in one chunk;
 * - an import() of a start-up module becomes a static import (the chunk has it already; no file of its own), and
 *   so does a package's (its CommonJS named exports survive only a static import in esbuild's split output).
 * - the request checks come as JSON text (requestChecksAsText).
 * `projects list` then loads the bin, the version, that chunk and its command group's slice (generated/cli/).
 * Nothing changes what a module does: only which file its code is in and when that file is read.
 */
import { build, transform, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = 'src/cli/bin.ts';

/**
 * What a command line against the API loads anyway: the command machinery, the node:http transport and the
 * request checks (every request is checked before it is sent).
 */
export const START_UP_ROOTS = [
  'src/cli/run.ts',
  'src/core/transport/node-transport.ts',
  'src/core/validation/schema-check.ts',
  'src/core/validation/issues.ts',
  'generated/validators/requests-text.gen.ts',
];

/**
 * The request checks as JSON text (generated/validators/requests-text.gen.ts: the same exports, each operation's
 * check parsed on first read) in requests.gen.ts's place: that module's object literals are compiled and built
 * whole when it loads, where a command checks one operation's request.
 */
const requestChecksAsText: Plugin = {
  name: 'request-checks-as-text',
  setup(b) {
    b.onResolve({ filter: /\/generated\/validators\/requests\.gen\.js$/ }, () => ({
      path: join(ROOT, 'generated', 'validators', 'requests-text.gen.ts'),
      sideEffects: false,
    }));
  },
};

const common: BuildOptions = {
  absWorkingDir: ROOT,
  entryPoints: { 'openai-admin': ENTRY },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Written as ES modules, then each rewritten as CommonJS in place (asCommonJS): hence .cjs from the start, so that
  // the imports between files already name the files that will be there.
  outExtension: { '.js': '.cjs' },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
};

/**
 * The built-ins a bundled CommonJS package requires (`yaml`: process and buffer), as the objects Node's require
 * returns: bundled into ESM, a require() of a built-in would need a require function in every chunk (a
 * createRequire banner, one more import at start-up).
 */
const builtinsForPackages: Plugin = {
  name: 'builtins-for-packages',
  setup(b) {
    b.onResolve({ filter: /^(process|buffer)$/ }, (args) =>
      args.importer.includes('node_modules') ? { path: args.path, namespace: 'node-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: args.path === 'process' ? 'module.exports = process;' : 'module.exports = { Buffer };',
      loader: 'js',
    }));
  },
};

/**
 * The bin's only import, the version, as a constant: `--version` then loads one file (the version module is shared
 * with the command machinery, so it would be a chunk of its own).
 */
const versionInBin: Plugin = {
  name: 'version-in-bin',
  setup(b) {
    b.onLoad({ filter: /\/src\/cli\/bin\.ts$/ }, async (args) => {
      const { VERSION } = await import('../../src/version.js');
      const source = await readFile(args.path, 'utf8');
      const bare = source.replace(
        "import { VERSION } from '../version.js';",
        `const VERSION = ${JSON.stringify(VERSION)};`,
      );
      if (bare === source) throw new Error('src/cli/bin.ts no longer imports VERSION as versionInBin expects');
      return { contents: bare, loader: 'ts' };
    });
  },
};

/** Every module the roots import statically, transitively (paths relative to the repository, as in a metafile). */
function staticClosure(meta: Metafile, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path) || !meta.inputs[path]) return;
    seen.add(path);
    for (const i of meta.inputs[path].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  roots.forEach(visit);
  return seen;
}

const BARREL = 'openai-admin:start-up';
/** `import('…')` in source, not `typeof import('…')` (a type). */
const DYNAMIC_IMPORT = /(?<!typeof\s*)\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;

/** The plugin that makes the start-up path one chunk (see the file's comment). */
function startUpChunk(meta: Metafile): Plugin {
  const startUp = staticClosure(meta, START_UP_ROOTS);
  // Modules outside the path that import a module on it: these import the whole path (the barrel). Enough: an entry
  // point that reaches the path reaches it through one of them. Data modules that import nothing stay as they are.
  const joining = new Set(
    Object.entries(meta.inputs)
      .filter(([path, input]) => !startUp.has(path) && input.imports.some((i) => startUp.has(i.path)))
      .map(([path]) => path),
  );
  return {
    name: 'start-up-chunk',
    setup(b) {
      // Bare imports, kept although package.json says "sideEffects": false: they are here for where they put code.
      b.onResolve({ filter: new RegExp(`^${BARREL}$`) }, () => ({
        path: BARREL,
        namespace: BARREL,
        sideEffects: true,
      }));
      b.onResolve({ filter: /.*/, namespace: BARREL }, (args) => ({ path: args.path, sideEffects: true }));
      // The bin's import() of run.js resolves the same module: the same answer, or esbuild keeps the first it saw.
      b.onResolve({ filter: /^\.\/run\.js$/ }, (args) =>
        args.importer === join(ROOT, ENTRY) ? { path: join(ROOT, START_UP_ROOTS[0]), sideEffects: true } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: BARREL }, () => ({
        contents: START_UP_ROOTS.map((r) => `import ${JSON.stringify(join(ROOT, r))};`).join('\n'),
        resolveDir: ROOT,
        loader: 'js',
      }));
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const path = relative(ROOT, args.path);
        if (path === ENTRY || path.startsWith('..') || path.includes('node_modules')) return undefined;
        let source = await readFile(args.path, 'utf8');
        const statics: string[] = [];
        for (const match of [...source.matchAll(DYNAMIC_IMPORT)]) {
          const spec = match[2];
          // A package's import() is made static too: split, esbuild gives a CommonJS package's import() (yaml's)
          // a default export alone, where Node gives its named exports.
          const isPackage = !/^(\.|\/|node:)/.test(spec);
          const found = await b.resolve(spec, { resolveDir: dirname(args.path), kind: 'dynamic-import' });
          if (found.errors.length || !(isPackage || startUp.has(relative(ROOT, found.path)))) continue;
          const name = `__startUp${statics.length}`;
          statics.push(`import * as ${name} from ${JSON.stringify(spec)};`);
          source = source.replace(match[0], `Promise.resolve(${name})`);
        }
        if (joining.has(path)) statics.push(`import ${JSON.stringify(BARREL)};`);
        return { contents: `${statics.join('\n')}\n${source}`, loader: 'ts' };
      });
    },
  };
}

/**
 * Bundles the bin into `outdir` (emptied first by the caller if it wants): `openai-admin.cjs` and `chunks/`.
 * Returns the bin's path and esbuild's metafile of the bundle (what each output holds and imports).
 */
export async function bundleCli(outdir: string): Promise<{ bin: string; metafile: Metafile }> {
  // First pass: the import graph, to know the start-up path's modules.
  const { metafile } = await build({
    ...common,
    outdir,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [requestChecksAsText, builtinsForPackages, versionInBin],
  });
  const bundled = await build({
    ...common,
    outdir,
    metafile: true,
    plugins: [requestChecksAsText, builtinsForPackages, versionInBin, startUpChunk(metafile)],
  });
  await Promise.all(Object.keys(bundled.metafile.outputs).map((file) => asCommonJS(join(ROOT, file))));
  const bin = join(outdir, 'openai-admin.cjs');
  return { bin, metafile: bundled.metafile };
}

/**
 * One output file, written by esbuild as an ES module, rewritten in place as CommonJS: its imports become
 * require() calls (import() too), its exports `module.exports`. Why (issue 17 §8): a process that loads no ES module
 * never starts Node's ESM loader, which costs about 40 M instructions of its own (an empty .mjs against an empty
 * .cjs, callgrind: 132 M against 92 M; `node -e 0` is 98 M) and loads fs/promises, readline and the file watchers
 * with it. Every file of the bundle is rewritten alike, so each module is still loaded once (require's cache holds
 * each chunk as Node's module map did), and an import() that fails (a deleted chunk) rejects as before and is tried
 * again on the next call. Nothing in src/ uses import.meta or a top-level await (the library's CommonJS build
 * compiles it too); the check below makes sure of it in the output.
 */
async function asCommonJS(file: string): Promise<void> {
  const source = await readFile(file, 'utf8');
  if (/\bimport\.meta\b/.test(source)) throw new Error(`${file} uses import.meta: it cannot run as CommonJS`);
  const { code } = await transform(source, {
    loader: 'js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // import() as a require() in a promise: the chunks are CommonJS files now.
    supported: { 'dynamic-import': false },
    sourcefile: file,
  });
  await writeFile(file, code);
}
