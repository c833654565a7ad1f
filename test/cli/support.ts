/**
 * Running the real `openai-admin` bin in child processes. The bin is bundled from src/cli/bin.ts once per test
 * file as `npm run build` bundles the bin it ships (scripts/lib/cli-bundle.ts), so that each spawn costs a plain
 * `node` start rather than a TypeScript compile; the packaging suite runs the built bin from an installed tarball.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAIAdmin } from '../../src/index.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/testing/index.js';
import type { LocalServer } from '../support/local-server';
import { ROOT } from '../support/paths';
import { stopProcess, track } from '../support/processes';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function bundleCli(): { bin: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'openai-admin-cli-test-'));
  // As `npm run build` bundles the bin it ships (scripts/lib/cli-bundle.ts), in a child process: esbuild runs
  // plugins only in its asynchronous API, and callers need the bin at once.
  const bin = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bundle-cli.ts'), dir], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  return { bin, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a CLI test file works with; the fields are set by the hooks useCliFixture registers. */
export interface CliFixture {
  /** The bundled bin (once per file). */
  bundle: ReturnType<typeof bundleCli>;
  /** A temporary directory (once per file) for state and output files. */
  tmp: string;
  /** A fresh emulator per test, and a client on it with the file's key. */
  emu: Emulator;
  admin: OpenAIAdmin;
}

/**
 * Registers the hooks every CLI test file needs: the bin bundled and a temporary directory made once per file, a
 * seeded emulator started (and closed) around each test with a client on it. `ready` runs after each start.
 */
export function useCliFixture(key: string, emulator: EmulatorOptions, ready?: (emu: Emulator) => void): CliFixture {
  const fixture = {} as CliFixture;
  beforeAll(() => {
    fixture.bundle = bundleCli();
    fixture.tmp = mkdtempSync(join(tmpdir(), 'openai-admin-cli-'));
  }, 60_000);
  afterAll(() => {
    fixture.bundle?.cleanup();
    if (fixture.tmp) rmSync(fixture.tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    fixture.emu = await startEmulator(emulator);
    fixture.admin = new OpenAIAdmin({ apiKey: key, baseURL: fixture.emu.url });
    ready?.(fixture.emu);
  });
  afterEach(() => fixture.emu.close());
  return fixture;
}

/**
 * Registers the hooks of a CLI test file that plays the server itself (a hostile one on 127.0.0.1) instead of the
 * emulator: the bin bundled and the server started once per file, both closed after. `cli` runs the bin with the
 * file's key and the server's base URL (`<url>/v1` unless `baseURL` says otherwise); `env` adds or overrides.
 */
export function useCliAgainst<S extends LocalServer>(
  key: string,
  start: () => Promise<S>,
  baseURL: (server: S) => string = (server) => `${server.url}/v1`,
): { server: S; cli: (args: string[], env?: Record<string, string>) => Promise<CliRun> } {
  let bundle: ReturnType<typeof bundleCli> | undefined;
  const fixture = {
    server: undefined as unknown as S,
    cli: (args: string[], env: Record<string, string> = {}) =>
      runBin(bundle!.bin, args, {
        env: cleanEnv({ OPENAI_ADMIN_KEY: key, OPENAI_BASE_URL: baseURL(fixture.server), ...env }),
      }),
  };
  beforeAll(async () => {
    bundle = bundleCli();
    fixture.server = await start();
  }, 60_000);
  afterAll(async () => {
    bundle?.cleanup();
    await fixture.server?.close();
  });
  return fixture;
}

/** A clean environment: no key, no base URL from the developer's shell. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra };
  return env;
}

/** Runs the bin to completion (bounded); stdin is a pipe fed `input` and closed, i.e. not a terminal. */
export function runBin(
  bin: string,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    input?: string;
    cwd?: string;
    timeoutMs?: number;
    /** Close the reading end of stdout before the bin writes anything (a reader that went away: EPIPE). */
    closeStdout?: boolean;
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, [bin, ...args], {
        cwd: options.cwd ?? ROOT,
        env: options.env ?? cleanEnv(),
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    if (options.closeStdout) child.stdout!.destroy();
    else child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdin!.end(options.input ?? '');
    const timer = setTimeout(() => void stopProcess(child, 1_000), options.timeoutMs ?? 60_000);
    child.once('error', (e) => (clearTimeout(timer), reject(e)));
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}

/** Runs the bin under a pseudo-terminal (util-linux `script`): stdout and stderr are one TTY stream. */
export function runBinInPty(bin: string, args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<CliRun> {
  return inPty([process.execPath, bin, ...args].map(quote).join(' '), env, input, (stdout) => stdout);
}

/**
 * Runs the bin under a pseudo-terminal of a given size (`stty cols/rows` inside util-linux `script`), the way a
 * person's 80- or 160-column terminal runs it. stdout and stderr are the one terminal stream; its CRLF line ends
 * are turned back into LF. `input` is typed into the terminal.
 */
export function runBinInSizedPty(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  size: { cols: number; rows: number },
  input = '',
): Promise<CliRun> {
  const command = `stty cols ${size.cols} rows ${size.rows} && exec ${[process.execPath, bin, ...args].map(quote).join(' ')}`;
  return inPty(command, env, input, (stdout) => stdout.replaceAll('\r\n', '\n'));
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** A shell command under util-linux `script` (a pty): its terminal output, `input` typed into it, bounded. */
function inPty(
  command: string,
  env: NodeJS.ProcessEnv,
  input: string,
  screen: (stdout: string) => string,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    // Typed into the terminal; the pty buffers it until the program reads.
    child.stdin!.end(input);
    const timer = setTimeout(() => void stopProcess(child, 1_000), 60_000);
    child.once('error', (e) => (clearTimeout(timer), reject(e)));
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout: screen(stdout), stderr: '' })));
  });
}

/** What a terminal shows in the end: progress lines that were erased (CR, ESC[2K) are gone. */
export const screenText = (tty: string): string =>
  tty
    .split('\n')
    .map((line) => line.split('\r').at(-1)!.replaceAll('\x1b[2K', ''))
    .join('\n');
