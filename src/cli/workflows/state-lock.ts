/**
 * One `audit-logs tail` per state file at a time. Two runs on one state file (overlapping cron jobs) both read
 * the same checkpoint and both print the same new events. So a run first creates `<state>.lock`, holding its
 * pid, its process start time, its host and a random token, and removes it when it ends.
 *
 * - Taking it is atomic: the content is written to a private temporary file first, then hard-linked to the lock
 *   name (link fails if the name exists, even as a symbolic link), so a lock is never seen half-written. Where
 *   hard links are not supported, an exclusive create (`wx`) does the same with a tiny half-written window.
 * - A lock left by a run that died (SIGKILL, OOM, power cut) is stale: its pid is gone, or the pid now belongs
 *   to a process that started at another time (Linux /proc: pid reuse). It is taken over by renaming it to a
 *   unique name and checking that what was renamed is still that stale lock (if another run replaced it in
 *   between, it is put back). A lock from another host (a shared directory) is never judged stale: its pid
 *   means nothing here.
 * - Held by a live run: the command stops with an error naming the run and the lock file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { readUserFile } from '../user-file.js';

/** Another run holds the state file: exit code 1 (not a usage mistake), with who holds it. */
export class StateInUseError extends Error {
  override name = 'StateInUseError';
}

export interface LockOwner {
  pid: number;
  /** The process start time (Linux: clock ticks after boot, from /proc/<pid>/stat), null where unknown. */
  start: string | null;
  host: string;
  token: string;
  /** When the lock was taken, ISO-8601 (for the message only). */
  since: string;
}

/** What the lock module needs from the system: injectable so staleness is tested without real processes. */
export interface LockSystem {
  /** True when `pid` is a running process (on this host). */
  alive(pid: number): boolean;
  /** The start time of process `pid`, or null when it cannot be told. */
  startOf(pid: number): string | null;
  host(): string;
  now(): Date;
}

/** Linux: field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export const systemLock: LockSystem = {
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
    }
  },
  startOf: procStart,
  host: hostname,
  now: () => new Date(),
};

/** True when the owner of a lock is certainly gone. Pure given `system`. */
export function isStale(owner: LockOwner, system: LockSystem): boolean {
  if (owner.host !== system.host()) return false;
  if (!system.alive(owner.pid)) return true;
  const start = owner.start === null ? null : system.startOf(owner.pid);
  return owner.start !== null && start !== null && start !== owner.start;
}

function parseOwner(bytes: Buffer): LockOwner | null {
  try {
    const o = JSON.parse(bytes.toString('utf8')) as LockOwner;
    return Number.isInteger(o?.pid) && typeof o.host === 'string' && typeof o.token === 'string' ? o : null;
  } catch {
    return null;
  }
}

function readOwner(path: string): LockOwner | null | 'missing' {
  const file = readUserFile(path, { flag: 'lock file', limit: 4096, noSymlink: true, missingOk: true });
  return file ? parseOwner(file.bytes) : 'missing';
}

/** Creates `lock` holding `content`, atomically; false when it exists. */
function create(lock: string, content: string): boolean {
  const tmp = `${lock}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, lock);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    return createExclusive(lock, content); // no hard links on this file system
  } finally {
    unlinkSync(tmp);
  }
}

function createExclusive(lock: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes `lock` if it is still the stale one judged (`token`); puts back a lock another run made meanwhile. */
function takeOverStale(lock: string, token: string): void {
  const aside = `${lock}.${randomBytes(8).toString('hex')}.stale`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // gone already: another run took it over first
  }
  const moved = readUserFile(aside, { flag: 'lock file', limit: 4096, noSymlink: true, missingOk: true });
  if (moved && parseOwner(moved.bytes)?.token !== token) {
    try {
      linkSync(aside, lock); // not ours to remove: back where it was (unless yet another run made one)
    } catch {
      /* EEXIST: a newer lock exists; the run we displaced still holds its own state work */
    }
  }
  unlinkSync(aside);
}

/** How the messages name the state file, the command that locks it, and what two runs at once would do. */
export interface LockNames {
  /** e.g. `--state audit.state`. */
  label: string;
  /** e.g. `audit-logs tail`. */
  command: string;
  /** e.g. `two runs would print the same events twice`. */
  risk: string;
}

/**
 * Takes the lock of `statePath` (`<statePath>.lock`) and returns its release, or throws StateInUseError when a
 * live run holds it. `onStale` is told when a stale lock is taken over. `names` words the messages (default:
 * `audit-logs tail --state`).
 */
export function lockState(
  statePath: string,
  options: { system?: LockSystem; onStale?: (owner: LockOwner) => void; names?: LockNames } = {},
): () => void {
  const { label, command, risk } = options.names ?? {
    label: `--state ${statePath}`,
    command: 'audit-logs tail',
    risk: 'two runs would print the same events twice',
  };
  const system = options.system ?? systemLock;
  const lock = `${statePath}.lock`;
  const me: LockOwner = {
    pid: process.pid,
    start: system.startOf(process.pid),
    host: system.host(),
    token: randomBytes(16).toString('hex'),
    since: system.now().toISOString(),
  };
  const content = JSON.stringify(me) + '\n';
  mkdirSync(dirname(lock), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    if (create(lock, content)) return () => release(lock, me.token);
    const owner = readOwner(lock);
    if (owner === 'missing') continue; // released in between: try again
    if (owner === null) {
      throw new StateInUseError(
        `${label}: its lock file ${lock} exists but is not a lock this version wrote; ` +
          `if no other ${command} is running on this file, delete the lock file`,
      );
    }
    if (!isStale(owner, system)) {
      throw new StateInUseError(
        `${label} is in use by another ${command} (pid ${owner.pid} on ${owner.host}, since ` +
          `${owner.since}): ${risk}. If that run no longer exists, delete ${lock}`,
      );
    }
    options.onStale?.(owner);
    takeOverStale(lock, owner.token);
  }
  throw new StateInUseError(`${label}: could not take its lock ${lock} (other runs keep taking it)`);
}

/** Removes the lock if it is still this run's (never another run's that took over a lock judged stale). */
function release(lock: string, token: string): void {
  try {
    const owner = readOwner(lock);
    if (owner !== 'missing' && owner?.token === token) unlinkSync(lock);
  } catch {
    /* nothing to release, or the directory went away */
  }
}
