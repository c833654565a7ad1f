/**
 * `export focus -o` killed (SIGKILL) at each point where it waits on the API: the previous file is untouched and no
 * temporary file is left. The server holds the chosen request and says when it has it (a handshake, not a delay).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, startServer, type LocalServer } from '../support/local-server';
import { track } from '../support/processes';
import { bundleCli, cleanEnv } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-CLI-focus-kill-1d2e';
const NOV_1 = Date.UTC(2026, 10, 1) / 1000;
const costsPage = {
  object: 'page',
  has_more: false,
  next_page: null,
  data: [
    {
      object: 'bucket',
      start_time: NOV_1,
      end_time: NOV_1 + 86_400,
      results: [
        {
          object: 'organization.costs.result',
          amount: { value: 0.5, currency: 'usd' },
          project_id: 'proj_a',
          line_item: 'gpt-4o-2024-08-06, input',
          api_key_id: null,
          quantity: 200_000,
          quantity_unit: 'tokens',
        },
      ],
    },
  ],
};
const projectsPage = {
  object: 'list',
  data: [{ object: 'organization.project', id: 'proj_a', name: 'A', created_at: NOV_1, status: 'active' }],
  first_id: 'proj_a',
  last_id: 'proj_a',
  has_more: false,
};

let bundle: ReturnType<typeof bundleCli>;
let server: LocalServer;
let dir: string;
beforeAll(async () => {
  bundle = bundleCli();
  server = await startServer();
}, 60_000);
afterAll(async () => {
  bundle?.cleanup();
  await server?.close();
});
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'focus-kill-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test.each([
  ['while the costs are being fetched', '/v1/organization/costs'],
  ['while the project names are being fetched', '/v1/organization/projects'],
])('killed %s: the previous file is as it was, nothing else is left', async (_when, held) => {
  const file = join(dir, 'focus.csv');
  writeFileSync(file, 'previous export\n');
  let reached!: () => void;
  const holding = new Promise<void>((resolve) => (reached = resolve));
  server.handle((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === held) return reached(); // never answered: the bin waits here until it is killed
    if (path === '/v1/organization/costs') return json(res, 200, costsPage);
    if (path === '/v1/organization/projects') return json(res, 200, projectsPage);
    json(res, 404, { error: { message: 'not here', type: 'invalid_request_error', param: null, code: null } });
  });
  const child = track(
    spawn(process.execPath, [bundle.bin, 'export', 'focus', '--month', '2026-11', '-o', file], {
      env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1` }),
      stdio: 'ignore',
    }),
  );
  const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await holding;
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(readFileSync(file, 'utf8')).toBe('previous export\n');
  expect(readdirSync(dir)).toEqual(['focus.csv']);
});

test('the same run left alone replaces the file whole', async () => {
  const file = join(dir, 'focus.csv');
  writeFileSync(file, 'previous export\n');
  server.handle((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    json(res, 200, path === '/v1/organization/costs' ? costsPage : projectsPage);
  });
  const child = track(
    spawn(process.execPath, [bundle.bin, 'export', 'focus', '--month', '2026-11', '-o', file], {
      env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1` }),
      stdio: 'ignore',
    }),
  );
  expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  const text = readFileSync(file, 'utf8');
  expect(text.split('\r\n')).toHaveLength(3); // header, one row, the final line end
  expect(text).toContain(',0.5,0.5,0.5,0.5,200000,Tokens,200000,Tokens,');
  expect(readdirSync(dir)).toEqual(['focus.csv']);
});
