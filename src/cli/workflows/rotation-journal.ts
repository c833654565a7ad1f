/**
 * The journal of a `keys rotate` in progress: one small JSON file per (project, service account), so that a run
 * killed at any instant (SIGKILL, OOM, power cut: nothing printed) leaves enough for the next run to finish the
 * job instead of doing it twice. It records, each step before the next effect:
 *
 * - intent: the exact name the new key is about to get (with a random suffix, so it can be recognised among the
 *   account's keys even if the create's answer was never received), the old key ids, and `--key-out`'s path;
 * - created: the new key's id, once the create answered (its value is never written here);
 * - delivered: where the key was handed over (stdout or the `--key-out` file), once it was written;
 * - deleted: each old key gone so far.
 *
 * The file is removed when the rotation ends. Default place: `$XDG_STATE_HOME/openai-admin/` (else
 * `~/.local/state/openai-admin/`), `--journal FILE` to choose. Every write is atomic: a temporary file with an
 * unpredictable name in the same directory (created exclusively, 0600), fsync'd, then linked (the first write:
 * exclusive, an existing journal is never overwritten) or renamed over the journal, then the directory fsync'd.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { UsageError } from '../errors.js';
import { readUserFile } from '../user-file.js';

export interface RotationRecord {
  version: 1;
  kind: 'openai-admin keys rotate';
  project: string;
  service_account: string;
  /** ISO-8601, for the messages. */
  started_at: string;
  new_key: {
    /** The exact name given to the create (base name + random suffix). */
    name: string;
    /** Known once the create answered. */
    id: string | null;
    /** Where the key was handed over, once it was: `stdout`, or the absolute path of the `--key-out` file. */
    delivered_to: string | null;
  };
  /** The absolute path `--key-out` named (created empty just before the create), or null for stdout. */
  key_out: string | null;
  old_keys: string[];
  deleted: string[];
}

export type RotationStage = 'intent' | 'created' | 'delivered';

/** How far the recorded rotation got. Pure. */
export function stageOf(record: RotationRecord): RotationStage {
  if (record.new_key.id === null) return 'intent';
  return record.new_key.delivered_to === null ? 'created' : 'delivered';
}

/** An id as a file-name part: kept when it is plainly safe, else a hash (ids come from the user and the server). */
function fileSafe(id: string): string {
  if (/^[A-Za-z0-9_-]{1,80}$/.test(id)) return id;
  let h = 0x811c9dc5; // FNV-1a: a stable short name, not a security boundary (the path stays in one directory)
  for (const c of Buffer.from(id, 'utf8')) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return `x${h.toString(16).padStart(8, '0')}`;
}

/**
 * `$XDG_STATE_HOME/openai-admin/rotate-<project>-<account>.json`, or under `~/.local/state` when XDG_STATE_HOME is
 * unset or relative (the XDG rule). Pure given `env` and `home`.
 */
export function defaultJournalPath(
  env: Record<string, string | undefined>,
  projectId: string,
  serviceAccountId: string,
  home: () => string = homedir,
): string {
  const xdg = env.XDG_STATE_HOME;
  let base: string;
  if (xdg && isAbsolute(xdg)) base = xdg;
  else {
    const h = env.HOME || home();
    if (!h || !isAbsolute(h))
      throw new UsageError(
        'keys rotate keeps a journal, but neither XDG_STATE_HOME nor HOME is set',
        'pass --journal FILE',
      );
    base = join(h, '.local', 'state');
  }
  return join(base, 'openai-admin', `rotate-${fileSafe(projectId)}-${fileSafe(serviceAccountId)}.json`);
}

/** The key name with a random suffix: the interrupted run's key is recognised by it. */
export function uniqueKeyName(base: string, random: () => string = () => randomBytes(4).toString('hex')): string {
  return `${base}-r${random()}`;
}

const recover = (path: string, project: string) =>
  `if no keys rotate is running: list the account's keys (openai-admin projects api-keys list ${project}), delete ` +
  `any key the interrupted rotation created that nobody received, then delete ${path} and run again`;

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isNullableString = (v: unknown) => v === null || typeof v === 'string';

/**
 * The journal at `path`, or null when there is none. A damaged one (empty, not JSON, not a journal of this
 * version, or of another account) is an error naming the file and how to recover: it is never guessed at.
 */
export function readJournal(path: string, projectId: string, serviceAccountId: string): RotationRecord | null {
  const file = readUserFile(path, { flag: 'rotation journal', limit: 256 * 1024, noSymlink: true, missingOk: true });
  if (!file) return null;
  const damaged = (what: string): never => {
    throw new UsageError(`rotation journal ${path} ${what}`, recover(path, projectId));
  };
  const text = file.bytes.toString('utf8');
  if (!text.trim()) damaged('is empty (a journal is never empty: it was truncated or is not one)');
  let r: RotationRecord;
  try {
    r = JSON.parse(text) as RotationRecord;
  } catch (err) {
    return damaged(`is not valid JSON (${(err as Error).message}): it is damaged or not a rotation journal`);
  }
  const k = r?.new_key as RotationRecord['new_key'] | undefined;
  if (
    r?.version !== 1 ||
    r.kind !== 'openai-admin keys rotate' ||
    typeof r.project !== 'string' ||
    typeof r.service_account !== 'string' ||
    typeof r.started_at !== 'string' ||
    typeof k !== 'object' ||
    k === null ||
    typeof k.name !== 'string' ||
    !isNullableString(k.id) ||
    !isNullableString(k.delivered_to) ||
    (k.id === null && k.delivered_to !== null) ||
    !isNullableString(r.key_out) ||
    !isStringArray(r.old_keys) ||
    !isStringArray(r.deleted)
  )
    damaged('is not a rotation journal this version understands');
  if (r.project !== projectId || r.service_account !== serviceAccountId)
    throw new UsageError(
      `rotation journal ${path} is of ${r.service_account} in ${r.project}, not of ${serviceAccountId} in ${projectId}`,
      'give each service account its own --journal file (or leave --journal out)',
    );
  return r;
}

/**
 * Writes `record` to `path` atomically. `exclusive`: the journal must not exist yet (the first write of a
 * rotation); otherwise it replaces the journal by rename. A crash leaves the old content or the new, never half.
 */
export function writeJournal(path: string, record: RotationRecord, exclusive: boolean): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    try {
      writeSync(fd, JSON.stringify(record, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (exclusive) {
      try {
        linkSync(tmp, path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST')
          throw new UsageError(`rotation journal ${path} appeared while this run was starting`, 'run again');
        throw err;
      }
      unlinkSync(tmp);
    } else renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDir(dir);
}

/** Removes the journal: the rotation is over (or there is nothing left to resume). */
export function removeJournal(path: string): void {
  rmSync(path, { force: true });
  syncDir(dirname(path));
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* directories cannot be fsync'd everywhere: the rename is still atomic */
  }
}
