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
} from './audit-log-state.js';

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
    'chooses the start; later runs ignore it. See docs/cli.md.',
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
      description: 'Checkpoint file: read at start, updated after each batch.',
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
    const admin = await ctx.client();
    let first = since;
    let checkpoint: AuditCheckpoint | null = null;
    if (statePath) {
      const saved = await readCheckpoint(statePath);
      if (saved?.inFlight) {
        // The last run died while printing a chunk: take what reached the output as printed, print the rest.
        const reached = printedIds(saved.inFlight);
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
    const deliver = chunkDelivery(ctx, statePath, first);
    let interval = start;
    let printed = 0;

    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      for (;;) {
        const poll = await pollAuditLog(admin, checkpoint, first);
        const room = ctx.max === undefined ? poll.events.length : Math.max(0, ctx.max - printed);
        // Only the events actually printed move the checkpoint (--max may have cut the batch).
        const events = poll.events.slice(0, room);
        for (let i = 0; i < events.length; i += CHUNK)
          checkpoint = await deliver(events.slice(i, i + CHUNK), checkpoint);
        printed += events.length;
        if (!values.follow || (ctx.max !== undefined && printed >= ctx.max) || stop.signal.aborted) break;
        interval = nextInterval(interval, start, events.length > 0);
        ctx.debug(`next poll in ${interval} s`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, interval * 1000);
          stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
        if (stop.signal.aborted) break;
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

/**
 * Prints one chunk and returns the checkpoint after it. With a state file: intent (checkpoint after the chunk
 * + in-flight record), print, commit; see audit-delivery.ts for why, and for the crash test seam.
 */
function chunkDelivery(ctx: Context, statePath: string | undefined, since: number | undefined) {
  const stdout = ctx.io.stdout as { fd?: unknown; write(text: string, done?: (err?: Error | null) => void): unknown };
  const fd = typeof stdout.fd === 'number' ? stdout.fd : undefined;
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
