/**
 * With code splitting, a browser bundle downloads the success path up front and the rest when first needed
 * (issue 12, section 6): the failure handling (errors, retries, rate-limit pacing, the key scrub), the body
 * serialiser, reconciliation and the request checks are chunks loaded by dynamic import. Bundled by esbuild as an
 * app would be, then run from its chunks in a child process against a real server: the lazy paths must work in
 * the bundled form too, not only from source.
 */
import { build, type Metafile } from 'esbuild';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/paths';
import { run } from '../support/processes';
import { project, useTestServer } from '../support/http-server';

/** Modules that only a failure, a body or a create needs: none may be in what a page loads up front. */
const LAZY_ONLY = [
  'src/core/pipeline/failure.ts',
  'src/core/pacing/pacing.ts',
  'src/core/pacing/rate-limit-wait.ts',
  'src/core/pacing/retry.ts',
  'src/core/base/scrub.ts',
  'src/core/pipeline/reconcile.ts',
  'src/core/validation/body.ts',
  'src/core/validation/issues.ts',
  'src/core/validation/schema-check.ts',
  'src/core/transport/node-transport.ts',
  'generated/validators/requests.gen.ts',
  'generated/validators/responses.gen.ts',
];

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'openai-admin-split-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The inputs of the entry's chunk and of every chunk it imports statically (what a page downloads up front). */
function initialInputs(meta: Metafile): string[] {
  const outputs = meta.outputs;
  const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint?.endsWith('entry.ts'))!;
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file].imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  return [...seen].flatMap((file) =>
    Object.entries(outputs[file].inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([input]) => input.replace(/^.*?(src|generated)\//, '$1/')),
  );
}

async function bundle(name: string, code: string, platform: 'browser' | 'node' = 'browser') {
  const entry = join(dir, name, 'entry.ts');
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(entry, code);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform,
    outdir: join(dir, name, 'out'),
    absWorkingDir: ROOT,
    metafile: true,
    logLevel: 'silent',
  });
  return { meta: result.metafile, main: join(dir, name, 'out', 'entry.js') };
}

const src = (path: string) => JSON.stringify(join(ROOT, path));

/** The output file of the bundle that carries `input` (a chunk), by the metafile. */
const chunkOf = (meta: Metafile, input: string) =>
  Object.keys(meta.outputs).find((file) =>
    Object.entries(meta.outputs[file].inputs).some(([name, i]) => name.endsWith(input) && i.bytesInOutput > 0),
  )!;

describe('a code-split bundle', () => {
  const server = useTestServer();

  test('keeps the failure handling, body serialiser, reconciliation and request checks out of the initial chunks', async () => {
    const { meta } = await bundle(
      'initial',
      `import { OpenAIAdmin } from ${src('src/index.js')};
const admin = new OpenAIAdmin({ apiKey: null, baseURL: 'https://proxy.example/v1' });
export const get = (id: string) => admin.projects.retrieve(id);
export const list = () => admin.projects.list();
export const create = (name: string) => admin.projects.create({ name });
`,
    );
    const initial = initialInputs(meta);
    expect(initial).toEqual(expect.arrayContaining(['src/core/pipeline/request.ts', 'src/core/pacing/scheduler.ts']));
    expect(initial.filter((input) => LAZY_ONLY.includes(input))).toEqual([]);
    // Each of them is still in the bundle, as a chunk of its own or shared by lazy chunks.
    const everything = Object.keys(meta.inputs).map((input) => input.replace(/^.*?(src|generated)\//, '$1/'));
    for (const lazy of LAZY_ONLY.filter((m) => !m.endsWith('node-transport.ts') && !m.endsWith('responses.gen.ts')))
      expect(everything).toContain(lazy);
  }, 60_000);

  test('loads them when needed: a 429 paced by its message, a 500 retried, a create with a body, a 404', async () => {
    server.enqueue(
      { status: 429, body: { error: { message: 'Rate limit reached. Please try again in 20ms.', type: 'requests' } } },
      { status: 200, body: project('proj_1') },
      { status: 500, body: { error: { message: 'boom' } } },
      { status: 200, body: project('proj_2') },
      { status: 201, body: project('proj_3', 'Docs') },
      { status: 404, body: { error: { message: 'No project found' } } },
    );
    const { main } = await bundle(
      'run',
      `import { OpenAIAdmin, NotFoundError } from ${src('src/index.js')};
const waits: number[] = [];
const admin = new OpenAIAdmin({
  apiKey: 'sk-admin-bundled',
  baseURL: ${JSON.stringify(server.baseURL)},
  retryPolicy: { initialDelayMs: 1, maxDelayMs: 1 },
  onRateLimit: (info) => void waits.push(info.waitMs),
});
const first = await admin.projects.retrieve('proj_1');
const second = await admin.projects.retrieve('proj_2');
const created = await admin.projects.create({ name: 'Docs' });
const missing = await admin.projects.retrieve('proj_x').catch((e: unknown) => e);
console.log(JSON.stringify({
  first: first.id,
  second: second.id,
  waits,
  created: created.name,
  missing: missing instanceof NotFoundError ? missing.status : String(missing),
  limited: admin.rateLimitStats.rateLimited,
}));
`,
    );
    const { stdout } = await run(process.execPath, [main], { cwd: dir, timeoutMs: 30_000 });
    expect(JSON.parse(stdout.trim())).toEqual({
      first: 'proj_1',
      second: 'proj_2',
      waits: [1_000], // "in 20ms" raised to the floor (pacing.ts)
      created: 'Docs',
      missing: 404,
      limited: 1,
    });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/organization/projects/proj_1',
      'GET /v1/organization/projects/proj_1',
      'GET /v1/organization/projects/proj_2',
      'GET /v1/organization/projects/proj_2',
      'POST /v1/organization/projects',
      'GET /v1/organization/projects/proj_x',
    ]);
    expect(server.requests[4].json).toEqual({ name: 'Docs' });
  }, 60_000);

  /** Runs one call of a bundle whose chunk carrying `missing` was deleted (a chunk the network could not fetch). */
  async function callWithout(missing: string, call: string) {
    const name = `without-${missing.replace(/\W/g, '-')}`;
    const { meta, main } = await bundle(
      name,
      `import { OpenAIAdmin, APIConnectionError } from ${src('src/index.js')};
const admin = new OpenAIAdmin({ apiKey: 'sk-admin-bundled-SECRET', baseURL: ${JSON.stringify(server.baseURL)} });
const error = await ${call}.then(() => undefined, (e: unknown) => e);
console.log(JSON.stringify({ connection: error instanceof APIConnectionError, name: (error as Error)?.name, message: (error as Error)?.message }));
`,
    );
    rmSync(join(ROOT, chunkOf(meta, missing)));
    const { stdout } = await run(process.execPath, [main], { cwd: dir, timeoutMs: 30_000 });
    return JSON.parse(stdout.trim()) as { connection: boolean; name: string; message: string };
  }

  test('a failure handling chunk that cannot load: an APIConnectionError naming the failure, not a loader TypeError', async () => {
    server.enqueue({ status: 500, body: { error: { message: 'boom' } } });
    const result = await callWithout('src/core/pipeline/failure.ts', "admin.projects.retrieve('proj_1')");
    expect(result).toMatchObject({ connection: true, name: 'APIConnectionError' });
    expect(result.message).toMatch(
      /^The request failed \(status 500\) and openai-admin could not load the code that handles failures \(.*\); not retried/,
    );
    expect(result.message).not.toContain('SECRET');
    expect(server.requests).toHaveLength(1);
  }, 60_000);

  test('a body serialiser chunk that cannot load: an APIConnectionError, and nothing is sent', async () => {
    const result = await callWithout('src/core/validation/body.ts', "admin.projects.create({ name: 'Docs' })");
    expect(result).toMatchObject({ connection: true, name: 'APIConnectionError' });
    expect(result.message).toMatch(/could not load its request body serialiser \(.*\); nothing was sent\.$/);
    expect(server.requests).toHaveLength(0);
  }, 60_000);

  test('a key scrub chunk that cannot load: the original error is withheld, the key is never shown', async () => {
    server.enqueue({ status: 404, body: { error: { message: 'No project found for sk-admin-bundled-SECRET' } } });
    const result = await callWithout('src/core/base/scrub.ts', "admin.projects.retrieve('proj_1')");
    expect(result).toMatchObject({ connection: true, name: 'APIConnectionError' });
    expect(result.message).toMatch(
      /could not load the code that reports errors without the key .*the original error is withheld\.$/,
    );
    expect(result.message).not.toContain('SECRET');
  }, 60_000);

  test("a response-validation warning whose scrub chunk cannot load: the call's result stands, the warning says what could not load, and once the chunk is back the warning is the validator's", async () => {
    const { meta, main } = await bundle(
      'warn-without-scrub',
      `const { renameSync } = process.getBuiltinModule('node:fs');
import { OpenAIAdmin } from ${src('src/index.js')};
const warnings: string[] = [];
const admin = new OpenAIAdmin({
  apiKey: 'sk-admin-bundled-SECRET',
  baseURL: process.argv[2],
  validate: 'warn',
  logger: { warn: (m: string) => warnings.push(m) },
});
const first = await admin.projects.retrieve('proj_1');
renameSync(process.argv[4], process.argv[3]);
const second = await admin.projects.retrieve('proj_1');
console.log(JSON.stringify({ names: [first.name, second.name], warnings }));
`,
      'node',
    );
    const chunk = join(ROOT, chunkOf(meta, 'src/core/base/scrub-lazy.ts'));
    renameSync(chunk, `${chunk}.away`);
    // A name that is not a string breaks the schema; the key in the status makes the warning carry it.
    const bad = { ...project('proj_1'), name: 42, status: 'sk-admin-bundled-SECRET' };
    server.enqueue({ status: 200, body: bad }, { status: 200, body: bad });
    const { stdout } = await run(process.execPath, [main, server.baseURL, chunk, `${chunk}.away`], {
      cwd: dir,
      timeoutMs: 30_000,
    });
    const { names, warnings } = JSON.parse(stdout.trim()) as { names: unknown[]; warnings: string[] };
    expect(names).toEqual([42, 42]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^openai-admin: retrieve-project: .*could not load the code that reports errors/);
    expect(warnings[1]).toMatch(/retrieve-project/);
    expect(warnings[1]).toMatch(/name/);
    expect(warnings.join('\n')).not.toContain('SECRET');
  }, 60_000);
});

/**
 * Every module src/core loads lazily (base/lazy.ts), with its chunk missing for one call and back for the next: the
 * first call fails saying what could not load, and the next one loads it and goes through (a failed load is not
 * kept). One bundle (for Node); each run hides one chunk, and the bundled script puts it back between its calls.
 */
describe('a chunk that could not load is loaded by the next call', () => {
  const server = useTestServer();
  const emptyList = { object: 'list', data: [], first_id: null, last_id: null, has_more: false };
  const error = (status: number) => ({ status, body: { error: { message: `status ${status}` } } });
  const CASES: {
    missing: string;
    call: string;
    responses: { status: number; body?: unknown }[];
    first: RegExp;
    second: string;
  }[] = [
    {
      missing: 'src/core/pipeline/failure.ts',
      call: "admin.projects.retrieve('proj_1')",
      responses: [error(404), error(404)],
      first:
        /^APIConnectionError: The request failed \(status 404\) and openai-admin could not load the code that handles failures/,
      second: 'NotFoundError',
    },
    {
      missing: 'src/core/validation/body.ts',
      call: "admin.projects.create({ name: 'Docs' })",
      responses: [{ status: 201, body: project('proj_3', 'Docs') }],
      first: /^APIConnectionError: openai-admin could not load its request body serialiser .*nothing was sent\.$/,
      second: 'ok',
    },
    {
      missing: 'src/core/base/scrub-lazy.ts',
      call: "admin.projects.retrieve('proj_1')",
      responses: [error(404), error(404)],
      first: /^APIConnectionError: .*could not load the code that reports errors without the key/,
      second: 'NotFoundError',
    },
    {
      missing: 'src/core/pipeline/reconcile.ts',
      call: "admin.projects.create({ name: 'Docs' })",
      responses: [error(500), error(500), { status: 200, body: emptyList }],
      first:
        /^APIConnectionError: openai-admin could not load reconciliation .*whether the create was carried out is unknown\.$/,
      second: 'OutcomeUnknownError',
    },
    {
      missing: 'generated/validators/requests.gen.ts',
      call: "admin.projects.retrieve('proj_1')",
      responses: [{ status: 200, body: project('proj_1') }],
      first: /^APIConnectionError: openai-admin could not load its request checks .*nothing was sent\.$/,
      second: 'ok',
    },
    {
      missing: 'src/core/validation/response-validators.ts',
      call: "strict.projects.retrieve('proj_1')",
      responses: [
        { status: 200, body: project('proj_1') },
        { status: 200, body: project('proj_1') },
      ],
      first: /^OpenAIAdminError: Response validation .*could not load its validators/,
      second: 'ok',
    },
    {
      missing: 'src/core/transport/node-transport.ts',
      call: "admin.projects.retrieve('proj_1')",
      responses: [{ status: 200, body: project('proj_1') }],
      first: /^APIConnectionError: openai-admin could not load its node:http transport .*nothing was sent\.$/,
      second: 'ok',
    },
  ];

  let built: { meta: Metafile; main: string } | undefined;
  const built$ = async () =>
    (built ??= await bundle(
      'retry-load',
      // A browser bundle cannot import node:fs; the script takes it from the runtime to put the chunk back.
      `const { renameSync } = process.getBuiltinModule('node:fs');
import { OpenAIAdmin } from ${src('src/index.js')};
const baseURL = process.argv[2];
const admin = new OpenAIAdmin({ apiKey: 'sk-admin-bundled-SECRET', baseURL, maxRetries: 0 });
const strict = admin.withOptions({ validate: 'strict' });
const calls: Record<string, () => Promise<unknown>> = {
${CASES.map((c) => `  ${JSON.stringify(c.missing)}: () => ${c.call},`).join('\n')}
};
const outcome = (call: () => Promise<unknown>) =>
  call().then(() => 'ok', (e: Error) => (e.name === 'Error' ? e.message : \`\${e.name}: \${e.message}\`));
const first = await outcome(calls[process.argv[3]]);
renameSync(process.argv[5], process.argv[4]);
const second = await outcome(calls[process.argv[3]]);
console.log(JSON.stringify({ first, second }));
`,
      // Node, where the browser field does not map node-transport and the response validators out of the bundle.
      'node',
    ));

  test.each(CASES)(
    '$missing',
    async ({ missing, responses, first, second }) => {
      const { meta, main } = await built$();
      // The chunk the module's import() names: a chunk it shares with others is imported by them too, and a runtime
      // keeps the failure of a module whose dependency failed (Node does), which is not the loader's to undo.
      const entry = Object.keys(meta.outputs).find((file) => meta.outputs[file].entryPoint?.endsWith(missing));
      const chunk = join(ROOT, entry!);
      renameSync(chunk, `${chunk}.away`);
      server.enqueue(...responses);
      const { stdout } = await run(process.execPath, [main, server.baseURL, missing, chunk, `${chunk}.away`], {
        cwd: dir,
        timeoutMs: 30_000,
      });
      const result = JSON.parse(stdout.trim()) as { first: string; second: string };
      expect(result.first).toMatch(first);
      expect(result.first).not.toContain('SECRET');
      expect(result.second.split(':')[0]).toBe(second);
    },
    60_000,
  );
});
