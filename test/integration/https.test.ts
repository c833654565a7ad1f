/**
 * HTTPS through the Node transport, as every call to the real API goes: a node:https server on 127.0.0.1 with
 * the self-signed certificate in test/fixtures/tls. A child process that trusts it (NODE_EXTRA_CA_CERTS, read
 * at start-up) makes the calls that must succeed; this process, which does not trust it, checks the refusal.
 */
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type Socket } from 'node:net';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { OpenAIAdmin } from '../../src/client.js';
import { APIConnectionError, APIConnectionTimeoutError } from '../../src/core/base/errors.js';
import { nodeTransport } from '../../src/core/transport/node-transport.js';
import { rejectionOf } from '../support/client.js';
import { run } from '../support/processes.js';

const TLS = join(__dirname, '../fixtures/tls');
const KEY = 'sk-admin-https-test-0000';
const PROJECT = { id: 'proj_1', object: 'organization.project', name: 'p', created_at: 1, status: 'active' };

let server: Server;
let baseURL: string;
let requests = 0;
let tlsConnections = 0;
beforeAll(async () => {
  server = createServer(
    { key: readFileSync(join(TLS, 'key.pem')), cert: readFileSync(join(TLS, 'cert.pem')) },
    (req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(PROJECT)));
    },
  );
  server.keepAliveTimeout = 10_000;
  server.on('secureConnection', () => tlsConnections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `https://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = 0;
  tlsConnections = 0;
});

/** Runs a module script in a child that trusts the test certificate; `out` is its stdout, then its stderr. */
async function runTrusting(script: string): Promise<{ code: number | null; out: string }> {
  const { code, stdout, stderr } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(TLS, 'cert.pem') },
      timeoutMs: 15_000,
    },
  );
  return { code, out: stdout + stderr };
}

test('with the certificate trusted, calls succeed and share one TLS connection', async () => {
  const { code, out } = await runTrusting(`
    import { OpenAIAdmin } from ${JSON.stringify(join(__dirname, '../../src/index.ts'))};
    const admin = new OpenAIAdmin({ apiKey: ${JSON.stringify(KEY)}, baseURL: ${JSON.stringify(baseURL)} });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await admin.projects.retrieve('proj_1')).id);
    console.log(JSON.stringify(ids));`);
  expect(out.trim()).toBe('["proj_1","proj_1","proj_1"]');
  expect(code).toBe(0);
  expect(requests).toBe(3);
  expect(tlsConnections).toBe(1);
}, 20_000);

test('an untrusted certificate is a connection error naming the TLS failure, and nothing is sent', async () => {
  const admin = new OpenAIAdmin({ apiKey: KEY, baseURL, maxRetries: 0 });
  const error = await rejectionOf(admin.projects.create({ name: 'x' }));
  expect(error).toBeInstanceOf(APIConnectionError);
  expect(error.message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
  expect(requests).toBe(0);
});

test('a failed TLS handshake is reported as never sent, so even a create may be retried', async () => {
  const failure = await rejectionOf(
    nodeTransport({ maxSockets: 16 })({
      url: `${baseURL}/organization/projects`,
      method: 'POST',
      headers: {},
      body: '{}',
      timeoutMs: 5_000,
      signal: undefined,
      maxResponseBytes: 1_000_000,
    }),
  );
  expect(failure).toMatchObject({ failure: 'connection', sent: false });
  expect(requests).toBe(0);
});

test('a timeout during the TLS handshake sent nothing: a create is retried, not reported as outcome-unknown', async () => {
  // Accepts TCP and never answers the handshake, so no request byte can ever be written.
  const sockets: Socket[] = [];
  const stall = createNetServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => stall.listen(0, '127.0.0.1', resolve));
  const port = (stall.address() as { port: number }).port;
  try {
    const admin = new OpenAIAdmin({
      apiKey: KEY,
      baseURL: `https://127.0.0.1:${port}/v1`,
      timeout: 100,
      maxRetries: 1,
      sleep: async () => {},
    });
    const error = await rejectionOf(admin.projects.create({ name: 'x' }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(sockets).toHaveLength(2);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => stall.close(resolve));
  }
});
