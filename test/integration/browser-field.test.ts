/**
 * package.json's "browser" field maps the node:http transport out of browser builds, where it is dead code (3.8 KB
 * minified in a single-file bundle), and the module through which response validators load when none were passed
 * (~700 KB; test/integration/bundled-validation.test.ts). A runtime that has node:http but was bundled for the browser anyway gets an
 * empty module in its place and must fall back to fetch rather than fail every call.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/paths';

jest.mock('../../src/core/transport/node-transport', () => ({}));

let server: Server;
let baseURL: string;
const agents: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    agents.push(String(req.headers['user-agent']));
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(
        JSON.stringify({ object: 'organization.project', id: 'proj_1', name: 'p', created_at: 1, status: 'active' }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('every path of node-transport and of the response-validators loader the package ships (ESM, CJS, sources) is mapped out for browsers', () => {
  const { browser } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    browser: Record<string, unknown>;
  };
  // An empty ES module (src/core/base/browser-empty.ts), not false: a bundler makes false a CommonJS module, and
  // each import() of it pulls in CommonJS interop helpers. The sources' entries stay false: a published package may
  // name only files it ships (publint), and it ships no sources (bench/bundle.ts maps them as dist/ is mapped).
  const empty = (prefix: string) => `${prefix}src/core/base/browser-empty.js`;
  expect(browser).toEqual({
    './dist/esm/src/core/transport/node-transport.js': empty('./dist/esm/'),
    './dist/cjs/src/core/transport/node-transport.js': empty('./dist/cjs/'),
    './src/core/transport/node-transport.js': false,
    './dist/esm/src/core/validation/response-validators.js': empty('./dist/esm/'),
    './dist/cjs/src/core/validation/response-validators.js': empty('./dist/cjs/'),
    './src/core/validation/response-validators.js': false,
  });
});

test('the module browsers get in their place exports nothing (their callers fall back as for any empty module)', async () => {
  expect(Object.keys(await import('../../src/core/base/browser-empty.js'))).toEqual([]);
});

test('where node:http loads but the transport module came out empty, calls go through fetch', async () => {
  const { OpenAIAdmin } = await import('../../src/index.js');
  const admin = new OpenAIAdmin({ apiKey: 'sk-admin-browser-field', baseURL });
  const project = await admin.projects.retrieve('proj_1');
  expect(project.id).toBe('proj_1');
  // The node transport names itself; undici's fetch sends its own user agent.
  expect(agents).toHaveLength(1);
  expect(agents[0]).not.toMatch(/^openai-admin\//);
});
