/**
 * `openai-admin audit-logs tail --since <time> [--follow] [--state <file>]`: audit events as NDJSON, oldest
 * first. With --state, each batch is written to stdout and then the checkpoint saved, so a restart resumes
 * exactly after the last event printed (see audit-log-state.ts). --follow polls, backing off while nothing
 * happens (interval doubling up to 60 s, back to the start interval after new events), until interrupted.
 */
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { parseTime } from '../flags.js';
import { checkpointAfter, pollAuditLog, readCheckpoint, writeCheckpoint } from './audit-log-state.js';

export const MAX_INTERVAL_S = 60;

/** The next wait of a poll loop: back to `start` after news, else doubled up to the cap. Pure. */
export function nextInterval(current: number, start: number, gotEvents: boolean): number {
  return gotEvents ? start : Math.min(MAX_INTERVAL_S, current * 2);
}

export const auditLogsTail: Command = {
  words: ['audit-logs', 'tail'],
  summary: 'Print audit-log events as NDJSON, oldest first; resumable from a state file; --follow keeps polling.',
  description:
    'With --state, a restart resumes right after the last event printed: no duplicate, no gap. The state file is written after each batch ' +
    'reaches stdout (atomically). On the first run (no state file yet) --since chooses the start; later runs ignore it.',
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
    let checkpoint = statePath ? await readCheckpoint(statePath) : null;
    let interval = start;
    let printed = 0;

    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      for (;;) {
        const poll = await pollAuditLog(admin, checkpoint, since);
        const room = ctx.max === undefined ? poll.events.length : Math.max(0, ctx.max - printed);
        const events = poll.events.slice(0, room);
        if (events.length) {
          ctx.io.stdout.write(events.map((e) => JSON.stringify(e) + '\n').join(''));
          printed += events.length;
          // Only the events actually printed move the checkpoint (--max may have cut the batch).
          checkpoint = checkpointAfter(events, checkpoint);
          if (statePath && checkpoint) await writeCheckpoint(statePath, checkpoint);
        }
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
