import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { assertPortFree, freePort } from '../../support/local-server';
import { ROOT } from '../../support/paths';
import { stopProcess, track } from '../../support/processes';
import { suiteTools } from './suite-tools';

export interface Prism {
  baseURL: string;
  pid: number;
  /** The file Prism serves: a private copy of the spec it was given (see startPrism). */
  specFile: string;
  /** Everything Prism printed so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts @stoplight/prism-cli (pinned in scripts/slow/suite-tools.sh, installed into the contract suite's prefix; never npx) in static mock mode on 127.0.0.1, on a port
 * checked to be free, and waits (bounded) until it answers. The caller stops it by PID with stop(), also on failure.
 *
 * Prism watches the file it serves and restarts (closing its port) whenever it changes, so it serves a private copy:
 * editing openapi.yaml while the suite runs (spec:sync, settling a todo) would otherwise fail every call still to
 * come with ECONNREFUSED. The specs have only local $refs, so the copy resolves as the original does.
 */
export async function startPrism(source: string, { readyTimeoutMs = 90_000 } = {}): Promise<Prism> {
  const PRISM = join(suiteTools('contract'), '@stoplight', 'prism-cli', 'dist', 'index.js');
  const port = await freePort();
  await assertPortFree(port);
  const dir = mkdtempSync(join(tmpdir(), 'prism-spec-'));
  const specFile = join(dir, basename(source));
  copyFileSync(source, specFile);
  let output = '';
  const child: ChildProcess = track(
    spawn(process.execPath, [PRISM, 'mock', specFile, '-h', '127.0.0.1', '-p', String(port)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    }),
  );
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const baseURL = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const prism: Prism = { baseURL, pid: child.pid!, specFile, log: () => output, stop };
  const deadline = Date.now() + readyTimeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Prism exited with code ${child.exitCode} before answering`);
      try {
        await fetch(`${baseURL}/__ready`, { signal: AbortSignal.timeout(1_000) });
        return prism; // any HTTP answer (even 404) means it is listening
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) throw new Error(`Prism did not answer within ${readyTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await prism.stop();
    throw new Error(`${(error as Error).message}\n--- prism output ---\n${output.slice(-4000)}`);
  }
}
