/**
 * The emulator's organisation on disk (`startEmulator({ stateFile })`, `openai-admin emulator --state FILE`), so a
 * project created by one command is there for the next. The file is replaced whole after every change the API
 * acknowledges, by write-to-temporary + fsync + rename: a process killed at any point (SIGKILL included) leaves
 * either the previous state or the new one, never half of one.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BoundedMap } from './limits.js';
import type { EmulatorState } from './store.js';

/** The format tag: a file written by a later, incompatible emulator is refused, not misread. */
export const STATE_FORMAT = 'openai-admin-emulator-state/1';

/** Fields of EmulatorState that are machinery, not data. */
const NOT_DATA = new Set(['rng', 'seed', 'clock']);

interface StateFile {
  format: string;
  seed: string;
  rng: number;
  fields: Record<string, unknown>;
}

/** Maps (bounded ones with their bound) and Sets as tagged JSON; everything else as JSON has it. */
function encode(_key: string, value: unknown): unknown {
  if (value instanceof BoundedMap) return { $map: [...value], $bound: [value.max, value.what] };
  if (value instanceof Map) return { $map: [...value] };
  if (value instanceof Set) return { $set: [...value] };
  return value;
}

function decode(_key: string, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as { $map?: [unknown, unknown][]; $bound?: [number, string]; $set?: unknown[] };
  if (v.$set) return new Set(v.$set);
  if (!v.$map) return value;
  const map = v.$bound ? new BoundedMap<unknown, unknown>(v.$bound[0], v.$bound[1]) : new Map<unknown, unknown>();
  for (const [k, item] of v.$map) map.set(k, item);
  return map;
}

/**
 * The whole organisation as text: every data field of the state plus the id generator's position (ids made
 * after a restart continue the sequence instead of repeating it).
 */
export function serializeState(state: EmulatorState): string {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(state))
    if (!NOT_DATA.has(name) && typeof value !== 'function') fields[name] = value;
  const file: StateFile = { format: STATE_FORMAT, seed: state.seed, rng: state.rng.position(), fields };
  return JSON.stringify(file, encode);
}

/** The seed a state file was made with (the emulator restarts under it: usage is derived from the seed). */
export function stateFileSeed(text: string, file: string): string {
  return parseStateFile(text, file).seed;
}

function parseStateFile(text: string, file: string): StateFile {
  let parsed: StateFile;
  try {
    parsed = JSON.parse(text, decode) as StateFile;
  } catch (err) {
    throw new Error(`${file} is not an emulator state file (${(err as Error).message})`);
  }
  if (parsed?.format !== STATE_FORMAT)
    throw new Error(`${file} is not an emulator state file of this version (format ${String(parsed?.format)})`);
  return parsed;
}

/**
 * Puts a saved organisation into a fresh state made with the file's seed. Collections are refilled in place
 * (they are the instances the handlers hold); a field the file lacks keeps its fresh value.
 */
export function restoreState(state: EmulatorState, text: string, file: string): void {
  const saved = parseStateFile(text, file);
  if (saved.seed !== state.seed) throw new Error(`${file} was made with seed '${saved.seed}', not '${state.seed}'`);
  const target = state as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(saved.fields)) {
    if (NOT_DATA.has(name) || !(name in target)) continue;
    const current = target[name];
    if (current instanceof Map && value instanceof Map) {
      current.clear();
      for (const [k, v] of value) current.set(k, v);
    } else if (Array.isArray(current) && Array.isArray(value))
      current.splice(0, current.length, ...(value as unknown[]));
    else target[name] = value;
  }
  state.rng.moveTo(saved.rng);
}

/** The file system calls of an atomic write, injectable so a test can stop the write at each step. */
export interface AtomicFs {
  openSync: typeof openSync;
  writeSync: (fd: number, text: string) => unknown;
  fsyncSync: typeof fsyncSync;
  closeSync: typeof closeSync;
  renameSync: typeof renameSync;
  unlinkSync: typeof unlinkSync;
}

const realFs: AtomicFs = { openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync };

/**
 * Replaces `file` with `text` atomically: a sibling temporary file is written and fsynced, then renamed over
 * `file`, then the directory is fsynced so the rename itself survives a power cut. A failure at any step leaves
 * `file` as it was (the temporary file is removed when possible).
 * @example
 * writeFileAtomic('emulator.json', serializeState(emu.state));
 */
export function writeFileAtomic(file: string, text: string, fs: AtomicFs = realFs): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // already renamed or never created
    }
    throw err;
  }
  try {
    const dir = fs.openSync(dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // Some file systems refuse to fsync a directory; the rename is still atomic.
  }
}

/** The largest state file read: far above what the emulator's bounded collections can write. */
const MAX_STATE_BYTES = 512 * 1024 * 1024;

/** Reads a state file, or undefined when there is none yet. */
export function readStateFile(file: string): string | undefined {
  try {
    // A state file is a regular file of bounded size: /dev/zero or a FIFO here must be an error, not a hang.
    const stat = statSync(file);
    if (!stat.isFile()) throw new RangeError(`${file}: an emulator state file must be a regular file`);
    if (stat.size > MAX_STATE_BYTES)
      throw new RangeError(`${file}: ${stat.size} bytes, more than an emulator state file holds (${MAX_STATE_BYTES})`);
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
