/**
 * The files the CLI reads because the user named them (`--api-key-file`, `--body @file`, `--state`), through the
 * real bin: whatever is at the path (an endless device, a FIFO nobody writes to, a directory, a huge file), the
 * command answers at once with an error naming the flag, never hangs and never reads without bound. A key passed
 * where its file was expected is never echoed; a key file others can read draws a warning; a trailing newline
 * is dropped from the key wherever it comes from.
 *
 * Every child runs under a virtual-memory cap (ulimit -v) and a time bound, so a regression fails the test
 * instead of eating the machine (the code before this change read /dev/zero until V8 died, and waited on a FIFO
 * forever).
 */
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/paths';
import { stopProcess, track } from '../support/processes';
import { keyFileModeWarning, keyFromText, looksLikeKey, readUserFile } from '../../src/cli/user-file.js';
import { cleanEnv, useCliFixture, type CliRun } from './support';

// Child processes on a shared machine: a generous bound as a safety net; no assertion depends on time.
jest.setTimeout(120_000);

const KEY = 'sk-admin-CLI-user-files-7c8d9e0f';
const fx = useCliFixture(KEY, { seed: 'user-files' });
/** Nothing listens there: these commands must fail before sending anything. */
const NOWHERE = 'http://127.0.0.1:9';

/**
 * Node's flags for a child under the address-space cap. WebAssembly reserves about 10 GB of address space per
 * memory for its trap handler (undici's HTTP parser is wasm: Node 22 and 24 failed to start it under the cap, exit
 * 1); without the trap handler it reserves what it uses.
 */
const CAPPED_NODE = process.allowedNodeEnvironmentFlags.has('--disable-wasm-trap-handler')
  ? [process.execPath, '--disable-wasm-trap-handler']
  : [process.execPath];

/**
 * Runs the bin with at most ~1.5 GB of address space and a time bound (a hang ends as a SIGTERM'd run, which
 * the assertions then reject): a bounded stand-in for "the command fails at once".
 */
function capped(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CliRun & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn('sh', ['-c', 'ulimit -v 1500000; exec "$0" "$@"', ...CAPPED_NODE, fx.bundle.bin, ...args], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => ((killed = true), void stopProcess(child, 1_000)), timeoutMs);
    child.once('error', (e) => (clearTimeout(timer), reject(e)));
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr, killed })));
  });
}

const env = (extra: Record<string, string> = {}) =>
  cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: NOWHERE, ...extra });

/** The command line that reads `path` through `flag`. */
const reading: Record<string, (path: string) => string[]> = {
  '--api-key-file': (path) => ['projects', 'list', '--api-key-file', path],
  '--body': (path) => ['projects', 'create', '--body', `@${path}`],
  '--state': (path) => ['audit-logs', 'tail', '--state', path],
};

describe('a path that is not a regular file is refused at once, naming the flag', () => {
  let fifo: string;
  let dir: string;
  let zeroLink: string;
  beforeAll(() => {
    fifo = join(fx.tmp, 'no-writer.fifo');
    execFileSync('mkfifo', [fifo]);
    dir = join(fx.tmp, 'a-directory');
    mkdirSync(dir);
    zeroLink = join(fx.tmp, 'zero-link');
    symlinkSync('/dev/zero', zeroLink);
  });

  test.each(Object.keys(reading))(
    '%s /dev/zero: a character device, refused (not read until memory runs out)',
    async (flag) => {
      const r = await capped(reading[flag]('/dev/zero'), env());
      expect(r).toMatchObject({ code: 2, killed: false });
      expect(r.stderr).toContain(`${flag} /dev/zero: is a character device`);
      expect(r.stderr).toContain('it must name a regular file');
    },
  );

  test.each(Object.keys(reading))('%s on a FIFO with no writer: refused, does not wait for a writer', async (flag) => {
    const r = await capped(reading[flag](fifo), env());
    expect(r).toMatchObject({ code: 2, killed: false });
    expect(r.stderr).toContain(`${flag} ${fifo}: is a FIFO (named pipe)`);
  });

  test('--api-key-file on a directory and on a symbolic link to /dev/zero: refused, saying what it is', async () => {
    const onDir = await capped(reading['--api-key-file'](dir), env());
    expect(onDir).toMatchObject({ code: 2, killed: false });
    expect(onDir.stderr).toContain(`--api-key-file ${dir}: is a directory`);
    const onLink = await capped(reading['--api-key-file'](zeroLink), env());
    expect(onLink).toMatchObject({ code: 2, killed: false });
    expect(onLink.stderr).toContain(`--api-key-file ${zeroLink}: is a character device`);
  });
});

describe('reads are bounded: a 100 MB file is refused by its size, not loaded', () => {
  let big: string;
  beforeAll(() => {
    big = join(fx.tmp, 'sparse-100mb');
    writeFileSync(big, '');
    truncateSync(big, 100 * 1024 * 1024); // sparse: costs no disk
  });

  test.each([
    ['--api-key-file', '4 KiB'],
    ['--body', '1 MiB'],
    ['--state', '16 MiB'],
  ])('%s on a 100 MB file: "larger than %s"', async (flag, limit) => {
    const r = await capped(reading[flag](big), env());
    expect(r).toMatchObject({ code: 2, killed: false });
    expect(r.stderr).toContain(`${flag} ${big}: the file is larger than ${limit}`);
  });

  test('--body @- reads stdin with the same bound', async () => {
    const r = await new Promise<CliRun & { killed: boolean }>((resolve) => {
      // stdin is /dev/zero itself: endless.
      const child = track(
        spawn(
          'sh',
          [
            '-c',
            `ulimit -v 1500000; exec "$0" "$@" < /dev/zero`,
            ...CAPPED_NODE,
            fx.bundle.bin,
            ...reading['--body']('-'),
          ],
          {
            cwd: ROOT,
            env: env(),
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        ),
      );
      let stderr = '';
      let killed = false;
      child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const timer = setTimeout(() => ((killed = true), void stopProcess(child, 1_000)), 30_000);
      child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout: '', stderr, killed })));
    });
    expect(r).toMatchObject({ code: 2, killed: false });
    expect(r.stderr).toContain('--body @-: the file is larger than 1 MiB');
  });
});

describe('the key', () => {
  test('passed where its file was expected (--api-key-file sk-admin-…): the error never echoes it', async () => {
    const key = 'sk-admin-AbCdEf0123456789AbCdEf0123456789AbCdEf01';
    const r = await capped(['projects', 'list', '--api-key-file', key], cleanEnv({ OPENAI_BASE_URL: NOWHERE }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--api-key-file (argument not shown: it looks like a key, not a file path)');
    expect(r.stderr).not.toContain('AbCdEf0123456789');
  });

  test('a key file readable by group or others works, with a warning as ssh gives; mode 0600 draws none', async () => {
    const file = join(fx.tmp, 'key-0644');
    writeFileSync(file, `${KEY}\n`);
    chmodSync(file, 0o644);
    const args = ['projects', 'list', '--max', '1', '--json', '--api-key-file', file];
    const open = await capped(args, cleanEnv({ OPENAI_BASE_URL: fx.emu.url }));
    expect(open.code).toBe(0);
    expect(open.stderr).toContain(
      `warning: --api-key-file ${file} is readable or writable by group or others (mode 0644)`,
    );
    expect(open.stderr).toContain('chmod 600');
    chmodSync(file, 0o600);
    const closed = await capped(args, cleanEnv({ OPENAI_BASE_URL: fx.emu.url }));
    expect(closed).toMatchObject({ code: 0, stderr: '' });
  });

  test.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('OPENAI_ADMIN_KEY with a trailing %s works like the key file does', async (_, eol) => {
    const r = await capped(
      ['projects', 'list', '--max', '1', '--json'],
      cleanEnv({ OPENAI_ADMIN_KEY: KEY + eol, OPENAI_BASE_URL: fx.emu.url }),
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toHaveLength(1);
  });
});

describe('the rules, one by one', () => {
  test('what looks like a key (never echoed) and what looks like a path (named in errors)', () => {
    for (const key of ['sk-admin-abc', 'SK-proj-x', 'AbCdEf0123456789_AbCdEf0123456789-xyz'])
      expect(looksLikeKey(key)).toBe(true);
    for (const path of ['admin.key', '/run/secrets/openai_admin_key', './key', 'openai-admin-key', 'C:\\keys\\admin'])
      expect(looksLikeKey(path)).toBe(false);
  });

  test('a key loses its trailing newline and blanks; anything else inside is refused without showing the text', () => {
    expect(keyFromText('sk-admin-x\r\n', 'k')).toBe('sk-admin-x');
    expect(keyFromText('  sk-admin-x\n\n', 'k')).toBe('sk-admin-x');
    expect(keyFromText('\uFEFFsk-admin-x\n', 'k')).toBe('sk-admin-x');
    expect(() => keyFromText('sk-admin-x\nsk-admin-y\n', 'OPENAI_ADMIN_KEY')).toThrow(
      'OPENAI_ADMIN_KEY holds more than one line or word',
    );
    expect(() => keyFromText('sk-admin-x\nsk-admin-y', 'k')).not.toThrow(/sk-admin/);
  });

  test('the mode warning: group or other bits set, POSIX only', () => {
    expect(keyFileModeWarning('k', 0o100600, 'linux')).toBeNull();
    expect(keyFileModeWarning('k', 0o100400, 'linux')).toBeNull();
    expect(keyFileModeWarning('k', 0o100640, 'linux')).toContain('(mode 0640)');
    expect(keyFileModeWarning('k', 0o100602, 'darwin')).toContain('(mode 0602)');
    expect(keyFileModeWarning('k', 0o100644, 'win32')).toBeNull();
  });

  test('a regular file that reports size 0 but has content (/proc) is still read only up to the bound', () => {
    expect(() => readUserFile('/proc/self/status', { flag: '--body', limit: 16 })).toThrow(
      '--body /proc/self/status: the file is larger than 16 bytes',
    );
    expect(readUserFile('/proc/self/status', { flag: '--body', limit: 64 * 1024 }).bytes.toString()).toContain('Pid:');
  });
});
