/**
 * Runtimes suite (issue 11 §6): the packed package, installed into a fresh consumer project as a user installs it,
 * runs the same scenario (scenario.mjs: construct, paginate, retrieve, usage rows, a 404 with its requestID, a
 * create) in every fetch runtime against the emulator on 127.0.0.1:
 * - Node 20 (this process's node), Node 22 and 24 (npm's `node` package in temp prefixes, as scripts/slow/matrix.sh);
 * - Bun and Deno (the npm packages `bun` and `deno` carry the binaries); Deno with --allow-net only, no --allow-env;
 *   these and workerd are the suite's own tools, pinned in scripts/slow/suite-tools.sh and installed on first use into
 *   the suite's temp prefix (~355 MB no contributor's `npm install` should fetch);
 * - workerd (the npm package `workerd`): the worker is bundled by esbuild as wrangler does and run by `workerd test`,
 *   without nodejs_compat, with nodejs_compat and a compatibility date before 2025-08-15 (node:http missing), and
 *   with nodejs_compat after it (node:http present);
 * - Miniflare, the same bundle loaded the documented way, `new Miniflare({ modules: true, scriptPath })` (issue 21
 *   §11: it refuses a bundle with a computed import() before running it). Miniflare is npm's `miniflare` at the
 *   version below, installed into a temp prefix at test time as Node 22/24 are — never a dependency of the project;
 * - Chromium (Debian's, driven by playwright-core): the page imports the packed ESM through an import map and
 *   calls the emulator through a CORS proxy that adds the key (apiKey: null), with the headers the README lists.
 * The suite prints a table (runtime | version | one column per step) and saves it to test-results/runtimes.md.
 * A missing runtime is a failure in CI; locally, a runtime whose npm package could not be installed is skipped loudly.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { startEmulator, type Emulator } from '../../../src/testing/index';
import { startServer, type LocalServer } from '../../support/local-server';
import { ROOT } from '../../support/paths';
import { run, type RunResult } from '../../support/processes';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import { suiteTools } from '../support/suite-tools';

const CI = process.env.CI === 'true' || process.env.CI === '1';
const NODE = process.execPath;
const NPM_CLI =
  process.env.npm_execpath && process.env.npm_execpath.endsWith('.js') ? process.env.npm_execpath : undefined;
/** bun, deno and workerd from the suite's prefix; installing them may fail offline (then: see fromPackage). */
const RUNTIME_TOOLS = ((): string => {
  try {
    return suiteTools('runtimes');
  } catch (err) {
    if (CI) throw err;
    process.stderr.write(`installing the runtimes suite's tools failed: ${String(err)}\n`);
    return join(tmpdir(), 'openai-admin-runtimes-tools-missing');
  }
})();
const BIN = (name: string) => join(RUNTIME_TOOLS, '.bin', name);
const NODE_PREFIX = process.env.NODE_MATRIX_PREFIX ?? '/tmp';
const nodeBinary = (major: number) => join(NODE_PREFIX, `node${major}`, 'node_modules', 'node', 'bin', 'node');
/**
 * Miniflare 4 (npm's `latest`), whose documented constructor is `new Miniflare({ modules: true, scriptPath })`; it
 * brings its own workerd (1.20260730.1). The 5.x betas that depend on this project's workerd take `workers: [...]`.
 */
const MINIFLARE = 'miniflare@4.20260730.0';
const MINIFLARE_PREFIX = process.env.MINIFLARE_PREFIX ?? join(NODE_PREFIX, 'miniflare4');
const MINIFLARE_MODULE = join(MINIFLARE_PREFIX, 'node_modules', 'miniflare', 'dist', 'src', 'index.js');
/** One runtime step's bound: generous, a safety net only (a healthy run takes about a second). */
const STEP_TIMEOUT_MS = 60_000;

const STEPS = ['construct', 'retrieve', 'paginate', 'usage rows', '404 requestID', 'create'] as const;
type Results = Record<string, { ok: boolean; detail: unknown }>;

/** What each runtime produced, for the table printed at the end. */
const table = new Map<string, { version: string; results?: Results; note?: string }>();

const npm = (args: string[], cwd: string, timeoutMs = 180_000) =>
  NPM_CLI ? run(NODE, [NPM_CLI, ...args], { cwd, timeoutMs }) : run('npm', args, { cwd, timeoutMs });
const show = (r: RunResult) => `exit ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`;

/** The environment of every runtime: no OPENAI_* variable, so the scenario's explicit options are all it has. */
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OPENAI_'))),
  NO_COLOR: '1',
  ...extra,
});

let work: string;
let consumer: string;
let emulator: Emulator;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'esm', 'src', 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'openai-admin-runtimes-'));
  const packed = await npm(['pack', '--pack-destination', work, '--loglevel=error'], ROOT);
  if (packed.code !== 0) throw new Error(`npm pack failed: ${show(packed)}`);
  const tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  );
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'runtime-consumer', private: true, type: 'module' }),
  );
  const installed = await npm(['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], consumer);
  if (installed.code !== 0) throw new Error(`installing the tarball failed: ${show(installed)}`);
  for (const file of ['scenario.mjs', 'main.mjs', 'worker.mjs', 'miniflare.mjs'])
    copyFileSync(join(__dirname, file), join(consumer, file));
  // The worker as wrangler builds one: esbuild bundles the package (its lazily imported node transport included).
  await build({
    absWorkingDir: consumer,
    entryPoints: ['worker.mjs'],
    outfile: 'worker.bundle.js',
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    external: ['node:*'],
    logLevel: 'warning',
  });
  // Node 22 and 24 as scripts/slow/matrix.sh installs them (npm's node package; never a dependency of the project).
  for (const major of [22, 24]) {
    if (!existsSync(nodeBinary(major))) {
      const r = await npm(
        [
          'install',
          '--prefix',
          join(NODE_PREFIX, `node${major}`),
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          `node@${major}`,
        ],
        ROOT,
      );
      if (r.code !== 0) process.stderr.write(`installing node@${major} failed: ${show(r)}\n`);
    }
  }
  if (!existsSync(MINIFLARE_MODULE)) {
    const r = await npm(
      ['install', '--prefix', MINIFLARE_PREFIX, '--no-audit', '--no-fund', '--loglevel=error', MINIFLARE],
      ROOT,
    );
    if (r.code !== 0) process.stderr.write(`installing ${MINIFLARE} failed: ${show(r)}\n`);
  }
  emulator = await startEmulator({ seed: 'runtimes' });
}, 600_000);

afterAll(async () => {
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  const text = renderTable();
  process.stdout.write(`\n${text}\n`);
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', 'runtimes.md'), `${text}\n`);
});

function renderTable(): string {
  const header = ['runtime', 'version', ...STEPS];
  const rows = [...table].map(([name, { version, results, note }]) =>
    note
      ? [name, version, ...STEPS.map(() => note)]
      : [name, version, ...STEPS.map((s) => (results?.[s] === undefined ? '—' : results[s].ok ? 'pass' : 'FAIL'))],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [
    'runtimes table (the packed package; scenario: test/slow/runtimes/scenario.mjs)',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

/** The scenario's results from a runtime's output: the RUNTIME_RESULT line (stdout or stderr). */
function resultsOf(r: RunResult): Results {
  const line = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => l.includes('RUNTIME_RESULT '));
  if (!line) throw new Error(`no RUNTIME_RESULT line: ${show(r)}`);
  return JSON.parse(line.slice(line.indexOf('RUNTIME_RESULT ') + 'RUNTIME_RESULT '.length)) as Results;
}

function expectEveryStep(name: string, version: string, results: Results): void {
  table.set(name, { version, results });
  // Each failed step shows with its detail (the error the runtime raised) in the failure message.
  const outcome = (s: string) =>
    results[s] === undefined
      ? 'FAIL: not reached'
      : results[s].ok
        ? 'pass'
        : `FAIL: ${JSON.stringify(results[s].detail)}`;
  expect(Object.fromEntries(STEPS.map((s) => [s, outcome(s)]))).toEqual(
    Object.fromEntries(STEPS.map((s) => [s, 'pass'])),
  );
}

/** A runtime that comes from an npm package: missing is a failure in CI, a loud skip locally. */
function fromPackage(name: string, binary: string): typeof test {
  if (existsSync(binary) || CI) return test;
  process.stderr.write(
    `\n*** runtimes suite: ${name} SKIPPED — ${binary} is missing (bash scripts/slow/suite-tools.sh runtimes). In CI this fails. ***\n\n`,
  );
  table.set(name, { version: 'not installed', note: 'skip' });
  return test.skip;
}

const version = async (binary: string, args = ['--version']) =>
  (await run(binary, args, { cwd: ROOT, timeoutMs: STEP_TIMEOUT_MS })).stdout.split('\n')[0].trim();

describe('Node (main.mjs, the package resolved from node_modules as a user imports it)', () => {
  test(`node ${process.versions.node.split('.')[0]} (this process)`, async () => {
    const r = await run(NODE, ['main.mjs', emulator.url], {
      cwd: consumer,
      env: cleanEnv(),
      timeoutMs: STEP_TIMEOUT_MS,
    });
    expectEveryStep(`node ${process.versions.node.split('.')[0]}`, process.version, resultsOf(r));
  });

  test.each([22, 24])('node %i (npm package node, as scripts/slow/matrix.sh)', async (major) => {
    const binary = nodeBinary(major);
    if (!existsSync(binary)) table.set(`node ${major}`, { version: 'missing', note: 'FAIL' });
    expect(existsSync(binary)).toBe(true);
    const r = await run(binary, ['main.mjs', emulator.url], {
      cwd: consumer,
      env: cleanEnv(),
      timeoutMs: STEP_TIMEOUT_MS,
    });
    expectEveryStep(`node ${major}`, await version(binary), resultsOf(r));
  });
});

describe('Bun and Deno (npm packages bun and deno)', () => {
  fromPackage('bun', BIN('bun'))('bun', async () => {
    const r = await run(BIN('bun'), ['main.mjs', emulator.url], {
      cwd: consumer,
      env: cleanEnv({ DO_NOT_TRACK: '1' }),
      timeoutMs: STEP_TIMEOUT_MS,
    });
    expectEveryStep('bun', await version(BIN('bun')), resultsOf(r));
  });

  // --allow-net only: no --allow-env, so any environment read throws NotCapable (the client must not need one).
  fromPackage('deno (--allow-net only)', BIN('deno'))(
    'deno with --allow-net=127.0.0.1 and no --allow-env',
    async () => {
      const env = cleanEnv({ DENO_DIR: join(work, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1' });
      const r = await run(BIN('deno'), ['run', '--no-prompt', '--allow-net=127.0.0.1', 'main.mjs', emulator.url], {
        cwd: consumer,
        env,
        timeoutMs: STEP_TIMEOUT_MS,
      });
      expectEveryStep('deno (--allow-net only)', (await version(BIN('deno'))).replace(/ \(.*$/, ''), resultsOf(r));
    },
  );
});

describe('workerd (npm package workerd; the worker bundled by esbuild, run by `workerd test`)', () => {
  /**
   * The workerd config: the bundle as the only module, the emulator URL as a text binding, and the "internet"
   * service (the worker's default outbound) allowed to reach loopback, where the emulator listens.
   */
  const config = (date: string, flags: string[]) => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["local"])),
  ],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "worker.bundle.js")],
  compatibilityDate = "${date}",
  compatibilityFlags = [${flags.map((f) => JSON.stringify(f)).join(', ')}],
  bindings = [(name = "API_URL", text = ${JSON.stringify(emulator.url)})],
);
`;
  const variants: [string, string, string[]][] = [
    // Defines WorkerGlobalScope and no process: was refused as a browser.
    ['workerd (no nodejs_compat)', '2025-09-01', []],
    // process without versions.node, process.getBuiltinModule('node:http') is undefined: was refused, then crashed ('Agent').
    ['workerd (nodejs_compat, 2025-01-01)', '2025-01-01', ['nodejs_compat']],
    // node:http is there: the node transport over workerd's node:http.
    ['workerd (nodejs_compat, 2025-09-01)', '2025-09-01', ['nodejs_compat']],
  ];
  const maybe = fromPackage('workerd', BIN('workerd'));
  for (const [name, date, flags] of variants) {
    maybe(name, async () => {
      const file = `${name.replace(/\W+/g, '-')}.capnp`;
      writeFileSync(join(consumer, file), config(date, flags));
      const r = await run(BIN('workerd'), ['test', file], {
        cwd: consumer,
        env: cleanEnv(),
        timeoutMs: STEP_TIMEOUT_MS,
      });
      expectEveryStep(name, await version(BIN('workerd')), resultsOf(r));
    });
  }
});

describe(`Miniflare (${MINIFLARE}: the same worker bundle, loaded as its documentation says)`, () => {
  test('new Miniflare({ modules: true, scriptPath }) loads the worker, which runs every step and validates strictly', async () => {
    if (!existsSync(MINIFLARE_MODULE)) table.set('miniflare', { version: 'missing', note: 'FAIL' });
    expect(existsSync(MINIFLARE_MODULE)).toBe(true);
    const r = await run(NODE, ['miniflare.mjs', MINIFLARE_MODULE, 'worker.bundle.js', emulator.url], {
      cwd: consumer,
      env: cleanEnv(),
      timeoutMs: STEP_TIMEOUT_MS,
    });
    const results = resultsOf(r);
    // Refused before running (ERR_MODULE_DYNAMIC_SPEC) shows as the 'load' step, with Miniflare's message.
    expect(results.load).toBeUndefined();
    const version = (
      JSON.parse(readFileSync(join(MINIFLARE_PREFIX, 'node_modules', 'miniflare', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    expectEveryStep('miniflare (modules: true, scriptPath)', version, results);
    expect(results['strict validation']).toEqual({ ok: true, detail: expect.stringMatching(/^validated proj_/) });
  });
});

describe('Chromium (a page behind a CORS proxy that adds the key)', () => {
  const TYPES: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
  };
  /** What README "Runtimes" tells a proxy to send. */
  const EXPOSE = 'x-request-id, retry-after, retry-after-ms, x-should-retry';
  let site: LocalServer;
  let browser: Browser | undefined;

  /** A proxy in front of the emulator: adds the key server-side and answers CORS, exposing `expose` when given. */
  const proxy = (expose: string | undefined) =>
    startServer(async (req, res, seen) => {
      const cors: Record<string, string> = {
        'access-control-allow-origin': site.url,
        'access-control-allow-headers': 'content-type, accept, openai-organization, openai-project',
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        ...(expose ? { 'access-control-expose-headers': expose } : {}),
      };
      if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
      const upstream = await fetch(new URL(emulator.url).origin + seen.url, {
        method: seen.method,
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-admin-runtime-proxy' },
        body: seen.body === '' ? undefined : seen.body,
      });
      const headers: Record<string, string> = {
        ...cors,
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      };
      for (const name of ['x-request-id', 'retry-after', 'retry-after-ms']) {
        const value = upstream.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      res.writeHead(upstream.status, headers).end(await upstream.text());
    });

  beforeAll(async () => {
    const pkg = join(consumer, 'node_modules', 'openai-admin');
    site = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/') {
        const api = url.searchParams.get('api');
        const html = `<!doctype html><meta charset="utf-8"><title>runtimes</title>
<script type="importmap">{ "imports": { "openai-admin": "/pkg/dist/esm/src/index.js" } }</script>
<script type="module">
  import { runScenario } from '/scenario.mjs';
  window.__results = await runScenario(${JSON.stringify(api)}, { apiKey: null }).catch((e) => ({ page: { ok: false, detail: String(e) } }));
</script>`;
        return void res.writeHead(200, { 'content-type': TYPES['.html'] }).end(html);
      }
      if (url.pathname === '/scenario.mjs')
        return void res
          .writeHead(200, { 'content-type': TYPES['.mjs'] })
          .end(readFileSync(join(consumer, 'scenario.mjs')));
      const file = normalize(join(pkg, decodeURIComponent(url.pathname.replace(/^\/pkg\//, '/'))));
      if (!url.pathname.startsWith('/pkg/') || !file.startsWith(pkg + sep) || !existsSync(file))
        return void res.writeHead(404).end('not found');
      res
        .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        .end(readFileSync(file));
    });
    if (existsSync(CHROMIUM)) {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: STEP_TIMEOUT_MS,
      });
    } else if (!CI) {
      process.stderr.write(
        `\n*** runtimes suite: Chromium SKIPPED — ${CHROMIUM} is missing (apt-get install -y chromium). In CI this fails. ***\n\n`,
      );
      table.set('chromium', { version: 'not installed', note: 'skip' });
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function scenarioInPage(api: LocalServer): Promise<Results> {
    const page = await browser!.newPage();
    try {
      await page.goto(`${site.url}/?api=${encodeURIComponent(`${api.url}/v1`)}`);
      await page.waitForFunction(
        () => (window as unknown as { __results?: unknown }).__results !== undefined,
        undefined,
        { timeout: STEP_TIMEOUT_MS },
      );
      return await page.evaluate(() => (window as unknown as { __results: Results }).__results);
    } finally {
      await page.close();
    }
  }

  const chromiumTest = existsSync(CHROMIUM) || CI ? test : test.skip;

  chromiumTest(`chromium behind a proxy that sends Access-Control-Expose-Headers: ${EXPOSE}`, async () => {
    expect(browser).toBeDefined();
    const api = await proxy(EXPOSE);
    try {
      const results = await scenarioInPage(api);
      expectEveryStep('chromium (via CORS proxy)', browser!.version(), results);
      // The key never reached the page: every request from it came without Authorization.
      expect(api.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    } finally {
      await api.close();
    }
  });

  // Why the README lists the headers: without them the browser hides x-request-id from the page.
  chromiumTest(
    'chromium behind a proxy without Access-Control-Expose-Headers: requestID is null, the call still works',
    async () => {
      const api = await proxy(undefined);
      try {
        const results = await scenarioInPage(api);
        expect(results.retrieve).toEqual({ ok: false, detail: expect.stringMatching(/^proj_\w+ \(null\)$/) });
        expect(results['404 requestID']).toEqual({ ok: false, detail: 'NotFoundError 404 null' });
        expect(results.create.ok).toBe(true);
      } finally {
        await api.close();
      }
    },
  );
});
