/**
 * In a bundle, the response validators are included only when imported (issue 12). A bundle that did not import
 * them must say so clearly under validate: 'strict', and under 'warn' log it and go on. Bundled by esbuild as an
 * app would be, run in a child process.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/paths';
import { run } from '../support/processes';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'openai-admin-bundled-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundleAndRun(mode: 'warn' | 'strict', importValidators: boolean) {
  const entry = join(dir, `entry-${mode}-${importValidators}.ts`);
  writeFileSync(
    entry,
    `import { validateResponse } from ${JSON.stringify(join(ROOT, 'src/core/validation.js'))};
import { retrieveProject } from ${JSON.stringify(join(ROOT, 'generated/operations.gen.js'))};
${importValidators ? `import * as responseValidators from ${JSON.stringify(join(ROOT, 'generated/validators/responses.gen.js'))};` : 'const responseValidators = undefined;'}
validateResponse(retrieveProject, { id: 1 }, '${mode}', (m) => console.log('warned: ' + m), responseValidators)
  .then(() => console.log('resolved'), (e) => console.log('rejected: ' + e.name + ': ' + e.message));
`,
  );
  const outfile = join(dir, `out-${mode}-${importValidators}.mjs`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const { stdout } = await run(process.execPath, [outfile], { cwd: dir, timeoutMs: 30_000 });
  return { stdout: stdout.trim(), hasValidators: inputs.some((i) => i.endsWith('responses.gen.ts')) };
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

  test("with the validators imported and passed, 'strict' validates", async () => {
    const { stdout, hasValidators } = await bundleAndRun('strict', true);
    expect(hasValidators).toBe(true);
    expect(stdout).toMatch(/^rejected: ResponseValidationError: /);
  }, 60_000);
});
