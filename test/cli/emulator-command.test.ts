/**
 * The emulator from the command line (issue 17 §4), with the real bin: `emulator start` in the background whose
 * export lines work in bash exactly as its help shows them, `--state FILE` keeping the organisation across runs
 * and across a SIGKILL, `--realism api`, and `--emulator` saying that it is ephemeral.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ADMIN_KEY } from '../../src/testing/index.js';
import { isRunning } from '../../src/cli/workflows/emulator-background.js';
import { stopProcess, track } from '../support/processes';
import { bundleCli, cleanEnv, runBin } from './support';

jest.setTimeout(120_000);

let bundle: ReturnType<typeof bundleCli>;
let dir: string;
beforeAll(() => {
  bundle = bundleCli();
  // `openai-admin` on PATH, as a user has it after `npm install -g`.
  mkdirSync(join(bundle.dir, 'path'));
  writeFileSync(
    join(bundle.dir, 'path', 'openai-admin'),
    `#!/bin/sh\nexec "${process.execPath}" "${bundle.bin}" "$@"\n`,
    {
      mode: 0o755,
    },
  );
}, 60_000);
afterAll(() => bundle?.cleanup());
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'openai-admin-emu-cmd-'))));
afterEach(() => {
  // Whatever a failed test left running is stopped by its pid file.
  const pidFile = join(dir, 'emu.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A bash script run to completion, bounded (the bound is a safety net: no assertion depends on time). */
function bash(script: string) {
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: dir,
    env: { ...cleanEnv(), PATH: `${join(bundle.dir, 'path')}:${process.env.PATH}` },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

describe('emulator start / stop', () => {
  test('eval "$(openai-admin emulator start … | grep ^export)" returns, sets the variables, and later commands share one organisation', () => {
    const r = bash(`
      eval "$(openai-admin emulator start --pid-file emu.pid | grep ^export)"
      echo "url=$OPENAI_BASE_URL key=$OPENAI_ADMIN_KEY"
      openai-admin projects create --name 'Made by one command' --json > /dev/null
      openai-admin projects list --fields name --csv
      openai-admin emulator stop --pid-file emu.pid
      test ! -e emu.pid && echo "pid file removed"
    `);
    expect(r.signal).toBeNull();
    expect(r.stderr).toContain('Stopped the emulator');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^url=http://127\\.0\\.0\\.1:\\d+/v1 key=${DEMO_ADMIN_KEY}$`, 'm'));
    expect(r.stdout).toContain('Made by one command');
    expect(r.stdout).toContain('pid file removed');
  });

  test('the process named by the pid file is gone after stop; a second start while one runs is refused (exit 2)', () => {
    const started = bash(`openai-admin emulator start --pid-file emu.pid | grep ^export > env.sh; cat emu.pid`);
    expect(started.code).toBe(0);
    const pid = Number(started.stdout.trim());
    expect(isRunning(pid)).toBe(true);
    const again = bash(`openai-admin emulator start --pid-file emu.pid || echo "exit $?"`);
    expect(again.stdout).toContain('exit 2');
    expect(again.stderr).toContain(`an emulator is already running (pid ${pid}`);
    const stopped = bash(`openai-admin emulator stop --pid-file emu.pid`);
    expect(stopped.code).toBe(0);
    expect(isRunning(pid)).toBe(false);
    // Stopping again is harmless: nothing runs.
    expect(bash(`openai-admin emulator stop --pid-file emu.pid`).stderr).toContain('No emulator was running');
  });

  test('--state keeps the organisation across a stop and a start', () => {
    const r = bash(`
      eval "$(openai-admin emulator start --state org.json --pid-file emu.pid | grep ^export)"
      openai-admin projects create --name Kept --json > /dev/null
      openai-admin emulator stop --pid-file emu.pid 2> /dev/null
      eval "$(openai-admin emulator start --state org.json --pid-file emu.pid | grep ^export)"
      openai-admin projects list --fields name --csv
      openai-admin emulator stop --pid-file emu.pid 2> /dev/null
    `);
    expect(r.code).toBe(0);
    expect(r.stdout.split(/\r?\n/).filter((l) => l === 'Kept')).toHaveLength(1); // once: not seeded twice
  });

  test('--realism api is accepted: costs come back with decimal-string amounts, as the live API sends them', async () => {
    const started = bash(`openai-admin emulator start --realism api --pid-file emu.pid | grep ^export`);
    expect(started.code).toBe(0);
    const url = /OPENAI_BASE_URL=(\S+)/.exec(started.stdout)![1];
    const res = await fetch(`${url}/organization/costs?start_time=1704067200&limit=3`, {
      headers: { authorization: `Bearer ${DEMO_ADMIN_KEY}` },
    });
    const body = (await res.json()) as { data: { results: { amount: { value: unknown } }[] }[] };
    expect(bash(`openai-admin emulator stop --pid-file emu.pid`).code).toBe(0);
    const amounts = body.data.flatMap((b) => b.results.map((x) => x.amount.value));
    expect(amounts.length).toBeGreaterThan(0);
    for (const v of amounts) expect(typeof v).toBe('string');
  });

  test('a bad --realism or action is a usage error naming the choices', async () => {
    const [realism, action] = await Promise.all([
      runBin(bundle.bin, ['emulator', '--realism', 'live']),
      runBin(bundle.bin, ['emulator', 'restart']),
    ]);
    expect(realism.code).toBe(2);
    expect(realism.stderr).toContain("--realism must be one of none, api; got 'live'");
    expect(action.code).toBe(2);
    expect(action.stderr).toContain("unknown emulator action 'restart'");
  });
});

describe('--state survives SIGKILL', () => {
  /** The foreground emulator on a state file; resolves with its URL once it listens. */
  function serve(stateFile: string) {
    const child = track(
      spawn(process.execPath, [bundle.bin, 'emulator', '--state', stateFile], {
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const url = new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        const m = /^export OPENAI_BASE_URL=(\S+)$/m.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
    });
    return { child, url };
  }

  const api = (url: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${DEMO_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (r) => ({ status: r.status, json: await r.json() }));

  test('every change answered before the kill is there after a restart, ids continue without repeating', async () => {
    const file = join(dir, 'org.json');
    const first = serve(file);
    const url = await first.url;
    const created: string[] = [];
    // Kill points: after 1, 2 and 3 acknowledged creates, each followed by a restart on the same file.
    for (let round = 1; round <= 3; round++) {
      const made = await api(url, '/organization/projects', { name: `Round ${round}` });
      expect(made.status).toBeLessThan(300);
      created.push(made.json.id);
    }
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('close', r));

    const second = serve(file);
    const url2 = await second.url;
    const listed = await api(url2, '/organization/projects?limit=100');
    const ids = listed.json.data.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining(created));
    const next = await api(url2, '/organization/projects', { name: 'After restart' });
    expect(ids).not.toContain(next.json.id);
    await stopProcess(second.child, 5_000);
  });
});

describe('--emulator', () => {
  test('its help says the emulator is ephemeral and how to keep state', async () => {
    const r = await runBin(bundle.bin, ['projects', 'list', '--help']);
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('--emulator Run against a fresh local emulator (seeded, no key needed) that is ephemeral');
    expect(flat).toContain('openai-admin emulator start --state FILE');
  });
});
