/**
 * Reading a file the user named on the command line (`--api-key-file`, `--body @file`, `--state`) without being
 * harmed by what is at that path: `/dev/zero` or `/dev/urandom` (endless), a FIFO nobody writes to (blocks
 * forever), a directory, a socket, a 100 MB file (V8 dies building the string). So:
 *
 * - stat first and refuse anything but a regular file before opening it (opening some devices has effects);
 * - open with O_NONBLOCK (a FIFO swapped in after the stat cannot block the open) and O_NOCTTY, and check the
 *   opened file again with fstat (the path may have changed between the two);
 * - read at most `limit` bytes: one more byte than the limit is an error naming the flag and the limit.
 *
 * The path itself is left out of every message when it looks like a key (`--api-key-file sk-admin-…`: the key
 * passed where its file was expected), so an error never echoes a secret. Synchronous: the CLI reads these files
 * before it does anything else, and a bounded read is short.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { UsageError } from './errors.js';

/** An admin key is about 170 characters; 4 KB leaves room for any future format and nothing for a mistake. */
export const KEY_FILE_LIMIT = 4 * 1024;
/**
 * The largest admin request body is a PEM certificate chain (a few KB); other bodies are a handful of short
 * fields. 1 MiB is far above any body the Administration API accepts and far below what could hurt the process.
 */
export const BODY_FILE_LIMIT = 1024 * 1024;
/**
 * A checkpoint is a few hundred bytes plus ~60 bytes per event id of the last second (and of one in-flight chunk
 * of 100): 16 MiB holds a quarter of a million ids in one second.
 */
export const STATE_FILE_LIMIT = 16 * 1024 * 1024;

export interface UserFileOptions {
  /** The flag that named the file, for messages: `--api-key-file`. */
  flag: string;
  /** The most bytes accepted. */
  limit: number;
  /** Refuse a symbolic link at the path itself (O_NOFOLLOW): the file is replaced by rename later. */
  noSymlink?: boolean;
}

/**
 * True when a command-line argument looks like a secret rather than a path: an `sk-…` key, or a long run of
 * token characters with no path separator and no dot (file names nearly always have one or the other). Pure.
 */
export function looksLikeKey(arg: string): boolean {
  return /^sk-/i.test(arg) || (arg.length >= 32 && /^[A-Za-z0-9_-]+$/.test(arg));
}

/** `--api-key-file 'key.txt'`, or `--api-key-file (argument hidden: it looks like a key, not a path)`. */
export function describeArg(flag: string, arg: string): string {
  return looksLikeKey(arg) ? `${flag} (argument not shown: it looks like a key, not a file path)` : `${flag} ${arg}`;
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function refuse(what: string, options: UserFileOptions, path: string): never {
  throw new UsageError(`${describeArg(options.flag, path)}: ${what}`, 'it must name a regular file');
}

function cannotRead(err: unknown, options: UserFileOptions, path: string): never {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP' && options.noSymlink) refuse('is a symbolic link', options, path);
  // A Unix socket cannot be opened: ENXIO.
  if (code === 'ENXIO') refuse('is a socket or a device with nothing behind it', options, path);
  throw new UsageError(`${describeArg(options.flag, path)}: cannot read it (${code ?? 'error'})`);
}

export interface UserFile {
  bytes: Buffer;
  /** The permission bits of the file read (fstat of the opened file). */
  mode: number;
}

/**
 * The file's bytes, at most `options.limit` of them; null when it does not exist and `missingOk` is set.
 * Every other problem is a UsageError naming the flag (and the path unless it looks like a key).
 */
export function readUserFile(path: string, options: UserFileOptions & { missingOk: true }): UserFile | null;
export function readUserFile(path: string, options: UserFileOptions): UserFile;
export function readUserFile(path: string, options: UserFileOptions & { missingOk?: boolean }): UserFile | null {
  let fd: number;
  let stat: Stats;
  try {
    const before = options.noSymlink ? lstatSync(path) : statSync(path);
    if (!before.isFile()) refuse(`is ${kindOf(before)}`, options, path);
    const flags =
      constants.O_RDONLY |
      (constants.O_NONBLOCK ?? 0) |
      (constants.O_NOCTTY ?? 0) |
      (options.noSymlink ? (constants.O_NOFOLLOW ?? 0) : 0);
    fd = openSync(path, flags);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && options.missingOk) return null;
    cannotRead(err, options, path);
  }
  try {
    stat = fstatSync(fd);
    if (!stat.isFile()) refuse(`is ${kindOf(stat)}`, options, path);
    if (stat.size > options.limit) tooBig(options, path);
    return { bytes: readBounded(fd, options, path), mode: stat.mode };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    cannotRead(err, options, path);
  } finally {
    closeSync(fd);
  }
}

function tooBig(options: UserFileOptions, path: string): never {
  throw new UsageError(`${describeArg(options.flag, path)}: the file is larger than ${formatBytes(options.limit)}`);
}

const formatBytes = (n: number) =>
  n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} bytes`;

/**
 * Reads `fd` to its end, at most `limit` bytes (a file may grow after fstat, and /proc files report size 0):
 * the read asks for one byte more, and getting it is an error. Also used for stdin (`--body @-`), where a pipe
 * set non-blocking by Node answers EAGAIN until data comes: then it waits a moment, synchronously.
 */
export function readBounded(fd: number, options: UserFileOptions, path: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(64 * 1024, options.limit + 1 - total));
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(buffer.subarray(0, n));
    total += n;
    if (total > options.limit) tooBig(options, path);
  }
}

/** ssh's rule for private keys: nobody but the owner may read a key file. The warning, or null. POSIX only. */
export function keyFileModeWarning(path: string, mode: number, platform = process.platform): string | null {
  if (platform === 'win32' || (mode & 0o077) === 0) return null;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return (
    `${describeArg('--api-key-file', path)} is readable or writable by group or others (mode ${octal}); ` +
    `anyone who can read it can administer the organization: chmod 600 it`
  );
}

/**
 * The key in a key file's text or in $OPENAI_ADMIN_KEY: without the trailing newline an editor or `echo` adds
 * (LF or CRLF) and surrounding blanks. Whitespace or control characters left inside mean it is not one key.
 */
export function keyFromText(text: string, source: string): string {
  const key = text.replace(/^\uFEFF/, '').trim();
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(key))
    throw new UsageError(`${source} holds more than one line or word; it must hold only the key`);
  return key;
}
