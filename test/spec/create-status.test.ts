/**
 * Creates answer 200 or 201, and the live API has flipped between them (a Terraform provider broke on project
 * create going 201 → 200). Every create must succeed on either code in every validate mode: the spec lists both
 * with the same body, and a client with `validate: 'strict'` completes every create against a server forcing
 * 200 and one forcing 201 (the emulator behind a proxy that rewrites the status).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operations, type OperationName } from '../../generated/operations.gen.js';
import { OpenAIAdmin } from '../../src/client.js';
import { operationId } from '../../src/core/types/operation.js';
import { startEmulator, type Emulator } from '../../src/testing/index.js';
import { camelCase, type Spec } from '../../scripts/lib/spec';
import { curatedSpec } from '../support/paths';

const PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUemulatoremulatoremulator0wCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHZW11bGF0b3I=\n-----END CERTIFICATE-----\n';

/** A create: a POST that makes a resource or a membership (x-retry-safe: false, or add-…/assign-…). */
const isCreate = (name: OperationName) => {
  const op = operations[name];
  return op.method === 'POST' && (!op.retrySafe || /^(add|assign)-/.test(operationId(op)));
};
const CREATES = (Object.keys(operations) as OperationName[]).filter(isCreate).sort();

function specOperation(spec: Spec, name: string) {
  for (const item of Object.values(spec.paths)) {
    const op = item.post;
    if (op && camelCase(op.operationId) === name) return op;
  }
  throw new Error(`no POST operation ${name}`);
}

describe('the spec: 200 and 201 on every create', () => {
  test('there are creates to check (18 today)', () => {
    expect(CREATES.length).toBeGreaterThanOrEqual(18);
  });

  test.each(CREATES)('%s lists both 200 and 201 as success', (name) => {
    expect([...operations[name].success].sort()).toEqual([200, 201]);
  });

  test.each(CREATES)('%s answers the same body schema on 200 and 201', (name) => {
    const { responses } = specOperation(curatedSpec(), name);
    expect(responses['201']?.content).toEqual(responses['200']?.content);
  });
});

/** A proxy to the emulator that answers every successful POST with `status`. */
async function forcingProxy(
  target: string,
  status: 200 | 201,
): Promise<{ url: string; server: Server; seen: number[] }> {
  const seen: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    const forward = async () => {
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const upstream = await fetch(`${target}${req.url!.replace(/^\/v1/, '')}`, {
        method: req.method,
        headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
        body,
      });
      const text = await upstream.text();
      const code = req.method === 'POST' && upstream.ok ? status : upstream.status;
      if (req.method === 'POST') seen.push(code);
      res.writeHead(code, {
        'content-type': 'application/json',
        'x-request-id': upstream.headers.get('x-request-id') ?? '',
      });
      res.end(text);
    };
    // A failed forward answers 502 (the test then fails on it) instead of leaving the request hanging.
    req.on('end', () => {
      forward().catch((err: unknown) => (res.headersSent ? res.end() : res.writeHead(502).end(String(err))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, server, seen };
}

/** Calls every create once, each with inputs that the emulator accepts; returns the operations called. */
async function everyCreate(admin: OpenAIAdmin, emu: Emulator): Promise<OperationName[]> {
  const called: OperationName[] = [];
  const call = async <T = { id: string }>(name: OperationName, parts: Record<string, unknown>): Promise<T> => {
    called.push(name);
    // Operations picked by name at run time: the typed signature of _call cannot follow them.
    return admin._call(operations[name], parts as never) as unknown as Promise<T>;
  };
  const alert = {
    threshold_amount: 100,
    currency: 'USD',
    interval: 'month',
    notification_channel: { type: 'email', recipients: ['ops@example.com'] },
  };
  const user = [...emu.state.users.keys()][8];
  const p = (await call('createProject', { body: { name: 'Flip' } })).id;
  const sa = await call('createProjectServiceAccount', { path: { project_id: p }, body: { name: 'bot' } });
  await call('createProjectServiceAccountApiKey', {
    path: { project_id: p, service_account_id: sa.id },
    body: { name: 'rotation' },
  });
  await call('createProjectUser', { path: { project_id: p }, body: { user_id: user, role: 'member' } });
  await call('createInvite', { body: { email: 'flip@example.com', role: 'reader' } });
  await call('createAdminApiKey', { body: { name: 'ci' } });
  await call('uploadOrganizationCertificate', { body: { name: 'mtls', certificate: PEM } });
  const g = (await call('createGroup', { body: { name: 'Flippers' } })).id;
  await call('addGroupUser', { path: { group_id: g }, body: { user_id: user } });
  await call('addProjectGroup', { path: { project_id: p }, body: { group_id: g, role: 'member' } });
  const role = await call('createRole', { body: { role_name: 'Auditor', permissions: ['api.organization.read'] } });
  await call('assignUserRole', { path: { user_id: user }, body: { role_id: role.id } });
  await call('assignGroupRole', { path: { group_id: g }, body: { role_id: role.id } });
  const pr = await call('createProjectRole', {
    path: { project_id: p },
    body: { role_name: 'Deployer', permissions: ['api.project.write'] },
  });
  await call('assignProjectUserRole', { path: { project_id: p, user_id: user }, body: { role_id: pr.id } });
  await call('assignProjectGroupRole', { path: { project_id: p, group_id: g }, body: { role_id: pr.id } });
  await call('createProjectSpendAlert', { path: { project_id: p }, body: alert });
  await call('createOrganizationSpendAlert', { body: alert });
  return called;
}

describe.each([200, 201] as const)('a server answering %i on every create', (status) => {
  let emu: Emulator;
  let proxy: Awaited<ReturnType<typeof forcingProxy>>;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'create-status' });
    proxy = await forcingProxy(emu.url, status);
  });
  afterAll(async () => {
    proxy.server.closeAllConnections();
    await new Promise((resolve) => proxy.server.close(resolve));
    await emu.close();
  });

  test("every create succeeds with validate: 'strict'", async () => {
    const admin = new OpenAIAdmin({
      apiKey: 'sk-admin-emulator',
      baseURL: proxy.url,
      validate: 'strict',
      maxRetries: 0,
    });
    const called = await everyCreate(admin, emu);
    expect([...called].sort()).toEqual(CREATES);
    expect(new Set(proxy.seen)).toEqual(new Set([status]));
    // A safety net only: the first call of a process compiles the validators it loads.
  }, 60_000);
});
