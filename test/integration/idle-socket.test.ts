/**
 * The Node transport closes a pooled keep-alive socket that sits idle, on the server's Keep-Alive hint (less a
 * second, as Node's agent does) — and only once it is idle: a socket serving calls one after another stays open.
 * The server here never closes connections itself (keepAliveTimeout 0), so only the client can close them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { OpenAIAdmin } from '../../src/index.js';

let server: Server;
let baseURL: string;
const closed: Socket[] = [];
const opened: Socket[] = [];
let onClose: (() => void) | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res
        .writeHead(200, { 'content-type': 'application/json', 'keep-alive': 'timeout=2' })
        .end(
          JSON.stringify({ object: 'organization.project', id: 'proj_1', name: 'p', created_at: 1, status: 'active' }),
        ),
    );
  });
  server.keepAliveTimeout = 0;
  server.on('connection', (socket: Socket) => {
    opened.push(socket);
    socket.on('close', () => {
      closed.push(socket);
      onClose?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('an idle pooled socket is closed by the client after the Keep-Alive hint, one socket serving every call before', async () => {
  // A maxSockets of its own gives this client its own agents, so no other test's idle socket is in the pool.
  const admin = new OpenAIAdmin({ apiKey: 'sk-admin-idle', baseURL, maxSockets: 5 });
  const closedOnce = new Promise<void>((resolve) => (onClose = resolve));
  for (let i = 0; i < 5; i++) await admin.projects.retrieve('proj_1');
  expect(opened).toHaveLength(1);
  // The hint's 2 s less Node's 1 s margin: the client ends the connection about 1 s after the last response.
  await closedOnce;
  expect(closed).toEqual(opened);
  // The next call opens a new connection and works.
  await admin.projects.retrieve('proj_1');
  expect(opened).toHaveLength(2);
}, 20_000);
