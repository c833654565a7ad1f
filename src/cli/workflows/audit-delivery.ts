/**
 * Handing audit events to stdout so that a crash at any moment neither repeats nor loses one, as far as the
 * output allows. Printing and saving the checkpoint are two separate effects; no order of the two is safe on
 * its own (print first: a crash in between prints the batch again; save first: the batch is lost). So each
 * chunk goes through a small write-ahead protocol:
 *
 * 1. Intent: the state file is replaced (atomically, fsync'd) by the checkpoint AFTER the chunk plus an
 *    `inFlight` record: the chunk's ids (with effective_at), the checkpoint BEFORE it, and, when stdout is a
 *    regular file, which file (path, device, inode) and its size before the chunk: the chunk's bytes start there.
 * 2. Print the chunk (when stdout is a file, fdatasync it).
 * 3. Commit: the state file is replaced by the checkpoint after the chunk, without `inFlight`.
 *
 * A run that finds an `inFlight` record settles it before polling: when its own stdout is the recorded file
 * (same device and inode; never opened by the recorded path), it reads it from the recorded size on, takes the ids of the complete NDJSON lines found there as printed (cutting off a half-written last
 * line), and moves the checkpoint past exactly that prefix of the chunk; the rest is printed again. So with
 * stdout appended to a regular file (`>> audit.ndjson`, Linux: the path comes from /proc/self/fd) every event
 * lands exactly once, whatever instant the process died at. When the output cannot be read back (a pipe, a
 * terminal, another OS, a file that was replaced or truncated, a resumed run writing elsewhere), nothing says how much of the chunk a reader got,
 * so the whole chunk is printed again: at-least-once, the repeat bounded to one chunk (CHUNK events), each line
 * carrying its event id for a reader to drop. Losing an audit event is the worse failure, so this never skips.
 */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readlinkSync, readSync } from 'node:fs';
import { checkpointAfter, type AuditCheckpoint, type InFlight, type OutputMark } from './audit-log-state.js';

/** Events per intent/print/commit cycle: the most a pipe or terminal can see twice after a crash. */
export const CHUNK = 100;

/** At most this much of the output is read back when settling (a chunk is far smaller). */
const READ_BACK_LIMIT = 16 * 1024 * 1024;

/**
 * Where a chunk printed to `fd` now would start, if `fd` is a regular file whose path can be found (Linux's
 * /proc/self/fd); null otherwise (pipe, terminal, /dev/null, other OS), which later means "cannot tell".
 */
export function markOutput(fd: number | undefined): OutputMark | null {
  if (fd === undefined) return null;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return null;
    const path = readlinkSync(`/proc/self/fd/${fd}`);
    return { path, dev: stat.dev, ino: stat.ino, offset: stat.size };
  } catch {
    return null;
  }
}

/** Flushes a file output to the disk before the commit (so a power cut cannot lose what the commit covers). */
export function syncOutput(fd: number | undefined, mark: OutputMark | null): void {
  if (fd === undefined || !mark) return;
  try {
    fdatasyncSync(fd);
  } catch {
    /* a file system without fsync: the process-crash guarantee does not need it */
  }
}

/**
 * The ids of the in-flight chunk that reached the output, or null when that cannot be told. Only this run's own
 * stdout is ever read or truncated: the recorded output counts only if stdout (`fd`) is that very file (same
 * device and inode), and it is reopened through /proc/self/fd, never by the path in the state file, so a state
 * file naming another file (edited, or planted) cannot make this touch anything but the output the user chose.
 * A half-written last line (the process died inside a write) is cut off, so the file stays valid NDJSON and the
 * event is printed again whole.
 */
export function printedIds(inFlight: InFlight, fd: number | undefined): Set<string> | null {
  const mark = inFlight.output;
  if (!mark || fd === undefined) return null;
  let reader: number;
  try {
    const out = fstatSync(fd);
    // stdout is not the recorded file (another file, a pipe), or it was truncated below the chunk's start.
    if (!out.isFile() || out.dev !== mark.dev || out.ino !== mark.ino || out.size < mark.offset) return null;
    reader = openSync(`/proc/self/fd/${fd}`, 'r');
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(reader);
    if (stat.dev !== mark.dev || stat.ino !== mark.ino) return null;
    const length = Math.min(stat.size - mark.offset, READ_BACK_LIMIT);
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(reader, buffer, read, length - read, mark.offset + read);
      if (n === 0) break;
      read += n;
    }
    const lastNewline = buffer.lastIndexOf(0x0a, read - 1);
    const complete = lastNewline + 1;
    if (complete < read && stat.size - mark.offset <= READ_BACK_LIMIT) ftruncateSync(fd, mark.offset + complete);
    const wanted = new Set(inFlight.events.map((e) => e.id));
    const found = new Set<string>();
    for (const line of buffer.subarray(0, complete).toString('utf8').split('\n')) {
      const id = idOf(line);
      if (id !== undefined && wanted.has(id)) found.add(id);
    }
    return found;
  } catch {
    return null;
  } finally {
    closeSync(reader);
  }
}

function idOf(line: string): string | undefined {
  try {
    const value = JSON.parse(line) as { id?: unknown } | null;
    return typeof value?.id === 'string' ? value.id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The checkpoint once an interrupted chunk is settled: past the prefix of the chunk that was printed (`printed`
 * null: unknown, so none, and the chunk is printed again), and the first run's `since` when nothing had been
 * checkpointed yet. Pure.
 */
export function settleInFlight(
  state: AuditCheckpoint,
  printed: ReadonlySet<string> | null,
): { checkpoint: AuditCheckpoint | null; since?: number } {
  const inFlight = state.inFlight!;
  let n = 0;
  while (printed && n < inFlight.events.length && printed.has(inFlight.events[n].id)) n++;
  const checkpoint = checkpointAfter(inFlight.events.slice(0, n), inFlight.previous);
  return checkpoint ? { checkpoint } : { checkpoint: null, since: inFlight.since };
}

export type CrashPoint = 'after-intent' | 'mid-print' | 'after-print' | 'after-commit';

/**
 * Test seam for the crash tests: OPENAI_ADMIN_TEST_CRASH_AT=<point>[@<n>] names the instant, in the n-th chunk
 * (default the first), at which the process kills itself (`dieNow`), so a test crashes it exactly there with no
 * timing involved. Unset (always, outside tests) no instant matches. `keys rotate` names its own points (P).
 */
export function crashPoints<P extends string = CrashPoint>(
  env: Record<string, string | undefined>,
): (point: P, chunk: number) => boolean {
  const spec = env.OPENAI_ADMIN_TEST_CRASH_AT;
  if (!spec) return () => false;
  const [point, n] = spec.split('@');
  const at = n === undefined ? 1 : Number(n);
  return (p, chunk) => p === point && chunk === at;
}

/** SIGKILL to itself: no handler, no flush, no exit hook runs, as when the OOM killer or a power cut strikes. */
export function dieNow(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL returned');
}
