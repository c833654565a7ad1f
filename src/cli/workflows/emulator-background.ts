/**
 * `openai-admin emulator start` / `stop`: the emulator as a background process that outlives the command, so
 * `eval "$(openai-admin emulator start | grep ^export)"` returns at once with a server that keeps its state
 * between commands. The child is the foreground emulator (same flags) started detached, with no stdout or stderr
 * of ours (a `$(…)` substitution waits for every writer of its pipe to close): it reports its URL over an IPC
 * channel and logs to a file beside the pid file.
 */
import { readUserFile } from '../user-file.js';
import { spawn } from 'node:child_process';
import { openSync, readFileSync, unlinkSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../testing/persist.js';
import { UsageError } from '../errors.js';

/**
 * The default pid file: one background emulator per user, in $XDG_RUNTIME_DIR when set (private, cleared at
 * logout), else the temporary directory.
 */
export function defaultPidFile(env: Record<string, string | undefined>): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return env.XDG_RUNTIME_DIR
    ? join(env.XDG_RUNTIME_DIR, 'openai-admin-emulator.pid')
    : join(tmpdir(), `openai-admin-emulator-${uid}.pid`);
}

/** The pid a pid file names, or undefined when there is no file. A file that is not a pid is an error. */
export function readPidFile(file: string): number | undefined {
  // Bounded, regular files only (user-file.ts): a pid file is a few digits, never /dev/zero or a FIFO.
  const read = readUserFile(file, { flag: '--pid-file', limit: 64, missingOk: true });
  if (!read) return undefined;
  const text = read.bytes.toString('utf8');
  if (!/^\d+\s*$/.test(text)) throw new UsageError(`${file} is not a pid file (expected a process id)`);
  return Number(text);
}

/** Whether a process with this pid exists (and may be signalled by us). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Started {
  pid: number;
  url: string;
  log: string;
}

/**
 * Starts `openai-admin emulator <flags>` detached and resolves once it listens (its URL comes over IPC), after
 * writing the pid file. Refuses when the pid file names a live process. If the child dies first, the error
 * quotes its log.
 */
export async function startInBackground(pidFile: string, flags: string[]): Promise<Started> {
  const running = readPidFile(pidFile);
  if (running !== undefined && isRunning(running))
    throw new UsageError(
      `an emulator is already running (pid ${running}, ${pidFile})`,
      'stop it with openai-admin emulator stop, or give another --pid-file',
    );
  const log = pidFile.replace(/(\.pid)?$/, '.log');
  const logFd = openSync(log, 'w', 0o600);
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], 'emulator', ...flags], {
    detached: true,
    stdio: ['ignore', 'ignore', logFd, 'ipc'],
  });
  closeSync(logFd);
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url?: string }) => (m?.url ? resolve(m.url) : reject(new Error('no URL'))));
    child.once('error', reject);
    child.once('exit', (code) => {
      let said = '';
      try {
        said = readFileSync(log, 'utf8').trim();
      } catch {
        // no log
      }
      reject(new Error(`the emulator exited (code ${code}) before listening${said ? `: ${said}` : ''}`));
    });
  });
  child.removeAllListeners('exit');
  writeFileAtomic(pidFile, `${child.pid}\n`);
  child.disconnect();
  child.unref();
  return { pid: child.pid!, url, log };
}

/**
 * Stops the emulator a pid file names: SIGTERM (it closes cleanly; its state file already holds every change),
 * then waits for it to go, SIGKILL after `patience` checks. Removes the pid file. Resolves to the pid stopped, or
 * undefined when none was running (a stale pid file is removed too).
 */
export async function stopInBackground(
  pidFile: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  patience = 100,
): Promise<number | undefined> {
  const pid = readPidFile(pidFile);
  if (pid === undefined) return undefined;
  const remove = () => {
    try {
      unlinkSync(pidFile);
    } catch {
      // already gone
    }
  };
  if (!isRunning(pid) || !isOurEmulator(pid)) return (remove(), undefined);
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < patience && isRunning(pid); i++) await sleep(50);
  if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  remove();
  return pid;
}

/** On Linux, a recycled pid of another program is not ours to signal; elsewhere the pid file is trusted. */
function isOurEmulator(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('emulator');
  } catch {
    return true;
  }
}
