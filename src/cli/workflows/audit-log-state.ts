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
 * The walk does not rely on the order beyond that: it reads the anchor's page to its end (a page served oldest
 * first still yields the events after the anchor), drops an id the server repeats, and sorts what it kept by
 * effective_at.
 * Limitation: an event that appears later with an `effective_at` older than the anchor is not picked up.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OpenAIAdmin } from '../../client.js';
import type { AuditLog } from '../../index.js';
import { UsageError } from '../errors.js';
import { readUserFile, STATE_FILE_LIMIT } from '../user-file.js';

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
  signal?: AbortSignal,
): Promise<AuditPoll> {
  const from = previous ? previous.lastEffectiveAt : since;
  const known = new Set(previous?.idsAtLastSecond ?? []);
  if (previous) known.add(previous.lastId);
  const seen = new Set<string>();
  // Newest first as the API documents it; indexes keep that order among events of one second.
  const fresh: { event: AuditLog; index: number }[] = [];
  let index = 0;
  let metAnchor = false;
  for await (const page of admin.auditLogs
    .list({ limit: 100, ...(from !== undefined ? { effective_at: { gte: from } } : {}) }, signal ? { signal } : {})
    .pages()) {
    for (const event of page.data) {
      if (previous && event.id === previous.lastId) metAnchor = true;
      // Printed before (the anchor, its second), older than the checkpoint, or a repeat the server sent.
      if (known.has(event.id) || seen.has(event.id)) continue;
      if (previous && event.effective_at < previous.lastEffectiveAt) continue;
      seen.add(event.id);
      fresh.push({ event, index: index++ });
    }
    // The anchor's page is read to its end (a page served oldest first has the new events after the anchor);
    // the pages after it hold only older events.
    if (metAnchor) break;
  }
  // Oldest first, the order a log consumer expects: by effective_at, and within a second in the reverse of the
  // API's newest-first order. Does not trust the page order for anything but ties.
  fresh.sort((a, b) => a.event.effective_at - b.event.effective_at || b.index - a.index);
  const events = fresh.map((f) => f.event);
  return { events, checkpoint: checkpointAfter(events, previous) };
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

/** What a damaged state file's error says to do. */
const RECOVER =
  'if no other copy exists, delete it and run again with --since set to the effective_at of the last event you ' +
  'have (events in that second are then printed again)';

/**
 * The checkpoint saved at `path`, or null when there is none yet. The file is read through user-file.ts
 * (regular file, bounded, not a symbolic link: it is replaced by rename, so a link would silently stop being
 * one); an empty, truncated or foreign file is a UsageError naming it and saying how to recover.
 */
export function readCheckpoint(path: string): Promise<AuditCheckpoint | null> {
  // A promise like the other state functions (a throw becomes a rejection); the read itself is synchronous.
  return new Promise((resolve) => resolve(readCheckpointNow(path)));
}

function readCheckpointNow(path: string): AuditCheckpoint | null {
  const file = readUserFile(path, { flag: '--state', limit: STATE_FILE_LIMIT, noSymlink: true, missingOk: true });
  if (!file) return null;
  const text = file.bytes.toString('utf8');
  const damaged = (what: string): never => {
    throw new UsageError(`--state ${path} ${what}`, RECOVER);
  };
  if (!text.trim()) damaged('is empty (a state file is never empty: it was truncated or is not one)');
  let state: AuditCheckpoint;
  try {
    state = JSON.parse(text) as AuditCheckpoint;
  } catch (err) {
    return damaged(`is not valid JSON (${(err as Error).message}): it is damaged or not a state file`);
  }
  if (
    state?.version !== 1 ||
    typeof state.lastId !== 'string' ||
    typeof state.lastEffectiveAt !== 'number' ||
    !Array.isArray(state.idsAtLastSecond) ||
    !state.idsAtLastSecond.every((id) => typeof id === 'string') ||
    (state.inFlight !== undefined && !isInFlight(state.inFlight))
  ) {
    damaged('is not an audit-log state file this version understands');
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
 * checkpoint or the new one, never half of one. The temporary file sits next to the state (rename needs the
 * same file system) under an unpredictable name, created exclusively with mode 0600: a file or symbolic link
 * planted in that directory is never opened or followed. Renaming over a symbolic link at `path` replaces
 * the link, it never writes through it (and readCheckpoint refuses a link at `path` anyway).
 */
export async function writeCheckpoint(path: string, state: AuditCheckpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const file = await open(tmp, 'wx', 0o600);
  try {
    try {
      await file.writeFile(JSON.stringify(state, null, 2) + '\n');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  try {
    const dir = await open(dirname(path), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    /* directories cannot be fsync'd everywhere (Windows): the rename is still atomic */
  }
}
