/**
 * In a browser bundle, the response validators are included only when imported (issue 12); a worker bundle, which
 * package.json's "browser" map does not apply to, carries them by a literal import() (issue 21 §11). A bundle that did not import
 * them must say so clearly under validate: 'strict', and under 'warn' log it and go on. Bundled by esbuild as an
 * app would be, run in a child process.
 */
import { build, type BuildOptions } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/paths';
import { run } from '../support/processes';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'openai-admin-bundled-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** esbuild's options for a browser app, or for a worker as wrangler bundles one (neutral, worker conditions). */
const TARGETS: Record<'browser' | 'worker', BuildOptions> = {
  browser: { platform: 'browser' },
  worker: {
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    external: ['node:*'],
  },
};

async function bundleAndRun(
  mode: 'warn' | 'strict',
  importValidators: boolean,
  target: keyof typeof TARGETS = 'browser',
) {
  const entry = join(dir, `entry-${mode}-${importValidators}-${target}.ts`);
  writeFileSync(
    entry,
    `import { validateResponse } from ${JSON.stringify(join(ROOT, 'src/core/validation/validation.js'))};
import { retrieveProject } from ${JSON.stringify(join(ROOT, 'generated/operations.gen.js'))};
${importValidators ? `import * as responseValidators from ${JSON.stringify(join(ROOT, 'generated/validators/responses.gen.js'))};` : 'const responseValidators = undefined;'}
validateResponse(retrieveProject, { id: 1 }, '${mode}', (m) => console.log('warned: ' + m), responseValidators)
  .then(() => console.log('resolved'), (e) => console.log('rejected: ' + e.name + ': ' + e.message));
`,
  );
  const outfile = join(dir, `out-${mode}-${importValidators}-${target}.mjs`);
  const result = await build({
    ...TARGETS[target],
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile?.inputs ?? {});
  const { stdout } = await run(process.execPath, [outfile], { cwd: dir, timeoutMs: 30_000 });
  return {
    stdout: stdout.trim(),
    hasValidators: inputs.some((i) => i.endsWith('responses.gen.ts')),
    // What a module loader that lists a bundle's modules (Miniflare) refuses: an import() left in the output.
    importsLeft: (readFileSync(outfile, 'utf8').match(/\bimport\s*\(/g) ?? []).length,
  };
}

describe('response validation in a bundle', () => {
  test("without the validators imported, the bundle leaves them out and 'strict' says how to add them", async () => {
    const { stdout, hasValidators } = await bundleAndRun('strict', false);
    expect(hasValidators).toBe(false);
    expect(stdout).toMatch(
      /^rejected: OpenAIAdminError: Response validation .* import \* as responseValidators from 'openai-admin\/response-validators'/,
    );
  }, 60_000);

  test("without the validators imported, 'warn' logs the same advice and the call goes on", async () => {
    const { stdout } = await bundleAndRun('warn', false);
    expect(stdout).toMatch(/^warned: Response validation .*openai-admin\/response-validators.*\nresolved$/s);
  }, 60_000);

  // Issue 21 §11: the validators used to load through a computed import(), left as is in every bundle; Miniflare
  // refuses such a worker before running it, and where it ran, the specifier resolved to nothing next to the bundle.
  test("a worker bundle (no browser mapping) carries them by a literal import and 'strict' validates with none passed", async () => {
    const { stdout, hasValidators, importsLeft } = await bundleAndRun('strict', false, 'worker');
    expect(importsLeft).toBe(0);
    expect(hasValidators).toBe(true);
    expect(stdout).toMatch(/^rejected: ResponseValidationError: /);
  }, 60_000);

  test('a browser bundle leaves no import() for a module loader to refuse', async () => {
    const { importsLeft } = await bundleAndRun('strict', false);
    expect(importsLeft).toBe(0);
  }, 60_000);

  test("with the validators imported and passed, 'strict' validates", async () => {
    const { stdout, hasValidators } = await bundleAndRun('strict', true);
    expect(hasValidators).toBe(true);
    expect(stdout).toMatch(/^rejected: ResponseValidationError: /);
  }, 60_000);
});
