/**
 * Packaging suite: `npm pack` the package as it would be published, lint it (publint --strict; attw with its strict
 * profile, which checks resolution from TypeScript's node10, Node's ESM and CJS, and bundlers), then install the tarball into fresh
 * temporary consumer projects — plain ESM, plain CJS, TypeScript with moduleResolution node16 (ESM and CJS) and
 * bundler — which type-check against the shipped declarations and make a real call to a local server.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, startServer, type LocalServer } from '../../support/local-server';
import { ROOT } from '../../support/paths';
import { run, type RunResult } from '../../support/processes';
import { suiteTools } from '../support/suite-tools';

const NODE = process.execPath;
const NPM_CLI =
  process.env.npm_execpath && process.env.npm_execpath.endsWith('.js') ? process.env.npm_execpath : undefined;
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const BIN = (name: string) => join(ROOT, 'node_modules', '.bin', name);

let work: string;
let tarball: string;
let server: LocalServer;

/** npm through the same node when npm told us where its CLI is, else the npm on PATH. */
const npm = (args: string[], cwd: string, timeoutMs = 180_000) =>
  NPM_CLI ? run(NODE, [NPM_CLI, ...args], { cwd, timeoutMs }) : run('npm', args, { cwd, timeoutMs });

const show = (r: RunResult) => `exit ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`;

beforeAll(async () => {
  if (
    !existsSync(join(ROOT, 'dist', 'esm', 'src', 'index.js')) ||
    !existsSync(join(ROOT, 'dist', 'cjs', 'src', 'index.js'))
  ) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  work = mkdtempSync(join(tmpdir(), 'openai-admin-pack-'));
  const packed = await npm(['pack', '--pack-destination', work, '--loglevel=error'], ROOT);
  if (packed.code !== 0) throw new Error(`npm pack failed: ${show(packed)}`);
  tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  );
  server = await startServer((req, res) => {
    if (req.url === '/organization/projects/proj_pack') {
      return json(
        res,
        200,
        { id: 'proj_pack', object: 'organization.project', name: 'Packed', created_at: 1711471533, status: 'active' },
        { 'x-request-id': 'req_pack' },
      );
    }
    return json(res, 404, { error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } });
  });
}, 240_000);

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('contains both builds with declarations and no sources or tests', async () => {
    const list = await run('tar', ['-tzf', tarball], { cwd: work });
    const files = list.stdout.split('\n').filter(Boolean);
    for (const f of [
      'package/package.json',
      'package/dist/esm/src/index.js',
      'package/dist/esm/src/index.d.ts',
      'package/dist/cjs/src/index.js',
      'package/dist/cjs/src/index.d.ts',
      'package/dist/cjs/package.json',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^package\/(src|test|scripts)\//.test(f))).toEqual([]);
  });

  test('ships the MIT LICENSE and no JSON-schema module (nothing imports one)', async () => {
    const files = (await run('tar', ['-tzf', tarball], { cwd: work })).stdout.split('\n').filter(Boolean);
    expect(files).toContain('package/LICENSE');
    expect(files.filter((f) => f.includes('schemas.gen'))).toEqual([]);
  });

  test('publint --strict reports no problems', async () => {
    const r = await run(NODE, [BIN('publint'), 'run', tarball, '--strict'], { cwd: work });
    // eslint-disable-next-line no-control-regex -- colour codes: publint colours its output under CI=true
    const out = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '');
    // One suggestion is accepted on purpose: pkg.browser maps the node:http transport out of browser builds. Every
    // bundler honours that object form; the alternative (a "browser" condition under pkg.imports) would need the
    // sources to import the transport by a #subpath, which tsc's two builds and ts-jest do not resolve alike.
    const suggestions = [...out.matchAll(/^\d+\. (.*)$/gm)].map((m) => m[1]);
    expect({ code: r.code, suggestions, errorsOrWarnings: /Errors:|Warnings:/.test(out) }).toEqual({
      code: 0,
      suggestions: out.includes('All good') ? [] : [expect.stringMatching(/^pkg\.browser with an object value/)],
      errorsOrWarnings: false,
    });
  });

  test('attw (strict profile: node10, node16 ESM and CJS, and bundlers) reports no problems', async () => {
    // attw (37 MB with its own TypeScript) lives in the suite's prefix (scripts/slow/suite-tools.sh).
    const attw = join(suiteTools('packaging'), '.bin', 'attw');
    // The org file's JSON Schema is for editors (by URL or path), not for require(): node10 resolution, which has no
    // "exports", cannot map a subpath to generated/ and is not asked to.
    const r = await run(
      NODE,
      [attw, tarball, '--format', 'table-flipped', '--exclude-entrypoints', './org-file.schema.json'],
      {
        cwd: work,
      },
    );
    if (r.code !== 0) throw new Error(`attw found problems:\n${show(r)}`);
    expect(r.code).toBe(0);
  });
});

interface Consumer {
  name: string;
  packageJson: Record<string, unknown>;
  files: Record<string, string>;
  tsconfig?: Record<string, unknown>;
  /** The file node runs after any type-check/compile. */
  entry: string;
}

const TS_CALL = `
import { OpenAIAdmin, NotFoundError, OpenAIAdminError, type Project, type ClientOptions } from 'openai-admin';

const options: ClientOptions = { apiKey: 'sk-admin-consumer', baseURL: process.env.API_URL!, maxRetries: 0 };
const admin = new OpenAIAdmin(options);

async function typeOnlyChecks(): Promise<void> {
  // @ts-expect-error name must be a string
  await admin.projects.create({ name: 42 });
  // @ts-expect-error the parent id comes first
  await admin.projects.users.retrieve({ project_id: 'p' });
  const rows: number[] = [];
  for await (const row of admin.usage.completions({ start_time: 1, bucket_width: '1h' }).rows()) rows.push(row.input_tokens);
}
void typeOnlyChecks;

async function main() {
  const { data, requestID } = await admin.projects.retrieve('proj_pack').withResponse();
  const project: Project = data;
  const id: string = project.id;
  const name: string | null | undefined = project.name;
  if (id !== 'proj_pack') throw new Error(id);
  let notFound = false;
  try {
    await admin.projects.retrieve('proj_missing');
  } catch (e) {
    notFound = e instanceof NotFoundError && e instanceof OpenAIAdminError;
  }
  console.log(JSON.stringify({ name, requestID, notFound }));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
`;

const tsconfig = (compilerOptions: Record<string, unknown>) => ({
  compilerOptions: {
    target: 'ES2022',
    strict: true,
    skipLibCheck: false,
    outDir: 'out',
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    types: ['node'],
    lib: ['ES2022', 'DOM'],
    ...compilerOptions,
  },
  include: ['src'],
});

const consumers: Consumer[] = [
  {
    name: 'ESM (import)',
    packageJson: { type: 'module' },
    files: {
      'index.js': `import { OpenAIAdmin, NotFoundError } from 'openai-admin';
const admin = new OpenAIAdmin({ apiKey: 'sk-admin-consumer', baseURL: process.env.API_URL, maxRetries: 0 });
const { data, requestID } = await admin.projects.retrieve('proj_pack').withResponse();
let notFound = false;
try { await admin.projects.retrieve('proj_missing'); } catch (e) { notFound = e instanceof NotFoundError; }
console.log(JSON.stringify({ name: data.name, requestID, notFound }));
`,
    },
    entry: 'index.js',
  },
  {
    name: 'CJS (require)',
    packageJson: { type: 'commonjs' },
    files: {
      'index.js': `const { OpenAIAdmin, NotFoundError } = require('openai-admin');
const admin = new OpenAIAdmin({ apiKey: 'sk-admin-consumer', baseURL: process.env.API_URL, maxRetries: 0 });
(async () => {
  const { data, requestID } = await admin.projects.retrieve('proj_pack').withResponse();
  let notFound = false;
  try { await admin.projects.retrieve('proj_missing'); } catch (e) { notFound = e instanceof NotFoundError; }
  console.log(JSON.stringify({ name: data.name, requestID, notFound }));
})().catch((e) => { console.error(e); process.exit(1); });
`,
    },
    entry: 'index.js',
  },
  {
    name: 'TypeScript, moduleResolution node16, ESM',
    packageJson: { type: 'module' },
    tsconfig: tsconfig({ module: 'node16', moduleResolution: 'node16' }),
    files: { 'src/index.ts': TS_CALL },
    entry: 'out/index.js',
  },
  {
    name: 'TypeScript, moduleResolution node16, CJS',
    packageJson: { type: 'commonjs' },
    tsconfig: tsconfig({ module: 'node16', moduleResolution: 'node16' }),
    files: { 'src/index.ts': TS_CALL },
    entry: 'out/index.js',
  },
  {
    name: 'TypeScript, moduleResolution bundler',
    packageJson: { type: 'module' },
    tsconfig: tsconfig({ module: 'esnext', moduleResolution: 'bundler' }),
    files: { 'src/index.ts': TS_CALL },
    entry: 'out/index.js',
  },
];

describe.each(consumers.map((c) => [c.name, c] as const))('consumer: %s', (_name, consumer) => {
  let dir: string;

  test('installs the tarball into a fresh project', async () => {
    dir = join(work, consumer.name.replace(/\W+/g, '-').toLowerCase());
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, ...consumer.packageJson }, null, 2),
    );
    for (const [file, text] of Object.entries(consumer.files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    if (consumer.tsconfig) writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(consumer.tsconfig, null, 2));
    const r = await npm(['install', tarball, '--no-audit', '--no-fund', '--offline', '--loglevel=error'], dir);
    if (r.code !== 0) throw new Error(`npm install failed: ${show(r)}`);
    expect(existsSync(join(dir, 'node_modules', 'openai-admin', 'package.json'))).toBe(true);
  });

  if (consumer.tsconfig) {
    test('type-checks and compiles against the shipped declarations', async () => {
      const r = await run(NODE, [TSC, '-p', 'tsconfig.json'], { cwd: dir });
      expect({ code: r.code, output: r.code === 0 ? '' : show(r) }).toEqual({ code: 0, output: '' });
    });
  }

  test('makes a real call to a local server', async () => {
    const r = await run(NODE, [consumer.entry], {
      cwd: dir,
      env: { ...process.env, API_URL: server.url },
      timeoutMs: 30_000,
    });
    if (r.code !== 0) throw new Error(`the consumer failed: ${show(r)}`);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({
      name: 'Packed',
      requestID: 'req_pack',
      notFound: true,
    });
  });
});
