/**
 * `-o FILE`: the command's output goes to a temporary file beside FILE and is renamed over it only when the
 * command succeeds, after an fsync — so FILE holds either what it held before or the whole new output, never a
 * part, even if the process is killed midway. The temporary file is created at the first write (a command killed
 * while it waits for the API leaves nothing behind); a SIGKILL while writing leaves at most it, named after FILE.
 */
import { accessSync, closeSync, constants, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './errors.js';
import type { OutStream } from './io.js';

export interface OutputFile {
  /** Written synchronously (a file never pushes back), so memory stays flat whatever the output's size. */
  readonly stream: OutStream;
  /** Makes the output FILE's content. */
  commit(): void;
  /** Drops the output; FILE is left as it was. */
  abort(): void;
}

const reason = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

/**
 * Opens the temporary file for `-o path` (mode as a shell redirection makes it: 0666 less the umask).
 * @example
 * const out = openOutputFile('users.csv'); out.stream.write('id\r\n'); out.commit();
 */
export function openOutputFile(path: string): OutputFile {
  // Unique enough with the pid; opened exclusively ('wx'), so a clash is an error, never a shared file. (Not
  // node:crypto: loading it costs start-up time every command would pay.)
  const nonce = Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${nonce}.tmp`);
  // Checked now, so that a path that cannot be written is a usage error before anything is sent.
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (err) {
    throw new UsageError(`-o ${path}: cannot create a file in ${dirname(path)} (${reason(err)})`);
  }
  let fd: number | undefined;
  const opened = (): number => {
    if (fd === undefined) {
      try {
        fd = openSync(tmp, 'wx', 0o666);
      } catch (err) {
        throw new Error(`-o ${path}: cannot create a file in ${dirname(path)} (${reason(err)})`);
      }
    }
    return fd;
  };
  let open = true;
  const close = () => {
    if (open && fd !== undefined) closeSync(fd);
    open = false;
  };
  return {
    stream: {
      write(text, done) {
        try {
          writeSync(opened(), text);
        } catch (err) {
          done?.(err as Error);
          return false;
        }
        done?.();
        return true;
      },
      isTTY: false,
    },
    commit() {
      try {
        fsyncSync(opened());
        close();
        renameSync(tmp, path);
      } catch (err) {
        this.abort();
        throw new Error(`-o ${path}: cannot write the file (${reason(err)}); it is left as it was`);
      }
    },
    abort() {
      close();
      rmSync(tmp, { force: true });
    },
  };
}
