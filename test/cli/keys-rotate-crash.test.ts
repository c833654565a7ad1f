/**
 * `keys rotate` killed at every step, then run again, against the emulator: the real bin SIGKILLs itself at a
 * chosen point (OPENAI_ADMIN_TEST_CRASH_AT, a handshake: no timing), and the second run must converge. Afterwards
 * the service account has exactly one key, the one the user was last given; a key that was delivered is never
 * deleted; stderr says what the second run found and did. Also: two runs at once on one account (the second is
 * refused), an orphan key the re-run cannot delete (reported, journal kept), and a damaged journal (an error
 * naming the file and how to recover).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { defaultJournalPath, type RotationRecord } from '../../src/cli/workflows/rotation-journal.js';
import { LoopbackProxy, type RequestBody } from '../support/loopback-proxy';
import { cleanEnv, runBin, useCliFixture, type CliRun } from './support';

// Child processes on a shared machine: a generous bound as a safety net; no assertion depends on time.
jest.setTimeout(120_000);

const KEY = 'sk-admin-CLI-rotate-crash-7a6b5c4d';
const fx = useCliFixture(KEY, { seed: 'cli-rotate-crash' });

let stateHome: string;
beforeEach(() => {
  stateHome = mkdtempSync(join(fx.tmp, 'state-'));
});

const rotate = (args: string[], crashAt?: string, baseURL = fx.emu.url) =>
  runBin(fx.bundle.bin, ['keys', 'rotate', ...args], {
    env: cleanEnv({
      OPENAI_ADMIN_KEY: KEY,
      OPENAI_BASE_URL: baseURL,
      XDG_STATE_HOME: stateHome,
      ...(crashAt ? { OPENAI_ADMIN_TEST_CRASH_AT: crashAt } : {}),
    }),
  });

/** The first project's service account with two keys (the seed gives it one). */
async function accountWithTwoKeys() {
  const project = [...fx.emu.state.projects.values()][0];
  const account = [...fx.emu.state.serviceAccounts.values()].find((s) => s.projectId === project.id)!;
  await fx.admin.projects.serviceAccounts.apiKeys.create(project.id, account.id, { name: 'extra' });
  const keysNow = () =>
    [...fx.emu.state.projectKeys.values()]
      .filter((k) => k.projectId === project.id && k.owner.type === 'service_account' && k.owner.id === account.id)
      .map((k) => k.id);
  const old = keysNow();
  expect(old).toHaveLength(2);
  const journal = defaultJournalPath({ XDG_STATE_HOME: stateHome }, project.id, account.id);
  const record = () => JSON.parse(readFileSync(journal, 'utf8')) as RotationRecord;
  return { project, account, old, keysNow, journal, record };
}

/** The key printed on stdout (table mode). */
const printedKey = (r: CliRun) => {
  const m = /^New key (\S+) \(shown once; store it now\):\n(sk-\S+)\n/.exec(r.stdout);
  expect(m).not.toBeNull();
  return { id: m![1], value: m![2] };
};

/** The journal directory holds nothing once a rotation is over: no journal, no lock, no temporary file. */
const leftovers = () => {
  const dir = join(stateHome, 'openai-admin');
  return existsSync(dir) ? readdirSync(dir) : [];
};

const killed = (r: CliRun) => expect(r.code).toBeNull(); // ended by a signal (SIGKILL), not an exit

describe('killed before the key was delivered: the re-run deletes what nobody received and rotates afresh', () => {
  test('after recording the intent (no create sent): nothing to undo; one new key, the old ones deleted', async () => {
    const { project, account, old, keysNow, record, journal } = await accountWithTwoKeys();
    const crashed = await rotate([project.id, account.name, '--yes'], 'after-intent');
    killed(crashed);
    expect(crashed.stdout).toBe('');
    expect(record()).toMatchObject({ new_key: { id: null, delivered_to: null }, old_keys: old, deleted: [] });
    expect(statSync(journal).mode & 0o777).toBe(0o600);
    expect(readdirSync(dirname(journal)).sort()).toEqual([basename(journal), `${basename(journal)}.lock`]);
    expect(keysNow()).toEqual(old);

    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Found an interrupted keys rotate of ${account.id} in ${project.id}`);
    expect(r.stderr).toMatch(/No key named rotated-\S+-r[0-9a-f]{8} exists: the create never happened\./);
    expect(r.stderr).toContain('Starting a fresh rotation.');
    expect(keysNow()).toEqual([printedKey(r).id]);
    expect(leftovers()).toEqual([]);
  });

  test('after the create answered, before it was recorded: the orphan is found by its name and deleted', async () => {
    const { project, account, old, keysNow, record } = await accountWithTwoKeys();
    const crashed = await rotate([project.id, account.name, '--yes'], 'after-create');
    killed(crashed);
    expect(crashed.stdout).toBe('');
    expect(record().new_key.id).toBeNull();
    const orphan = keysNow().filter((id) => !old.includes(id));
    expect(orphan).toHaveLength(1);
    expect(fx.emu.state.projectKeys.get(orphan[0])!.name).toBe(record().new_key.name);

    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Deleted ${orphan[0]}: created by the interrupted run, its value never delivered`);
    const key = printedKey(r);
    expect(key.id).not.toBe(orphan[0]);
    expect(keysNow()).toEqual([key.id]);
    expect(leftovers()).toEqual([]);
  });

  test('after the create was recorded, with --key-out: the key is deleted, the empty file removed, the same command succeeds', async () => {
    const { project, account, keysNow, record } = await accountWithTwoKeys();
    const file = join(stateHome, 'ci-bot.key');
    const crashed = await rotate([project.id, account.name, '--yes', '--key-out', file, '--json'], 'after-created');
    killed(crashed);
    const created = record().new_key.id!;
    expect(created).toMatch(/^key_/);
    expect(readFileSync(file, 'utf8')).toBe(''); // created before the create, never written

    const r = await rotate([project.id, account.name, '--yes', '--key-out', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Deleted ${created}: created by the interrupted run, its value never written`);
    expect(r.stderr).toContain(`Removed ${file}: the interrupted run created it empty`);
    const out = JSON.parse(r.stdout) as { key_id: string };
    expect(out.key_id).not.toBe(created);
    expect(keysNow()).toEqual([out.key_id]);
    expect(readFileSync(file, 'utf8')).toMatch(/^sk-svcacct-\S+\n$/);
    expect(leftovers()).toEqual([]);
  });

  test('the empty --key-out file is removed only when the re-run names it: otherwise it is left and reported', async () => {
    const { project, account, keysNow } = await accountWithTwoKeys();
    const file = join(stateHome, 'ci-bot.key');
    killed(await rotate([project.id, account.name, '--yes', '--key-out', file], 'after-intent'));
    expect(readFileSync(file, 'utf8')).toBe('');
    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Left ${file}: the interrupted run created it empty (it holds no key); delete it.`);
    expect(readFileSync(file, 'utf8')).toBe('');
    expect(keysNow()).toEqual([printedKey(r).id]);
  });

  test('after printing to stdout, before recording it: the unrecorded key is deleted and the re-run says that copy no longer works', async () => {
    const { project, account, keysNow, record } = await accountWithTwoKeys();
    const crashed = await rotate([project.id, account.name, '--yes'], 'after-write');
    killed(crashed);
    const first = printedKey(crashed);
    expect(record().new_key).toMatchObject({ id: first.id, delivered_to: null });

    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `Deleted ${first.id}: created by the interrupted run, its delivery never recorded (if it was printed just ` +
        'before the interruption, that copy no longer works)',
    );
    const key = printedKey(r);
    expect(keysNow()).toEqual([key.id]); // the key the user was given last
  });
});

describe('killed after the key was delivered: the re-run keeps it, creates none, finishes the deletes', () => {
  test('delivered to stdout: no second key, both old keys deleted, the delivered key kept', async () => {
    const { project, account, old, keysNow, record } = await accountWithTwoKeys();
    const crashed = await rotate([project.id, account.name, '--yes'], 'after-delivery');
    killed(crashed);
    const key = printedKey(crashed);
    expect(record().new_key).toMatchObject({ id: key.id, delivered_to: 'stdout' });

    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(''); // the value existed only in the killed run: nothing new to print
    expect(r.stderr).toMatch(new RegExp(`Not creating another key: ${key.id} \\(\\S+\\), delivered to stdout`));
    expect(r.stderr).toContain(`Deleted old key ${old[0]}\nDeleted old key ${old[1]}\n`);
    expect(r.stderr).toContain(`Rotated (resumed): ${key.id}`);
    expect(keysNow()).toEqual([key.id]);
    expect(leftovers()).toEqual([]);
  });

  test('delivered to --key-out: the same command (same file) finishes; the file keeps the delivered key', async () => {
    const { project, account, keysNow } = await accountWithTwoKeys();
    const file = join(stateHome, 'ci-bot.key');
    const crashed = await rotate([project.id, account.name, '--yes', '--key-out', file], 'after-delivery');
    killed(crashed);
    const value = readFileSync(file, 'utf8');
    expect(value).toMatch(/^sk-svcacct-\S+\n$/);

    const r = await rotate([project.id, account.name, '--yes', '--key-out', file, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { key_id: string; delivered_to: string; resumed: boolean };
    expect(out).toEqual({ key_id: expect.stringMatching(/^key_/), delivered_to: file, resumed: true });
    expect(keysNow()).toEqual([out.key_id]);
    expect(readFileSync(file, 'utf8')).toBe(value);
    expect(r.stdout + r.stderr).not.toContain(value.trim());
  });

  test('written to --key-out but not yet recorded: the file holding this very key counts as delivered', async () => {
    const { project, account, keysNow, record } = await accountWithTwoKeys();
    const file = join(stateHome, 'ci-bot.key');
    const crashed = await rotate([project.id, account.name, '--yes', '--key-out', file], 'after-write');
    killed(crashed);
    const id = record().new_key.id!;
    expect(record().new_key.delivered_to).toBeNull();
    const value = readFileSync(file, 'utf8');

    const r = await rotate([project.id, account.name, '--yes', '--key-out', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${file} holds the new key ${id}: it was delivered before the interruption.`);
    expect(r.stderr).toContain(`Not creating another key: ${id}`);
    expect(keysNow()).toEqual([id]);
    expect(readFileSync(file, 'utf8')).toBe(value);
  });

  test('after the first of two deletes: only the second is deleted now, the delivered key is kept', async () => {
    const { project, account, old, keysNow, record } = await accountWithTwoKeys();
    const crashed = await rotate([project.id, account.name, '--yes'], 'after-delete@1');
    killed(crashed);
    const key = printedKey(crashed);
    expect(record().deleted).toEqual([old[0]]);
    expect(keysNow().sort()).toEqual([key.id, old[1]].sort());

    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`old keys deleted: ${old[0]}, not yet: ${old[1]}`);
    expect(r.stderr).toContain(`Deleted old key ${old[1]}\n`);
    expect(r.stderr).not.toContain(`Deleted old key ${old[0]}`);
    expect(r.stderr).toContain('1 more old key(s) deleted');
    expect(keysNow()).toEqual([key.id]);
    expect(leftovers()).toEqual([]);
  });
});

describe('what the re-run is told when things changed meanwhile', () => {
  test('--dry-run names the interrupted rotation and changes nothing; the journal stays for the real run', async () => {
    const { project, account, keysNow, journal } = await accountWithTwoKeys();
    killed(await rotate([project.id, account.name, '--yes'], 'after-delivery'));
    const before = keysNow();
    const r = await rotate([project.id, account.name, '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      resume_interrupted: `${journal} (delivered: settled first, see docs/cli.md)`,
    });
    expect(keysNow()).toEqual(before);
    expect(existsSync(journal)).toBe(true);
  });

  test('--keep-old on the re-run: the delivered key is verified, the old keys are kept, the journal removed', async () => {
    const { project, account, old, keysNow } = await accountWithTwoKeys();
    const crashed = await rotate([project.id, account.name, '--yes'], 'after-delivery');
    const key = printedKey(crashed);
    const r = await rotate([project.id, account.name, '--keep-old']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Kept old key ${old[0]}\nKept old key ${old[1]}\n`);
    expect(keysNow().sort()).toEqual([key.id, ...old].sort());
    expect(leftovers()).toEqual([]);
  });

  test('the delivered key was deleted by someone since: no old key is deleted, exit 3, the journal removed', async () => {
    const { project, account, old, keysNow } = await accountWithTwoKeys();
    const crashed = await rotate([project.id, account.name, '--yes'], 'after-delete@1');
    const key = printedKey(crashed);
    await fx.admin.projects.apiKeys.delete(project.id, key.id);
    const r = await rotate([project.id, account.name, '--yes']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `the key ${key.id} that the interrupted rotation delivered to stdout no longer exists (deleted or expired), so ` +
        `no old key is deleted: old keys deleted before the interruption: ${old[0]}; remaining: ${old[1]}`,
    );
    expect(keysNow()).toEqual([old[1]]);
    expect(leftovers()).toEqual([]);
  });
});

/**
 * Forwards to the emulator, holding the create until the test lets it go (a handshake, not a delay), and
 * refusing (403) the delete of the key `refuseDeleteOf`.
 */
class HoldingProxy extends LoopbackProxy {
  refuseDeleteOf: string | undefined;
  #release!: () => void;
  readonly released = new Promise<void>((resolve) => (this.#release = resolve));
  #arrived!: () => void;
  readonly createArrived = new Promise<void>((resolve) => (this.#arrived = resolve));
  constructor(private readonly target: string) {
    super();
  }
  release(): void {
    this.#release();
  }
  protected async handle(req: IncomingMessage, res: ServerResponse, body: RequestBody): Promise<void> {
    const path = (req.url ?? '/').replace(/^\/v1/, '');
    if (req.method === 'DELETE' && this.refuseDeleteOf && path.endsWith(`/api_keys/${this.refuseDeleteOf}`)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { message: 'Not allowed.', type: 'invalid_request_error' } }));
    }
    if (req.method === 'POST' && /\/service_accounts\/[^/]+\/api_keys$/.test(path.split('?')[0])) {
      this.#arrived();
      await this.released;
    }
    const upstream = await fetch(`${this.target}${path}`, {
      method: req.method,
      headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
      body: body.length ? body : undefined,
    });
    res.writeHead(upstream.status, { 'content-type': 'application/json' });
    res.end(await upstream.text());
  }
}

describe('two runs at once, and a damaged journal', () => {
  test('a second rotation of the same account while one runs is refused, names the running one, changes nothing', async () => {
    const { project, account, old, keysNow, journal } = await accountWithTwoKeys();
    const proxy = new HoldingProxy(fx.emu.url);
    const url = await proxy.start();
    try {
      const first = rotate([project.id, account.name, '--yes'], undefined, url);
      await proxy.createArrived; // the first run holds the lock and waits for its create
      const second = await rotate([project.id, account.name, '--yes']);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`rotation journal ${journal} is in use by another keys rotate of ${account.id}`);
      expect(second.stdout).toBe('');
      expect(keysNow()).toEqual(old);
      proxy.release();
      const r = await first;
      expect(r.code).toBe(0);
      expect(keysNow()).toEqual([printedKey(r).id]);
    } finally {
      proxy.release();
      await proxy.close();
    }
  });

  test('an orphan that cannot be deleted: the re-run says so, creates nothing, keeps the journal; the next run converges', async () => {
    const { project, account, old, keysNow, journal } = await accountWithTwoKeys();
    killed(await rotate([project.id, account.name, '--yes'], 'after-create'));
    const orphan = keysNow().filter((id) => !old.includes(id))[0];
    const proxy = new HoldingProxy(fx.emu.url);
    proxy.refuseDeleteOf = orphan;
    proxy.release();
    const url = await proxy.start();
    try {
      const r = await rotate([project.id, account.name, '--yes'], undefined, url);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `the interrupted rotation created ${orphan}, whose value nobody received, and deleting it failed`,
      );
      expect(r.stderr).toContain(`openai-admin projects api-keys delete ${project.id} ${orphan}`);
      expect(keysNow().sort()).toEqual([...old, orphan].sort());
      expect(existsSync(journal)).toBe(true);
    } finally {
      await proxy.close();
    }
    const again = await rotate([project.id, account.name, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`Deleted ${orphan}: created by the interrupted run`);
    expect(keysNow()).toEqual([printedKey(again).id]);
    expect(leftovers()).toEqual([]);
  });

  test.each([
    ['empty', '', 'is empty'],
    ['not JSON', '{"version": 1, "new_', 'is not valid JSON'],
    ['another shape', '{"version": 2}', 'is not a rotation journal this version understands'],
  ])(
    'a journal that is %s: an error naming the file and how to recover, nothing sent that changes anything',
    async (_, text, what) => {
      const { project, account, old, keysNow, journal } = await accountWithTwoKeys();
      mkdirSync(dirname(journal), { recursive: true });
      writeFileSync(journal, text);
      const r = await rotate([project.id, account.name, '--yes']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`rotation journal ${journal} ${what}`);
      expect(r.stderr).toContain(`delete ${journal} and run again`);
      expect(keysNow()).toEqual(old);
      expect(readFileSync(journal, 'utf8')).toBe(text); // never guessed at, never overwritten
    },
  );
});
