/**
 * Running the real `openai-admin` bin in child processes. The bin is bundled from src/cli/bin.ts once per test
 * file with esbuild (a devDependency) so that each spawn costs a plain `node` start rather than a TypeScript
 * compile; the packaging suite runs the tsc-built bin from an installed tarball.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { ROOT } from '../support/paths';
import { stopProcess, track } from '../support/processes';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function bundleCli(): { bin: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'openai-admin-cli-test-'));
  const bin = join(dir, 'bin.mjs');
  buildSync({
    entryPoints: [join(ROOT, 'src', 'cli', 'bin.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bin,
    logLevel: 'warning',
  });
  return { bin, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
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
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {},
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
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdin!.end(options.input ?? '');
    const timer = setTimeout(() => void stopProcess(child, 1_000), options.timeoutMs ?? 60_000);
    child.once('error', (e) => (clearTimeout(timer), reject(e)));
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}

/** Runs the bin under a pseudo-terminal (util-linux `script`): stdout and stderr are one TTY stream. */
export function runBinInPty(bin: string, args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<CliRun> {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, bin, ...args].map(quote).join(' ');
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
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr: '' })));
  });
}
