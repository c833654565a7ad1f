/**
 * `audit-logs tail --state` against what a shared machine, a cron table and a server can do to it: two runs at
 * once on one state file, files and symbolic links planted next to the state, a state file naming another file
 * as its output, a damaged state file, Ctrl-C while the API does not answer, days of --follow, and pages that
 * repeat an event or come oldest first. The real bin in child processes, behind a local proxy to the emulator
 * that can hold a request (a handshake: the test acts when the request has arrived, never after a delay).
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { getEventListeners } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { OpenAIAdmin } from '../../src/index.js';
import { pollAuditLog, type AuditCheckpoint } from '../../src/cli/workflows/audit-log-state.js';
import { sleepUnlessAborted, tailLoop, type Timers } from '../../src/cli/workflows/audit-tail.js';
import { isStale, type LockOwner, type LockSystem } from '../../src/cli/workflows/state-lock.js';
import { startServer, type LocalServer } from '../support/local-server';
import { ROOT } from '../support/paths';
import { stopProcess, track } from '../support/processes';
import { cleanEnv, useCliFixture } from './support';

// Child processes on a shared machine: a generous bound as a safety net; no assertion depends on time.
jest.setTimeout(120_000);

const KEY = 'sk-admin-CLI-audit-state-1a2b3c4d';
const fx = useCliFixture(KEY, { seed: 'audit-state' }, (emu) => void emu.state.auditLogs.splice(0));
let n = 0;
const dirFor = () => {
  const dir = join(fx.tmp, `case-${++n}`);
  mkdirSync(dir);
  return dir;
};

/**
 * A proxy to the emulator that, while `holding`, keeps each request waiting until `release()` (or forever):
 * `arrived(k)` resolves once k requests have come in.
 */
interface Proxy {
  url: string;
  holding: boolean;
  release(): void;
  arrived(k: number): Promise<void>;
  close(): Promise<void>;
}

async function startProxy(): Promise<Proxy> {
  const target = new URL(fx.emu.url);
  let waiting: Array<() => void> = [];
  let seen = 0;
  const watchers: Array<{ k: number; resolve: () => void }> = [];
  const proxy: Proxy = {
    url: '',
    holding: false,
    release() {
      const go = waiting;
      waiting = [];
      proxy.holding = false;
      for (const f of go) f();
    },
    arrived: (k) => new Promise<void>((resolve) => (seen >= k ? resolve() : void watchers.push({ k, resolve }))),
    close: () => server.close(),
  };
  const server: LocalServer = await startServer(async (req, res, request) => {
    seen++;
    for (const w of watchers.filter((w) => seen >= w.k)) (watchers.splice(watchers.indexOf(w), 1), w.resolve());
    if (proxy.holding) await new Promise<void>((resolve) => waiting.push(resolve));
    const upstream = await fetch(`${target.origin}${request.url}`, {
      headers: { authorization: String(req.headers.authorization) },
    });
    const body = await upstream.text();
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(body);
  });
  proxy.url = `${server.url}${target.pathname}`;
  return proxy;
}

interface Run {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `audit-logs tail …` against `base`, stdout piped to the test; ends by itself or after 60 s at most. */
function start(args: string[], base: string): Run {
  const child = track(
    spawn(process.execPath, [fx.bundle.bin, 'audit-logs', 'tail', ...args], {
      cwd: ROOT,
      env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: base }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => void stopProcess(child, 1_000), 60_000);
  return {
    pid: child.pid!,
    exited: new Promise((resolve) =>
      child.once('close', (code, signal) => (clearTimeout(timer), resolve({ code, signal, stdout, stderr }))),
    ),
    kill: (signal) => void child.kill(signal),
  };
}

const idsOf = (ndjson: string) =>
  ndjson
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { id: string }).id);

async function makeEvents(count: number) {
  for (let i = 0; i < count; i++) await fx.admin.projects.create({ name: `P${i}` });
  return fx.emu.state.auditLogs.map((e) => e.id);
}

describe('one run per state file', () => {
  test('a second run while the first is polling stops with an error naming the other run; 20 events print once', async () => {
    const expected = await makeEvents(20);
    const state = join(dirFor(), 'state.json');
    const proxy = await startProxy();
    try {
      proxy.holding = true;
      const first = start(['--state', state], proxy.url);
      await proxy.arrived(1); // the first run holds the state and waits for the API
      const second = start(['--state', state], proxy.url);
      // The second run either refuses (and exits) or, without a lock, sends its own poll: then let both go.
      const secondDone = await Promise.race([
        second.exited.then(() => 'exited'),
        proxy.arrived(2).then(() => 'polled'),
      ]);
      proxy.release();
      const [a, b] = await Promise.all([first.exited, second.exited]);
      expect([...idsOf(a.stdout), ...idsOf(b.stdout)]).toEqual(expected);
      expect(secondDone).toBe('exited');
      expect(b.code).toBe(1);
      expect(b.stdout).toBe('');
      expect(b.stderr).toContain(`--state ${state} is in use by another audit-logs tail (pid ${first.pid} on `);
      expect(b.stderr).toContain(`delete ${state}.lock`);
      expect(a).toMatchObject({ code: 0, stderr: '' });
      expect(existsSync(`${state}.lock`)).toBe(false); // released at the end
    } finally {
      proxy.release();
      await proxy.close();
    }
  });

  test('a lock left by a run that died is taken over (stale: its pid is gone)', async () => {
    const expected = await makeEvents(2);
    const state = join(dirFor(), 'state.json');
    const dead = start(['--help'], fx.emu.url);
    await dead.exited;
    const owner: LockOwner = {
      pid: dead.pid,
      start: null,
      host: hostname(),
      token: 'x',
      since: '2026-12-01T00:00:00.000Z',
    };
    writeFileSync(`${state}.lock`, JSON.stringify(owner));
    const r = await start(['--state', state], fx.emu.url).exited;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(idsOf(r.stdout)).toEqual(expected);
    expect(existsSync(`${state}.lock`)).toBe(false);
  });

  test('staleness: a dead pid, or a live pid that started at another time (reused), or never from another host', () => {
    const system = (alive: boolean, start: string | null, host = 'here'): LockSystem => ({
      alive: () => alive,
      startOf: () => start,
      host: () => host,
      now: () => new Date(0),
    });
    const owner: LockOwner = { pid: 42, start: '1000', host: 'here', token: 't', since: '' };
    expect(isStale(owner, system(false, null))).toBe(true);
    expect(isStale(owner, system(true, '1000'))).toBe(false);
    expect(isStale(owner, system(true, '2000'))).toBe(true); // pid 42 reused by a later process
    expect(isStale(owner, system(true, null))).toBe(false); // cannot tell: held
    expect(isStale({ ...owner, start: null }, system(true, '2000'))).toBe(false);
    expect(isStale(owner, system(false, null, 'elsewhere'))).toBe(false); // another host's pid means nothing here
  });
});

describe('files next to the state', () => {
  test('the temporary file has an unpredictable name: a symbolic link planted at <state>.<pid>.tmp is not followed', async () => {
    await makeEvents(3);
    const dir = dirFor();
    const state = join(dir, 'state.json');
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const proxy = await startProxy();
    try {
      proxy.holding = true;
      const run = start(['--state', state], proxy.url);
      await proxy.arrived(1); // the pid is known and no state has been written yet: plant the link
      const planted = `${state}.${run.pid}.tmp`;
      symlinkSync(victim, planted);
      proxy.release();
      const r = await run.exited;
      expect(r.code).toBe(0);
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
      expect(readlinkSync(planted)).toBe(victim);
      expect(lstatSync(state).isFile()).toBe(true);
      expect(statSync(state).mode & 0o777).toBe(0o600);
      // Nothing left behind but the state and the planted link.
      expect(readdirSync(dir).sort()).toEqual([planted, state, victim].map((p) => p.slice(dir.length + 1)).sort());
    } finally {
      proxy.release();
      await proxy.close();
    }
  });

  test('a state whose in-flight record names another file as the output: that file is not read, cut or changed', async () => {
    const [event] = await makeEvents(1);
    const dir = dirFor();
    const state = join(dir, 'state.json');
    const victim = join(dir, 'victim.log');
    writeFileSync(victim, 'line one\nhalf a line without its newline');
    const { dev, ino } = statSync(victim);
    const effectiveAt = fx.emu.state.auditLogs[0].effective_at;
    const hostile: AuditCheckpoint = {
      version: 1,
      lastId: event,
      lastEffectiveAt: effectiveAt,
      idsAtLastSecond: [event],
      inFlight: {
        events: [{ id: event, effective_at: effectiveAt }],
        previous: null,
        output: { path: victim, dev, ino, offset: 0 },
      },
    };
    writeFileSync(state, JSON.stringify(hostile));
    const r = await start(['--state', state], fx.emu.url).exited;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(victim, 'utf8')).toBe('line one\nhalf a line without its newline');
    expect(idsOf(r.stdout)).toEqual([event]); // our stdout is not that file: the chunk is printed again
  });

  test('a symbolic link as the state file is refused (it would be replaced by a file, not written through)', async () => {
    const dir = dirFor();
    const real = join(dir, 'real-state.json');
    const link = join(dir, 'state.json');
    await makeEvents(1);
    const r0 = await start(['--state', real], fx.emu.url).exited;
    expect(r0.code).toBe(0);
    const before = readFileSync(real, 'utf8');
    symlinkSync(real, link);
    await makeEvents(1);
    const r = await start(['--state', link], fx.emu.url).exited;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--state ${link}: is a symbolic link`);
    expect(r.stdout).toBe('');
    expect(readFileSync(real, 'utf8')).toBe(before);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  test.each([
    ['empty', '', 'is empty'],
    ['cut short', '{"version":1,"lastId":"audit_log-', 'is not valid JSON'],
    ['foreign', '{"hello":"world"}', 'is not an audit-log state file'],
  ])('a %s state file is an error naming the file and how to recover; nothing printed', async (_, content, what) => {
    await makeEvents(1);
    const state = join(dirFor(), 'state.json');
    writeFileSync(state, content);
    const r = await start(['--state', state], fx.emu.url).exited;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`--state ${state} ${what}`);
    expect(r.stderr).toContain('delete it and run again with --since');
    expect(readFileSync(state, 'utf8')).toBe(content);
  });
});

describe('Ctrl-C and --follow', () => {
  test('SIGINT while the API does not answer aborts the request: the run ends at once, state as it was', async () => {
    await makeEvents(2);
    const dir = dirFor();
    const state = join(dir, 'state.json');
    expect((await start(['--state', state], fx.emu.url).exited).code).toBe(0);
    const before = readFileSync(state, 'utf8');
    const proxy = await startProxy();
    try {
      proxy.holding = true; // never answered unless the test releases it
      const run = start(['--follow', '--state', state], proxy.url);
      await proxy.arrived(1);
      run.kill('SIGINT');
      const r = await run.exited; // without the abort: held until the 60 s bound stops it (SIGTERM)
      expect(r).toMatchObject({ code: 0, signal: null, stdout: '' });
      expect(readFileSync(state, 'utf8')).toBe(before);
      expect(readdirSync(dir)).toEqual(['state.json']); // no lock, no temporary file left
    } finally {
      proxy.release();
      await proxy.close();
    }
  });

  test('10,000 empty polls of --follow: no abort listener accumulates, no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    // Timers that fire on the next turn: the real abortable sleep, without the wall-clock wait.
    const immediate: Timers = { set: (fn) => setImmediate(fn), clear: (t) => clearImmediate(t as NodeJS.Immediate) };
    const stop = new AbortController();
    const listeners: number[] = [];
    let polls = 0;
    try {
      await tailLoop({
        poll: async (previous, signal) => {
          listeners.push(getEventListeners(signal, 'abort').length);
          if (++polls === 10_000) stop.abort();
          return { events: [], checkpoint: previous };
        },
        deliver: () => Promise.reject(new Error('nothing to deliver')),
        checkpoint: null,
        follow: true,
        max: undefined,
        start: 5,
        signal: stop.signal,
        sleep: (ms, signal) => sleepUnlessAborted(ms, signal, immediate),
        debug: () => undefined,
      });
      await new Promise((resolve) => setImmediate(resolve)); // a warning is emitted on a later turn
    } finally {
      process.off('warning', onWarning);
    }
    expect(polls).toBe(10_000);
    expect(Math.max(...listeners)).toBe(0);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});

describe('what a poll makes of the pages it is served', () => {
  const event = (id: string, at: number) => ({ id, effective_at: at, type: 'project.created' });
  /** A client whose audit log serves exactly these pages (items and pages, as the library's list does). */
  const serving = (...pages: ReturnType<typeof event>[][]) =>
    ({
      auditLogs: {
        list: () => ({
          async *pages() {
            for (const data of pages) yield { data };
          },
          async *[Symbol.asyncIterator]() {
            for (const data of pages) yield* data;
          },
        }),
      },
    }) as unknown as OpenAIAdmin;

  test('an event id the server repeats (on one page, or on the next) is handed out once', async () => {
    const poll = await pollAuditLog(
      serving([event('e4', 4), event('e3', 3), event('e3', 3)], [event('e3', 3), event('e2', 2), event('e1', 1)]),
      null,
    );
    expect(poll.events.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  test('a page served oldest first still yields the events after the checkpoint, oldest first', async () => {
    const previous: AuditCheckpoint = { version: 1, lastId: 'e2', lastEffectiveAt: 2, idsAtLastSecond: ['e2'] };
    const poll = await pollAuditLog(
      serving([event('e1', 1), event('e2', 2), event('e3', 3), event('e4', 4)]),
      previous,
    );
    expect(poll.events.map((e) => e.id)).toEqual(['e3', 'e4']);
    expect(poll.checkpoint).toMatchObject({ lastId: 'e4', lastEffectiveAt: 4 });
  });

  test('newest first (as documented): stops at the checkpoint and keeps the API order within a second', async () => {
    const previous: AuditCheckpoint = { version: 1, lastId: 'e2', lastEffectiveAt: 2, idsAtLastSecond: ['e2'] };
    const poll = await pollAuditLog(
      serving([event('e5', 3), event('e4', 3), event('e3', 2), event('e2', 2)], [event('never-read', 1)]),
      previous,
    );
    expect(poll.events.map((e) => e.id)).toEqual(['e3', 'e4', 'e5']);
  });
});
