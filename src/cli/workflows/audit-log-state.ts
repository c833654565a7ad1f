/**
 * Incremental reading of the audit log, resumable from a small checkpoint: no duplicate and no gap across runs.
 *
 * How the audit log is ordered, and why this works the way it does:
 * - `GET /organization/audit_logs` lists events NEWEST FIRST (descending `effective_at`); the `after` cursor
 *   pages towards OLDER events. There is no `order` parameter.
 * - Event ids (`audit_log-…`) are opaque, not sortable: you can find an id in the list but not compare two.
 * So a poll walks from the newest event down until it meets the last id handed out before, then returns what it
 * collected oldest first. The checkpoint keeps that id, its `effective_at` (sent as `effective_at[gte]`, so a
 * poll never pages through the whole history even if the anchor event has aged out of retention) and the ids
 * of all events in that same second (several events can share a second; they are skipped if met again).
 * Limitation: an event that appears later with an `effective_at` older than the anchor is not picked up.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OpenAIAdmin } from '../../client.js';
import type { AuditLog } from '../../index.js';

export interface AuditCheckpoint {
  version: 1;
  /** The newest event handed out so far. */
  lastId: string;
  lastEffectiveAt: number;
  /** Every handed-out event id whose effective_at equals lastEffectiveAt. */
  idsAtLastSecond: string[];
  /**
   * Present while a chunk is being printed (audit-delivery.ts): the fields above then describe the state
   * after the chunk, and a run that finds this record first settles how much of the chunk was printed.
   */
  inFlight?: InFlight;
}

/** A chunk of events on its way to stdout, recorded before the first byte of it is written. */
export interface InFlight {
  /** The chunk, oldest first. */
  events: { id: string; effective_at: number }[];
  /** The checkpoint before the chunk (null on a first run), and that run's --since. */
  previous: AuditCheckpoint | null;
  since?: number;
  /** stdout, when it is a regular file: the chunk's bytes start at `offset`. */
  output: OutputMark | null;
}

export interface OutputMark {
  path: string;
  dev: number;
  ino: number;
  offset: number;
}

export interface AuditPoll {
  /** New events, oldest first. */
  events: AuditLog[];
  /** The checkpoint after these events (the previous one when there are none). */
  checkpoint: AuditCheckpoint | null;
}

/**
 * The events after `previous` (or, on a first run, at or after `since`), oldest first, and the checkpoint that
 * follows them. Reads only; the caller hands the events out and then saves the checkpoint.
 */
export async function pollAuditLog(
  admin: OpenAIAdmin,
  previous: AuditCheckpoint | null,
  since?: number,
): Promise<AuditPoll> {
  const from = previous ? previous.lastEffectiveAt : since;
  const boundary = new Set(previous?.idsAtLastSecond ?? []);
  const fresh: AuditLog[] = [];
  for await (const event of admin.auditLogs.list({
    limit: 100,
    ...(from !== undefined ? { effective_at: { gte: from } } : {}),
  })) {
    if (previous && event.id === previous.lastId) break;
    if (previous && event.effective_at === previous.lastEffectiveAt && boundary.has(event.id)) continue;
    fresh.push(event);
  }
  fresh.reverse(); // oldest first, the order a log consumer expects
  return { events: fresh, checkpoint: checkpointAfter(fresh, previous) };
}

/**
 * The checkpoint once `events` (oldest first, the continuation of `previous`) have been handed out: the
 * newest one, with every id of its second (carried over from `previous` when it is the same second). Pure.
 */
export function checkpointAfter(
  events: readonly { id: string; effective_at: number }[],
  previous: AuditCheckpoint | null,
): AuditCheckpoint | null {
  if (events.length === 0) return previous;
  const newest = events[events.length - 1];
  const sameSecond = events.filter((e) => e.effective_at === newest.effective_at).map((e) => e.id);
  const carried = previous && previous.lastEffectiveAt === newest.effective_at ? previous.idsAtLastSecond : [];
  return {
    version: 1,
    lastId: newest.id,
    lastEffectiveAt: newest.effective_at,
    idsAtLastSecond: [...new Set([...carried, ...sameSecond])],
  };
}

export async function readCheckpoint(path: string): Promise<AuditCheckpoint | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const state = JSON.parse(text) as AuditCheckpoint;
  if (
    state?.version !== 1 ||
    typeof state.lastId !== 'string' ||
    typeof state.lastEffectiveAt !== 'number' ||
    !Array.isArray(state.idsAtLastSecond) ||
    (state.inFlight !== undefined && !isInFlight(state.inFlight))
  ) {
    throw new Error(`unrecognised audit-log state file ${path}`);
  }
  return state;
}

function isInFlight(value: unknown): value is InFlight {
  const f = value as InFlight | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    Array.isArray(f.events) &&
    f.events.every((e) => typeof e?.id === 'string' && typeof e.effective_at === 'number') &&
    (f.previous === null || typeof f.previous?.lastId === 'string') &&
    (f.output === null ||
      (typeof f.output?.path === 'string' &&
        typeof f.output.dev === 'number' &&
        typeof f.output.ino === 'number' &&
        typeof f.output.offset === 'number'))
  );
}

/**
 * Atomic (write + fsync + rename, then fsync of the directory): a crash, even of the machine, leaves the old
 * checkpoint or the new one, never half of one.
 */
export async function writeCheckpoint(path: string, state: AuditCheckpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(JSON.stringify(state, null, 2) + '\n');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  try {
    const dir = await open(dirname(path), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    /* directories cannot be fsync'd everywhere (Windows): the rename is still atomic */
  }
}
