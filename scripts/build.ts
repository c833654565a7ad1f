/**
 * `npm run build`: compiles src/ and generated/ twice — native ESM (dist/esm) and CommonJS (dist/cjs) — with
 * declarations for each, so both `import` and `require` get matching types; bundles the `openai-admin` bin
 * (dist/bin) and writes its man page.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleCli } from './lib/cli-bundle.js';

const root = join(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const started = Date.now();
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync(
  process.execPath,
  [
    tsc,
    '-p',
    'tsconfig.build.json',
    '--outDir',
    'dist/cjs',
    '--module',
    'CommonJS',
    '--moduleResolution',
    'Node10',
    '--verbatimModuleSyntax',
    'false',
  ],
  { cwd: root, stdio: 'inherit' },
);
// The package is "type": "module"; this marker makes Node read dist/cjs as CommonJS.
writeFileSync(join(root, 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
// The `openai-admin` bin (package.json "bin"): bundled with lazy chunks, for start-up (scripts/lib/cli-bundle.ts).
// tsc's dist/esm/src/cli/bin.js stays for `import` of the CLI's modules, but is not what `npx openai-admin` runs.
const { bin } = await bundleCli(join(root, 'dist', 'bin'));
chmodSync(bin, 0o755);
// The man page (package.json "man"), from the same command tree as --help.
const { commandTree } = await import('../src/cli/command-tree.js');
const { renderManPage } = await import('../src/cli/man-page.js');
const { VERSION } = await import('../src/version.js');
mkdirSync(join(root, 'dist', 'man'), { recursive: true });
writeFileSync(join(root, 'dist', 'man', 'openai-admin.1'), renderManPage(commandTree(), VERSION));
console.log(`dist/esm and dist/cjs built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
