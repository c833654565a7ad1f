/**
 * A create goes on a new connection, never an idle pooled one: a keep-alive socket the server closes at the
 * moment it is reused fails with a reset that looks exactly like a crash after processing, and a create must not
 * meet that ambiguity because a socket was old. Reads keep reusing pooled connections.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { OpenAIAdmin } from '../../src/index.js';

let server: Server;
let baseURL: string;
/** Per request, in arrival order: the request line and the connection (socket number) it came on. */
const seen: Array<{ line: string; socket: number }> = [];

beforeAll(async () => {
  const sockets = new WeakMap<Socket, number>();
  let next = 0;
  server = createServer((req, res) => {
    if (!sockets.has(req.socket)) sockets.set(req.socket, ++next);
    seen.push({ line: `${req.method} ${req.url}`, socket: sockets.get(req.socket)! });
    req.resume();
    req.on('end', () => {
      const body =
        req.method === 'POST'
          ? { object: 'organization.project', id: 'proj_new', name: 'x', created_at: 1, status: 'active' }
          : { object: 'organization.project', id: 'proj_1', name: 'p', created_at: 1, status: 'active' };
      res
        .writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' })
        .end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a create is sent on a connection of its own while reads reuse the pooled one (Node transport)', async () => {
  // A maxSockets of its own gives this client its own agents, so no other test's idle socket is in the pool.
  const admin = new OpenAIAdmin({ apiKey: 'sk-admin-fresh', baseURL, maxSockets: 7 });
  await admin.projects.retrieve('proj_1');
  await admin.projects.retrieve('proj_1');
  await admin.projects.create({ name: 'x' });
  await admin.projects.retrieve('proj_1');
  await admin.projects.create({ name: 'y' });
  expect(seen.map((s) => s.line)).toEqual([
    'GET /v1/organization/projects/proj_1',
    'GET /v1/organization/projects/proj_1',
    'POST /v1/organization/projects',
    'GET /v1/organization/projects/proj_1',
    'POST /v1/organization/projects',
  ]);
  const [read1, read2, create1, read3, create2] = seen.map((s) => s.socket);
  expect([read2, read3]).toEqual([read1, read1]);
  expect(new Set([read1, create1, create2]).size).toBe(3);
});
