/**
 * `audit-logs tail --state` killed at the worst instants, then resumed, against the emulator: the real bin in a
 * child process that SIGKILLs itself at a chosen point of a chosen chunk (OPENAI_ADMIN_TEST_CRASH_AT, a
 * handshake: no timing). Into a file: every event exactly once. Into a pipe: no gap, and a repeat only of the
 * chunk that was being printed.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHUNK } from '../../src/cli/workflows/audit-delivery.js';
import { ROOT } from '../support/paths';
import { stopProcess, track } from '../support/processes';
import { cleanEnv, useCliFixture } from './support';

// Child processes on a shared machine: a generous bound as a safety net; no assertion depends on time.
jest.setTimeout(120_000);

const KEY = 'sk-admin-CLI-audit-crash-5e6f7a8b';
let run = 0;
// Only the test's events in the log, so that the expected ids are exactly these.
const fx = useCliFixture(KEY, { seed: 'audit-crash' }, (emu) => void emu.state.auditLogs.splice(0));

/** More events than one chunk, so a crash can hit the second chunk with the first one committed. */
async function makeEvents(n = CHUNK + 30) {
  for (let i = 0; i < n; i++) await fx.admin.projects.create({ name: `P${i}` });
  return fx.emu.state.auditLogs.map((e) => e.id); // oldest first
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `audit-logs tail` with stdout appended to `file` (as `>> file`) or piped to the test. */
function tail(args: string[], out: { file: string } | 'pipe', crashAt?: string): Promise<Exit> {
  const fd = out === 'pipe' ? undefined : openSync(out.file, 'a');
  const env = cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url });
  if (crashAt) env.OPENAI_ADMIN_TEST_CRASH_AT = crashAt;
  run++;
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, [fx.bundle.bin, 'audit-logs', 'tail', ...args], {
        cwd: ROOT,
        env,
        stdio: ['ignore', fd ?? 'pipe', 'pipe'],
      }),
    );
    if (fd !== undefined) closeSync(fd); // the child has its own copy
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => void stopProcess(child, 1_000), 60_000);
    child.once('error', (e) => (clearTimeout(timer), reject(e)));
    child.once('close', (code, signal) => (clearTimeout(timer), resolve({ code, signal, stdout, stderr })));
  });
}

/** Every line must be a whole JSON event (a half-written line would fail here). */
const idsOf = (ndjson: string) =>
  ndjson
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { id: string }).id);

const inFlightOf = (state: string) =>
  (JSON.parse(readFileSync(state, 'utf8')) as { inFlight?: { events: { id: string }[] } }).inFlight;

describe('into a file (>> out.ndjson): exactly once whatever the instant of the crash', () => {
  test.each([
    ['after-intent', true],
    ['mid-print', true],
    ['after-print', true],
    ['after-commit', false],
  ])('killed %s of the second chunk, then resumed: every event once, in order', async (point, inFlight) => {
    const expected = await makeEvents();
    const file = join(fx.tmp, `out-${run}.ndjson`);
    const state = join(fx.tmp, `state-${run}.json`);

    const crashed = await tail(['--state', state], { file }, `${point}@2`);
    expect(crashed.signal).toBe('SIGKILL');
    // The kill hit the window it names: the second chunk recorded as in flight, or already committed.
    expect(inFlightOf(state)?.events.map((e) => e.id)).toEqual(inFlight ? expected.slice(CHUNK, 2 * CHUNK) : undefined);
    const printedBefore = idsOf(readFileSync(file, 'utf8').replace(/[^\n]*$/, '')).length;
    expect(printedBefore).toBe(
      {
        'after-intent': CHUNK,
        'mid-print': CHUNK + 1,
        'after-print': expected.length,
        'after-commit': expected.length,
      }[point],
    );

    const resumed = await tail(['--state', state], { file });
    expect(resumed).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(idsOf(readFileSync(file, 'utf8'))).toEqual(expected);
    expect(inFlightOf(state)).toBeUndefined();
    expect(JSON.parse(readFileSync(state, 'utf8')).lastId).toBe(expected.at(-1));
  });

  test('a first run killed after printing its first chunk keeps its --since on resume (a file: nothing repeated)', async () => {
    await fx.admin.projects.create({ name: 'Before' });
    const since = fx.emu.state.now() + 60;
    fx.emu.state.now = () => since + 1;
    const expected = (await makeEvents(3)).slice(1);
    const file = join(fx.tmp, `out-${run}.ndjson`);
    const state = join(fx.tmp, `state-${run}.json`);

    const crashed = await tail(['--state', state, '--since', String(since)], { file }, 'after-print');
    expect(crashed.signal).toBe('SIGKILL');
    expect(idsOf(readFileSync(file, 'utf8'))).toEqual(expected);
    const resumed = await tail(['--state', state], { file });
    expect(resumed.code).toBe(0);
    expect(idsOf(readFileSync(file, 'utf8'))).toEqual(expected);

    // Into a pipe the first chunk is printed again, from the --since of the run that died (not from the start).
    const piped = join(fx.tmp, `state-${run}.json`);
    const crashedPipe = await tail(['--state', piped, '--since', String(since)], 'pipe', 'after-print');
    expect(idsOf(crashedPipe.stdout)).toEqual(expected);
    const resumedPipe = await tail(['--state', piped], 'pipe');
    expect(idsOf(resumedPipe.stdout)).toEqual(expected);
  });
});

describe('into a pipe: no gap; only the chunk being printed can repeat', () => {
  test('killed after printing the second chunk: the resumed run repeats that chunk and nothing else', async () => {
    const expected = await makeEvents();
    const state = join(fx.tmp, `state-${run}.json`);
    const crashed = await tail(['--state', state], 'pipe', 'after-print@2');
    expect(crashed.signal).toBe('SIGKILL');
    expect(idsOf(crashed.stdout)).toEqual(expected); // the reader got all of it before the kill
    const resumed = await tail(['--state', state], 'pipe');
    expect(resumed.code).toBe(0);
    expect(idsOf(resumed.stdout)).toEqual(expected.slice(CHUNK)); // at least once: the in-flight chunk again
  });

  test('killed after recording a chunk but before printing it: nothing repeated, nothing lost', async () => {
    const expected = await makeEvents();
    const state = join(fx.tmp, `state-${run}.json`);
    const crashed = await tail(['--state', state], 'pipe', 'after-intent@2');
    expect(crashed.signal).toBe('SIGKILL');
    const resumed = await tail(['--state', state], 'pipe');
    expect(resumed.code).toBe(0);
    expect([...idsOf(crashed.stdout), ...idsOf(resumed.stdout)]).toEqual(expected);
  });
});
