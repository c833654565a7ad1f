/**
 * `openai-admin audit-logs tail --since <time> [--follow] [--state <file>]`: audit events as NDJSON, oldest
 * first. With --state, each chunk of events is recorded as in flight, printed, then committed, so a restart
 * resumes right after the last event printed: exactly once when stdout is a file, at least once (one chunk at
 * most repeated) on a pipe or terminal (audit-delivery.ts; the reading itself: audit-log-state.ts). --follow
 * polls, backing off while nothing happens (interval doubling up to 60 s, back to the start interval after
 * new events), until interrupted.
 */
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { parseTime } from '../flags.js';
import { rm } from 'node:fs/promises';
import type { AuditLog } from '../../index.js';
import type { Context } from '../context.js';
import { CHUNK, crashPoints, dieNow, markOutput, printedIds, settleInFlight, syncOutput } from './audit-delivery.js';
import {
  checkpointAfter,
  pollAuditLog,
  readCheckpoint,
  writeCheckpoint,
  type AuditCheckpoint,
  type AuditPoll,
} from './audit-log-state.js';
import { lockState } from './state-lock.js';

export const MAX_INTERVAL_S = 60;

/** The next wait of a poll loop: back to `start` after news, else doubled up to the cap. Pure. */
export function nextInterval(current: number, start: number, gotEvents: boolean): number {
  return gotEvents ? start : Math.min(MAX_INTERVAL_S, current * 2);
}

export const auditLogsTail: Command = {
  words: ['audit-logs', 'tail'],
  summary: 'Print audit-log events as NDJSON, oldest first; resumable from a state file; --follow keeps polling.',
  description:
    'With --state, a restart resumes right after the last event printed, even after a crash: no gap, and no duplicate when stdout is a file ' +
    '(>> file); on a pipe or terminal a crash while printing can repeat up to 100 events. On the first run (no state file yet) --since ' +
    'chooses the start; later runs ignore it. See openai-admin help audit-logs-tail.',
  positionals: [],
  options: {
    since: {
      type: 'string',
      placeholder: 'time',
      description:
        'First run: events at or after this time (ISO-8601 date or Unix seconds). Default: all the API returns.',
    },
    follow: { type: 'boolean', short: 'f', description: 'Keep polling for new events until interrupted (Ctrl-C).' },
    state: {
      type: 'string',
      placeholder: 'file',
      description: 'Checkpoint file: read at start, updated after each batch; one run at a time (<file>.lock).',
    },
    interval: {
      type: 'string',
      placeholder: 'seconds',
      description: `With --follow: the first poll interval (default 5); doubles while nothing happens, up to ${MAX_INTERVAL_S}.`,
    },
  },
  examples: [
    'openai-admin audit-logs tail --since 2026-11-01 --state audit.state >> audit.ndjson',
    'openai-admin audit-logs tail --follow --state audit.state | my-siem-shipper',
  ],
  async run(ctx, values) {
    if (ctx.output.format !== 'table' && ctx.output.format !== 'ndjson')
      throw new UsageError('audit-logs tail prints NDJSON only');
    const since = typeof values.since === 'string' ? parseTime(values.since, '--since') : undefined;
    const statePath = values.state as string | undefined;
    const start = values.interval === undefined ? 5 : Number(values.interval);
    if (!(start > 0) || start > MAX_INTERVAL_S)
      throw new UsageError(
        `--interval expects seconds between 0 and ${MAX_INTERVAL_S}, got '${String(values.interval)}'`,
      );
    // One run per state file: the lock comes first, before the state is read.
    const release = statePath
      ? lockState(statePath, {
          onStale: (o) => ctx.debug(`taking over the lock of a run that is gone (pid ${o.pid}, since ${o.since})`),
        })
      : undefined;
    try {
      await tail(ctx, { since, statePath, start, follow: values.follow === true });
    } finally {
      release?.();
    }
  },
};

async function tail(
  ctx: Context,
  options: { since: number | undefined; statePath: string | undefined; start: number; follow: boolean },
): Promise<void> {
  const { statePath } = options;
  const admin = await ctx.client();
  const fd = stdoutFd(ctx);
  let first = options.since;
  let checkpoint: AuditCheckpoint | null = null;
  if (statePath) {
    const saved = await readCheckpoint(statePath);
    if (saved?.inFlight) {
      // The last run died while printing a chunk: take what reached the output as printed, print the rest.
      const reached = printedIds(saved.inFlight, fd);
      const settled = settleInFlight(saved, reached);
      ctx.debug(
        `settling an interrupted chunk of ${saved.inFlight.events.length}: ` +
          (reached ? `${reached.size} found in the output` : 'output not readable, printing it again'),
      );
      checkpoint = settled.checkpoint;
      if (checkpoint) await writeCheckpoint(statePath, checkpoint);
      else await rm(statePath, { force: true });
      if (!checkpoint) first = settled.since;
    } else checkpoint = saved;
  }
  const deliver = chunkDelivery(ctx, fd, statePath, first);

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await tailLoop({
      poll: (previous, signal) => pollAuditLog(admin, previous, first, signal),
      deliver,
      checkpoint,
      follow: options.follow,
      max: ctx.max,
      start: options.start,
      signal: stop.signal,
      sleep: sleepUnlessAborted,
      debug: (m) => ctx.debug(m),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export interface TailLoop {
  /** One poll: the new events after `previous`, oldest first; aborted by `signal` (Ctrl-C). */
  poll(previous: AuditCheckpoint | null, signal: AbortSignal): Promise<AuditPoll>;
  /** Prints one chunk and returns the checkpoint after it. */
  deliver(chunk: AuditLog[], previous: AuditCheckpoint | null): Promise<AuditCheckpoint | null>;
  checkpoint: AuditCheckpoint | null;
  follow: boolean;
  max: number | undefined;
  /** The first interval, seconds. */
  start: number;
  /** Ctrl-C / SIGTERM: aborts a poll in progress and the wait; a chunk being printed is completed. */
  signal: AbortSignal;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  debug(message: string): void;
}

/** Poll, print, and with `follow` wait and poll again, until the signal, --max, or (without follow) one poll. */
export async function tailLoop(loop: TailLoop): Promise<void> {
  let { checkpoint } = loop;
  let interval = loop.start;
  let printed = 0;
  for (;;) {
    let poll: AuditPoll;
    try {
      poll = await loop.poll(checkpoint, loop.signal);
    } catch (err) {
      if (loop.signal.aborted) return; // interrupted while waiting for the API: nothing was printed or saved
      throw err;
    }
    const room = loop.max === undefined ? poll.events.length : Math.max(0, loop.max - printed);
    // Only the events actually printed move the checkpoint (--max may have cut the batch).
    const events = poll.events.slice(0, room);
    let delivered = 0;
    for (; delivered < events.length && !loop.signal.aborted; delivered += CHUNK)
      checkpoint = await loop.deliver(events.slice(delivered, delivered + CHUNK), checkpoint);
    printed += Math.min(delivered, events.length);
    if (!loop.follow || (loop.max !== undefined && printed >= loop.max) || loop.signal.aborted) return;
    interval = nextInterval(interval, loop.start, events.length > 0);
    loop.debug(`next poll in ${interval} s`);
    await loop.sleep(interval * 1000, loop.signal);
    if (loop.signal.aborted) return;
  }
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(timer: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/**
 * Waits `ms`, or less if `signal` aborts first. Whichever comes first removes the other: the abort listener is
 * removed when the timer fires (a --follow that polls for days must not add one listener per poll).
 */
export function sleepUnlessAborted(ms: number, signal: AbortSignal, timers: Timers = realTimers): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      timers.clear(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = timers.set(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** stdout's file descriptor when it is a real stream (the bin), undefined for an in-memory one (tests). */
function stdoutFd(ctx: Context): number | undefined {
  const fd = (ctx.io.stdout as { fd?: unknown }).fd;
  return typeof fd === 'number' ? fd : undefined;
}

/**
 * Prints one chunk and returns the checkpoint after it. With a state file: intent (checkpoint after the chunk
 * + in-flight record), print, commit; see audit-delivery.ts for why, and for the crash test seam.
 */
function chunkDelivery(ctx: Context, fd: number | undefined, statePath: string | undefined, since: number | undefined) {
  const stdout = ctx.io.stdout as { write(text: string, done?: (err?: Error | null) => void): unknown };
  // A real stream: wait until the kernel has the bytes (a file or pipe write is synchronous on Linux anyway).
  const write = (text: string) =>
    fd === undefined
      ? void stdout.write(text)
      : new Promise<void>((resolve, reject) => void stdout.write(text, (err) => (err ? reject(err) : resolve())));
  const crashAt = crashPoints(ctx.io.env);
  let n = 0;
  return async (chunk: AuditLog[], previous: AuditCheckpoint | null): Promise<AuditCheckpoint | null> => {
    n++;
    const text = chunk.map((e) => JSON.stringify(e) + '\n').join('');
    const after = checkpointAfter(chunk, previous);
    if (!statePath || !after) {
      await write(text);
      return after;
    }
    const output = markOutput(fd);
    await writeCheckpoint(statePath, {
      ...after,
      inFlight: {
        events: chunk.map((e) => ({ id: e.id, effective_at: e.effective_at })),
        previous,
        ...(previous === null && since !== undefined ? { since } : {}),
        output,
      },
    });
    if (crashAt('after-intent', n)) dieNow();
    if (crashAt('mid-print', n)) {
      // Dies inside the chunk: its first line whole, then half of the next (or half of the only) line.
      const first = text.indexOf('\n') + 1;
      const second = first < text.length ? text.indexOf('\n', first) + 1 : 0;
      await write(text.slice(0, second ? first + Math.floor((second - first) / 2) : Math.floor(first / 2)));
      dieNow();
    }
    await write(text);
    if (crashAt('after-print', n)) dieNow();
    syncOutput(fd, output);
    await writeCheckpoint(statePath, after);
    if (crashAt('after-commit', n)) dieNow();
    return after;
  };
}
