/**
 * `keys rotate` when a step fails, through the real bin. A node:http proxy on 127.0.0.1 sits between the bin and
 * the emulator and injects one fault per chosen request: a 500 without forwarding, a 500 after the emulator
 * carried the request out, or a connection reset (before or after forwarding). Every run checks what the user is
 * told (stdout, stderr, exit code) against what the emulator really holds afterwards.
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LoopbackProxy, type RequestBody } from '../support/loopback-proxy';
import { cleanEnv, runBin, useCliFixture, type CliRun } from './support';

// Child processes on a shared machine: a generous bound as a safety net; no assertion depends on time.
jest.setTimeout(120_000);

const KEY = 'sk-admin-CLI-rotate-4f5e6d7c';
const fx = useCliFixture(KEY, { seed: 'cli-rotate' });

type Fault = 'answer 500' | 'carry out, then 500' | 'reset' | 'carry out, then reset';
interface Rule {
  method: string;
  /** Matches the request path (after /v1). */
  path: (path: string) => boolean;
  fault: Fault;
}

/** The proxy: forwards to the emulator unless a rule says otherwise; records what the bin sent. */
class FaultProxy extends LoopbackProxy {
  rules: Rule[] = [];
  sent: Array<{ method: string; path: string }> = [];
  /** The value of the last key the emulator created (so a hostile 500 can echo it). */
  createdValue = '';
  echoValue = false;
  constructor(private readonly target: string) {
    super();
  }
  protected async handle(req: IncomingMessage, res: ServerResponse, body: RequestBody): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').replace(/^\/v1/, '').split('?')[0];
    this.sent.push({ method, path });
    const rule = this.rules.find((r) => r.method === method && r.path(path));
    if (rule?.fault === 'reset') return void req.socket.destroy();
    if (rule?.fault === 'answer 500') return this.#fail(res);
    const upstream = await fetch(`${this.target}${(req.url ?? '/').replace(/^\/v1/, '')}`, {
      method,
      headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
      body: body.length ? body : undefined,
    });
    const text = await upstream.text();
    if (method === 'POST' && upstream.ok) this.createdValue = (JSON.parse(text) as { value?: string }).value ?? '';
    if (rule?.fault === 'carry out, then reset') return void req.socket.destroy();
    if (rule?.fault === 'carry out, then 500') return this.#fail(res);
    res.writeHead(upstream.status, { 'content-type': 'application/json' });
    res.end(text);
  }
  #fail(res: ServerResponse): void {
    const echo = this.echoValue ? ` (while handling ${this.createdValue})` : '';
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `The server had an error${echo}.`, type: 'server_error' } }));
  }
}

let proxy: FaultProxy;
let url: string;
/** Each test its own journal directory: a test that stops part-way leaves a journal (by design). */
let stateHome: string;
beforeEach(async () => {
  stateHome = mkdtempSync(join(fx.tmp, 'state-'));
  proxy = new FaultProxy(fx.emu.url);
  url = await proxy.start();
});
afterEach(() => proxy.close());

const rotate = (args: string[]) =>
  runBin(fx.bundle.bin, ['keys', 'rotate', ...args], {
    env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: url, XDG_STATE_HOME: stateHome }),
  });

/** The first project's service account, given `count` keys in all (the seed gives it one). */
async function accountWithKeys(count: number) {
  const project = [...fx.emu.state.projects.values()][0];
  const account = [...fx.emu.state.serviceAccounts.values()].find((s) => s.projectId === project.id)!;
  for (let i = 1; i < count; i++)
    await fx.admin.projects.serviceAccounts.apiKeys.create(project.id, account.id, { name: `extra-${i}` });
  const keysNow = () =>
    [...fx.emu.state.projectKeys.values()]
      .filter((k) => k.projectId === project.id && k.owner.type === 'service_account' && k.owner.id === account.id)
      .map((k) => k.id);
  const old = keysNow();
  expect(old).toHaveLength(count);
  return { project, account, old, keysNow };
}

const keyPath = (id: string) => (path: string) => path.endsWith(`/api_keys/${id}`);
const createPath = (path: string) => /\/service_accounts\/[^/]+\/api_keys$/.test(path);
/** The new key's value as printed on stdout (table mode), and its id. */
const printedKey = (r: CliRun) => {
  const m = /^New key (\S+) \(shown once; store it now\):\n(sk-\S+)\n/.exec(r.stdout);
  expect(m).not.toBeNull();
  return { id: m![1], value: m![2] };
};
/** The report's line for `label`, e.g. line(r, 'old keys deleted') → 'key_a'. */
const line = (r: CliRun, label: string) => new RegExp(`^ +${label}: +(.*)$`, 'm').exec(r.stderr)?.[1];

describe('keys rotate: every failure point says what exists and never loses the new key', () => {
  test('the create fails: no key printed, nothing deleted, exit 1, the report says the old keys remain', async () => {
    const { project, account, old, keysNow } = await accountWithKeys(2);
    proxy.rules = [{ method: 'POST', path: createPath, fault: 'answer 500' }];
    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Key rotation stopped at create: /m);
    expect(line(r, 'new key')).toMatch(/^unknown: the create may have been carried out/);
    expect(line(r, 'old keys deleted')).toBe('(none)');
    expect(line(r, 'old keys remaining')).toBe(old.join(', '));
    expect(proxy.sent.filter((q) => q.method === 'DELETE')).toEqual([]);
    expect(keysNow()).toEqual(old);
  });

  test.each([
    ['first', 0],
    ['second', 1],
  ])(
    'the %s of two deletes fails (500, retried): the new key is on stdout, the report names deleted and remaining keys, exit 3',
    async (_, failing) => {
      const { project, account, old, keysNow } = await accountWithKeys(2);
      proxy.rules = [{ method: 'DELETE', path: keyPath(old[failing]), fault: 'answer 500' }];
      const r = await rotate([project.id, account.name, '--yes']);
      expect(r.code).toBe(3);
      const key = printedKey(r);
      expect(keysNow().sort()).toEqual([key.id, ...old.slice(failing)].sort());
      expect(r.stderr).toMatch(
        new RegExp(`^Key rotation stopped at delete: deleting ${old[failing]} failed .*; it still exists$`, 'm'),
      );
      expect(line(r, 'new key')).toBe(`${key.id}, written to stdout`);
      expect(line(r, 'old keys deleted')).toBe(old.slice(0, failing).join(', ') || '(none)');
      expect(line(r, 'old keys remaining')).toBe(old.slice(failing).join(', '));
      expect(line(r, 'old keys unknown')).toBe('(none)');
      expect(r.stderr).toMatch(
        /^ +to finish, run the same command again: the journal .* makes it delete the old keys/m,
      );
      expect(r.stderr).not.toContain(key.value);
    },
  );

  test('a delete that failed (exit 3), then the same command again: it resumes from the journal, deletes the rest, creates no key', async () => {
    const { project, account, old, keysNow } = await accountWithKeys(2);
    proxy.rules = [{ method: 'DELETE', path: keyPath(old[1]), fault: 'answer 500' }];
    const stopped = await rotate([project.id, account.name, '--yes']);
    expect(stopped.code).toBe(3);
    const key = printedKey(stopped);
    proxy.rules = [];
    proxy.sent = [];
    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Not creating another key: ${key.id}`);
    expect(r.stderr).toContain(`Deleted old key ${old[1]}\n`);
    expect(proxy.sent.filter((q) => q.method !== 'GET')).toEqual([
      { method: 'DELETE', path: `/organization/projects/${project.id}/api_keys/${old[1]}` },
    ]);
    expect(keysNow()).toEqual([key.id]);
  });

  test('stdout closed before the key is written (EPIPE): nothing deleted, exit 1, the report names the new key to delete', async () => {
    const { project, account, old, keysNow } = await accountWithKeys(2);
    const r = await runBin(fx.bundle.bin, ['keys', 'rotate', project.id, account.name, '--yes'], {
      env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: url, XDG_STATE_HOME: stateHome }),
      closeStdout: true,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Key rotation stopped at deploy: /m);
    const created = keysNow().filter((id) => !old.includes(id));
    expect(created).toHaveLength(1);
    expect(line(r, 'new key')).toBe(
      `${created[0]} was created but its value could not be stored: delete it ` +
        `(openai-admin projects api-keys delete ${project.id} ${created[0]})`,
    );
    expect(line(r, 'old keys deleted')).toBe('(none)');
    expect(proxy.sent.filter((q) => q.method === 'DELETE')).toEqual([]);
    expect(keysNow()).toEqual(expect.arrayContaining(old));
  });

  test('a delete the server carried out but answered 500 is read back (404: deleted): the rotation completes, exit 0', async () => {
    const { project, account, old, keysNow } = await accountWithKeys(1);
    proxy.rules = [{ method: 'DELETE', path: keyPath(old[0]), fault: 'carry out, then 500' }];
    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(0);
    const key = printedKey(r);
    expect(keysNow()).toEqual([key.id]);
    expect(r.stderr).toContain(`Deleted old key ${old[0]}\n`);
    // The delete was answered 500 (and retried), then settled by a read of the key.
    expect(proxy.sent.filter((q) => q.path.endsWith(`/api_keys/${old[0]}`)).map((q) => q.method)).toEqual([
      'DELETE',
      'DELETE',
      'DELETE',
      'GET',
    ]);
  });

  test.each([
    ['reset before the server saw it', 'reset', 'remains'],
    ['reset after the server carried it out', 'carry out, then reset', 'deleted'],
  ] as const)('a delete whose connection is %s is read back before it is reported', async (_, fault, outcome) => {
    const { project, account, old, keysNow } = await accountWithKeys(2);
    proxy.rules = [{ method: 'DELETE', path: keyPath(old[0]), fault }];
    const r = await rotate([project.id, account.name, '--yes']);
    const key = printedKey(r);
    if (outcome === 'deleted') {
      expect(r.code).toBe(0);
      expect(keysNow()).toEqual([key.id]);
    } else {
      expect(r.code).toBe(3);
      expect(line(r, 'old keys deleted')).toBe('(none)');
      expect(line(r, 'old keys remaining')).toBe(old.join(', '));
      expect(keysNow().sort()).toEqual([key.id, ...old].sort());
    }
    expect(proxy.sent.some((q) => q.method === 'GET' && q.path.endsWith(`/api_keys/${old[0]}`))).toBe(true);
    expect(r.stderr).not.toContain(key.value);
  });

  test('a delete that fails and a read that cannot settle it: the key is reported unknown, the rest remaining', async () => {
    const { project, account, old, keysNow } = await accountWithKeys(2);
    proxy.rules = [
      { method: 'DELETE', path: keyPath(old[0]), fault: 'carry out, then 500' },
      { method: 'GET', path: keyPath(old[0]), fault: 'answer 500' },
    ];
    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(3);
    const key = printedKey(r);
    expect(line(r, 'old keys deleted')).toBe('(none)');
    expect(line(r, 'old keys unknown')).toMatch(new RegExp(`^${old[0]} `));
    expect(line(r, 'old keys remaining')).toBe(old[1]);
    expect(keysNow().sort()).toEqual([key.id, old[1]].sort()); // it was in fact deleted; the second was never tried
  });

  test("the new key's verification read fails: the key is already on stdout, nothing is deleted, exit 3", async () => {
    const { project, account, old, keysNow } = await accountWithKeys(2);
    proxy.rules = [
      {
        method: 'GET',
        path: (p) => /\/api_keys\/[^/]+$/.test(p) && !old.some((id) => p.endsWith(id)),
        fault: 'answer 500',
      },
    ];
    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(3);
    const key = printedKey(r);
    expect(r.stderr).toMatch(/^Key rotation stopped at verify: /m);
    expect(line(r, 'new key')).toBe(`${key.id}, written to stdout (not verified)`);
    expect(line(r, 'old keys remaining')).toBe(old.join(', '));
    expect(proxy.sent.filter((q) => q.method === 'DELETE')).toEqual([]);
    expect(keysNow().sort()).toEqual([key.id, ...old].sort());
  });

  test('a server that echoes the new key in its error: the value never reaches stderr', async () => {
    const { project, account, old } = await accountWithKeys(1);
    proxy.echoValue = true;
    proxy.rules = [
      { method: 'DELETE', path: keyPath(old[0]), fault: 'answer 500' },
      { method: 'GET', path: keyPath(old[0]), fault: 'answer 500' },
    ];
    const r = await rotate([project.id, account.name, '--yes', '--debug']);
    expect(r.code).toBe(3);
    const key = printedKey(r);
    expect(proxy.createdValue).toBe(key.value);
    expect(r.stderr).toContain('while handling');
    expect(r.stderr).not.toContain(key.value);
    expect(r.stderr).not.toContain(key.value.slice(-20));
  });
});

describe('keys rotate: --keep-old and --key-out', () => {
  test('--keep-old creates and verifies the new key and deletes nothing', async () => {
    const { project, account, old, keysNow } = await accountWithKeys(2);
    const r = await rotate([project.id, account.name, '--keep-old', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { key_id: string; key: string };
    expect(out.key).toMatch(/^sk-svcacct-/);
    expect(keysNow().sort()).toEqual([out.key_id, ...old].sort());
    expect(proxy.sent.filter((q) => q.method === 'DELETE')).toEqual([]);
    expect(r.stderr).toContain('2 old key(s) kept (--keep-old)');
  });

  test('--key-out writes the key to a new 0600 file (not stdout) before the old keys are deleted', async () => {
    const { project, account, old, keysNow } = await accountWithKeys(2);
    const file = join(fx.tmp, `new-${Date.now()}.key`);
    proxy.rules = [{ method: 'DELETE', path: keyPath(old[1]), fault: 'answer 500' }];
    const r = await rotate([project.id, account.name, '--yes', '--key-out', file, '--json']);
    expect(r.code).toBe(3);
    const value = readFileSync(file, 'utf8').trimEnd();
    expect(value).toMatch(/^sk-svcacct-/);
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
    const out = JSON.parse(r.stdout) as { key_id: string; key_file: string };
    expect(out).toEqual({ key_id: expect.stringMatching(/^key_/), key_file: file, expires_at: null });
    expect(r.stdout + r.stderr).not.toContain(value);
    expect(line(r, 'new key')).toBe(`${out.key_id}, written to ${file}`);
    expect(keysNow().sort()).toEqual([out.key_id, old[1]].sort());
  });

  test('--key-out refuses an existing file and a symlink (dangling too) before sending anything', async () => {
    const { project, account } = await accountWithKeys(1);
    const existing = join(fx.tmp, 'existing.key');
    writeFileSync(existing, 'precious\n');
    const link = join(fx.tmp, 'link.key');
    symlinkSync(join(fx.tmp, 'nowhere', 'target'), link);
    for (const target of [existing, link]) {
      const r = await rotate([project.id, account.name, '--yes', '--key-out', target]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--key-out ${target} already exists`);
    }
    expect(readFileSync(existing, 'utf8')).toBe('precious\n');
    expect(existsSync(join(fx.tmp, 'nowhere'))).toBe(false);
    expect(proxy.sent).toEqual([]);
  });

  test('--key-out is removed again when the create fails (no empty key file is left behind)', async () => {
    const { project, account } = await accountWithKeys(1);
    const file = join(fx.tmp, 'never.key');
    proxy.rules = [{ method: 'POST', path: createPath, fault: 'answer 500' }];
    const r = await rotate([project.id, account.name, '--yes', '--key-out', file]);
    expect(r.code).toBe(1);
    expect(existsSync(file)).toBe(false);
  });
});
