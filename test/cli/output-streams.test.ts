/**
 * Issue 17 §1, streaming: every output format prints the first page before the second is fetched, and a reader
 * that goes away (`users list | head -1`) stops the fetching. A server of our own holds page 2 until the test
 * says so: the first rows must arrive while it is held (no timing), and once the reader has closed its end, page 2
 * is answered and page 3 must never be asked for.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { json, startServer } from '../support/local-server';
import { ROOT } from '../support/paths';
import { stopProcess, track } from '../support/processes';
import { bundleCli, cleanEnv, runBin } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-CLITEST-streams-0c9e2f51';
const PAGE = 100;
const PAGES = 50; // 5,000 users on offer: far more than a reader of one line needs

const user = (n: number) => ({
  object: 'organization.user',
  id: `user_${String(n).padStart(6, '0')}`,
  name: `User ${n}`,
  email: `user${n}@example.com`,
  role: 'reader',
  added_at: 1_790_000_000 + n,
});

function page(index: number) {
  const data = Array.from({ length: PAGE }, (_, i) => user(index * PAGE + i));
  return { object: 'list', data, first_id: data[0].id, last_id: data.at(-1)!.id, has_more: index + 1 < PAGES };
}

let bundle: ReturnType<typeof bundleCli>;
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  bundle = bundleCli();
  server = await startServer();
}, 60_000);
afterAll(async () => {
  bundle?.cleanup();
  await server?.close();
});

/** Answers page 1 at once and every later page only after `release()`. */
function holdAfterFirstPage() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  server.handle((req, res: ServerResponse) => {
    const after = new URL(req.url ?? '/', 'http://x').searchParams.get('after');
    const index = after === null ? 0 : (Number(after.slice('user_'.length)) + 1) / PAGE;
    if (index === 0) return json(res, 200, page(0));
    return released.then(() => json(res, 200, page(index)));
  });
  return release;
}

test.each([
  ['a table', [] as string[]],
  ['--json', ['--json']],
  ['--csv', ['--csv']],
  ['--ndjson', ['--ndjson']],
])(
  '%s: the first rows are out while page 2 is still held; a reader closing early stops the fetching (no page 3), exit 0',
  async (_what, flags) => {
    const release = holdAfterFirstPage();
    const child = track(
      spawn(process.execPath, [bundle.bin, 'users', 'list', ...flags], {
        cwd: ROOT,
        env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1` }),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const timer = setTimeout(() => void stopProcess(child, 1_000), 60_000);
    // The first chunk arrives while the server still holds page 2: the list streamed its first page.
    const first = await new Promise<string>((resolve) => child.stdout!.setEncoding('utf8').once('data', resolve));
    expect(first).toContain('user_000000');
    // `head -1` has its line and goes away; only then does page 2 arrive, and its rows have nowhere to go.
    child.stdout!.destroy();
    release();
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('after'))).toEqual([
      null,
      'user_000099',
    ]);
  },
);

test('--json streamed is the same document JSON.stringify writes, across pages; an empty list is []', async () => {
  server.handle((req, res) => {
    const after = new URL(req.url ?? '/', 'http://x').searchParams.get('after');
    const index = after === null ? 0 : (Number(after.slice('user_'.length)) + 1) / PAGE;
    const body = page(index);
    json(res, 200, index === 2 ? { ...body, has_more: false } : body);
  });
  const env = cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1` });
  const r = await runBin(bundle.bin, ['users', 'list', '--json'], { env });
  expect(r.code).toBe(0);
  const all = [0, 1, 2].flatMap((i) => page(i).data);
  expect(r.stdout).toBe(JSON.stringify(all, null, 2) + '\n');
  server.handle((_req, res) =>
    json(res, 200, { object: 'list', data: [], first_id: null, last_id: null, has_more: false }),
  );
  const empty = await runBin(bundle.bin, ['users', 'list', '--json'], { env });
  expect(empty.stdout).toBe('[]\n');
});

test('-o FILE killed (SIGKILL) mid-list: the file keeps its old content whole; only the temporary file is left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openai-admin-o-kill-'));
  try {
    const file = join(dir, 'users.csv');
    writeFileSync(file, 'old,content\r\n');
    let asked!: () => void;
    const page2Asked = new Promise<void>((r) => (asked = r));
    server.handle((req, res) => {
      const after = new URL(req.url ?? '/', 'http://x').searchParams.get('after');
      if (after === null) return json(res, 200, page(0));
      asked(); // page 1 is in the temporary file by now (written before page 2 is asked for); page 2 never comes
    });
    const child = track(
      spawn(process.execPath, [bundle.bin, 'users', 'list', '--csv', '-o', file], {
        cwd: ROOT,
        env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1` }),
        stdio: 'ignore',
      }),
    );
    const exited = new Promise((resolve) => child.once('close', resolve));
    await page2Asked;
    const [tmp] = readdirSync(dir).filter((f) => f !== 'users.csv');
    expect(readFileSync(join(dir, tmp), 'utf8')).toContain('user_000099');
    child.kill('SIGKILL');
    await exited;
    expect(readFileSync(file, 'utf8')).toBe('old,content\r\n');
    expect(readdirSync(dir).sort()).toEqual([tmp, 'users.csv'].sort());
    expect(tmp).toMatch(/^\.users\.csv\.\d+\.[0-9a-f]{8}\.tmp$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
