/**
 * Flags and test seams shared by `ledger sync`, `exporter` and `report spend --db`: the store, the sync options,
 * and two seams read from the environment only in tests (unset, they change nothing):
 * - OPENAI_ADMIN_TEST_CLOCK=<file>: "now" is the Unix seconds written in that file, read at each use, so a test moves
 *   time by rewriting it (bucket finality and freshness depend on the clock, never on the machine's speed);
 * - OPENAI_ADMIN_TEST_CRASH_AT=<after-fetch|after-commit>@<n>: SIGKILL at that instant of the n-th chunk.
 */
import { readFileSync } from 'node:fs';
import type { OptionSpec } from '../globals.js';
import { UsageError } from '../errors.js';
import { dieNow } from './audit-delivery.js';
import type { SyncOptions } from '../../ledger/sync.js';
import type { BucketWidth } from '../../ledger/series.js';
import { parseSeconds, parseSince } from '../../ledger/windows.js';

export const DB_OPTION: OptionSpec = {
  type: 'string',
  placeholder: 'file|postgres://…',
  description: 'The ledger: a SQLite file (default usage.db, created when absent) or a postgres:// URL.',
};

export const SYNC_OPTIONS: Record<string, OptionSpec> = {
  since: {
    type: 'string',
    placeholder: 'YYYY-MM-DD',
    description: 'Where a new ledger starts (UTC day or Unix seconds; default 30 days ago). Ignored once it exists.',
  },
  'bucket-width': {
    type: 'string',
    placeholder: '1d|1h|1m',
    description: 'Usage bucket width of a new ledger (default 1d: fewest requests). Costs are always daily.',
  },
  'usage-grace': {
    type: 'string',
    placeholder: 'duration',
    description:
      'Re-read usage buckets until this long after they close (default 15m: minute buckets are revised ~15 min).',
  },
  'costs-grace': {
    type: 'string',
    placeholder: 'duration',
    description: 'Re-read cost buckets until this long after they close (default 2d: costs arrive about a day late).',
  },
  series: {
    type: 'string',
    placeholder: 'a,b',
    description: 'Only these series (usage.completions, …, costs; default all).',
  },
  keys: { type: 'boolean', description: 'Also group usage by user_id and api_key_id (more rows).' },
};

/** The clock: the test seam's file when set, else the system clock. */
export function clockOf(env: Record<string, string | undefined>): () => number {
  const file = env.OPENAI_ADMIN_TEST_CLOCK;
  if (!file) return () => Math.floor(Date.now() / 1000);
  return () => Number(readFileSync(file, 'utf8').trim());
}

/** The crash seam of the kill tests (see the module comment). */
export function checkpointOf(env: Record<string, string | undefined>): SyncOptions['checkpoint'] {
  const spec = env.OPENAI_ADMIN_TEST_CRASH_AT;
  if (!spec) return undefined;
  const [point, n] = spec.split('@');
  const at = Number(n ?? 1);
  return (p, chunk) => {
    if (p === point && chunk === at) dieNow();
  };
}

/** A library parse error as a usage error (its message names the flag). */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The sync options from the flags; a bad value is a usage error naming its flag. */
export async function syncOptionsOf(
  values: Record<string, unknown>,
  env: Record<string, string | undefined>,
): Promise<SyncOptions> {
  const width = values['bucket-width'] as string | undefined;
  if (width !== undefined && !['1d', '1h', '1m'].includes(width))
    throw new UsageError(`--bucket-width must be 1d, 1h or 1m; got '${width}'`);
  const { SERIES_NAMES } = await import('../../ledger/series.js');
  const series =
    values.series === undefined
      ? undefined
      : (values.series as string)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  for (const s of series ?? [])
    if (!SERIES_NAMES.includes(s))
      throw new UsageError(`--series: unknown series '${s}'`, `known: ${SERIES_NAMES.join(', ')}`);
  const options: SyncOptions = { now: clockOf(env), checkpoint: checkpointOf(env) };
  const s = values.since === undefined ? undefined : usage(() => parseSince(String(values.since)));
  if (s !== undefined) options.since = s;
  if (width !== undefined) options.bucketWidth = width as BucketWidth;
  const ug =
    values['usage-grace'] === undefined
      ? undefined
      : usage(() => parseSeconds(String(values['usage-grace']), '--usage-grace'));
  if (ug !== undefined) options.usageGrace = ug;
  const cg =
    values['costs-grace'] === undefined
      ? undefined
      : usage(() => parseSeconds(String(values['costs-grace']), '--costs-grace'));
  if (cg !== undefined) options.costsGrace = cg;
  if (series) options.series = series;
  if (values.keys === true) options.keys = true;
  return options;
}

/** Opens the ledger of `--db`; a missing driver is a usage error that says what to install. */
export async function openLedgerOf(values: Record<string, unknown>) {
  const { openLedger } = await import('../../ledger/open.js');
  const db = typeof values.db === 'string' ? values.db : 'usage.db';
  try {
    return await openLedger(db);
  } catch (err) {
    const message = (err as Error).message;
    if (/needs the optional package/.test(message)) throw new UsageError(message);
    throw err;
  }
}
