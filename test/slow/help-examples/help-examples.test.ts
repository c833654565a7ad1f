/**
 * Every example that help shows is run (issue 17 §3), as a person would paste it: in bash, with `openai-admin` on
 * PATH, against a running emulator (OPENAI_BASE_URL/OPENAI_ADMIN_KEY exported as `emulator start` prints them).
 * Placeholder ids (proj_abc, user_abc, …) become ids of the seeded organisation. An example passes when it exits 0,
 * or fails only on what the placeholders cannot know: a 404/409 for an id, or the confirmation a destructive verb
 * asks for off a terminal. A usage error (exit 2) or a 400 from the server fails it: the example itself is wrong.
 * Examples name commands by their current names, never a deprecated one.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandTree } from '../../../src/cli/command-tree.js';
import { commandsUnder, locate } from '../../../src/cli/tree.js';
import { groupHelp } from '../../../src/cli/help.js';
import { isRunning } from '../../../src/cli/workflows/emulator-background.js';
import { PEM } from '../../emulator/helpers';
import { ROOT } from '../../support/paths';
import { track } from '../../support/processes';
import { bundleCli, cleanEnv } from '../../cli/support';

jest.setTimeout(600_000);

let bundle: ReturnType<typeof bundleCli>;
let dir: string;
let env: NodeJS.ProcessEnv;
let ids: Record<string, string>;

function sh(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = track(
      spawn('bash', ['-o', 'pipefail', '-c', script], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout = (stdout + c).slice(-4000)));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
  });
}

beforeAll(async () => {
  bundle = bundleCli();
  dir = mkdtempSync(join(tmpdir(), 'help-examples-'));
  const bin = join(dir, 'path');
  mkdirSync(bin);
  writeFileSync(join(bin, 'openai-admin'), `#!/bin/sh\nexec "${process.execPath}" "${bundle.bin}" "$@"\n`, {
    mode: 0o755,
  });
  // The audit-log example pipes into a shipper: one line is enough for it.
  writeFileSync(join(bin, 'my-siem-shipper'), '#!/bin/sh\nhead -n 1 > /dev/null\n', { mode: 0o755 });
  mkdirSync(join(dir, '.config', 'fish', 'completions'), { recursive: true });
  // What examples read from files: a certificate (the emulator checks the PEM armour) and a key file.
  writeFileSync(join(dir, 'cert.pem'), PEM);
  // The ledger's optional drivers, found from the working directory as a user's project would have them.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  env = { ...cleanEnv(), HOME: dir, XDG_RUNTIME_DIR: dir, PATH: `${bin}:${process.env.PATH}` };
  const started = await sh('openai-admin emulator start --pid-file harness.pid --seed examples | grep ^export');
  for (const [, name, value] of started.stdout.matchAll(/^export (\w+)=(\S+)$/gm)) env[name] = value;
  writeFileSync(join(dir, 'admin.key'), `${env.OPENAI_ADMIN_KEY}\n`, { mode: 0o600 });
  const list = (args: string) =>
    sh(`openai-admin ${args} --json`).then((r) => JSON.parse(r.stdout) as { id: string; name?: string }[]);
  const [project] = await list('projects list');
  const [user] = await list('users list');
  const [group] = await list('groups list');
  ids = { proj_abc: project.id, user_abc: user.id, group_abc: group.id };
}, 120_000);

afterAll(async () => {
  await sh('openai-admin emulator stop --pid-file harness.pid; openai-admin emulator stop');
  for (const f of ['harness.pid', 'openai-admin-emulator.pid'])
    try {
      const pid = Number(readFileSync(join(dir, f), 'utf8'));
      if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // no pid file: nothing runs
    }
  bundle?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Every command's examples in order, and the top-level and group examples. */
function examples(): { where: string; lines: string[] }[] {
  const tree = commandTree();
  const out = commandsUnder(tree).map((c) => ({ where: c.words.join(' '), lines: [...c.examples] }));
  const root = groupHelp(tree).split('Examples:\n')[1].split('\n\n')[0];
  out.push({
    where: '(top level)',
    lines: root
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  });
  return out;
}

let foreground = 0;

/** A zsh or fish line is run as the openai-admin command inside it: bash cannot load those scripts. */
function asBash(line: string): string {
  const inner = /^eval "\$\((openai-admin completion (zsh|fish))\)"$/.exec(line);
  // A foreground server runs until Ctrl-C: started, awaited until it prints its export lines (a handshake, bounded),
  // then interrupted; it must stop cleanly (exit 0). Any free port instead of 8787, which may be taken here.
  if (/until Ctrl-C/.test(line)) {
    const command = line.replace(/\s+#.*$/, '').replace('--port 8787', '--port 0');
    // A file of its own: two foreground examples may run at once in the pool's workers.
    const out = `fg-${++foreground}.out`;
    return `${command} > ${out} & pid=$!
      for i in $(seq 600); do grep -q ^export ${out} && break; sleep 0.1; done
      kill -INT $pid; wait $pid`;
  }
  return (inner ? inner[1] : line)
    .replace(/\bnpx openai-admin\b/g, 'openai-admin')
    .replace(/\b(proj|user|group)_abc\b/g, (m) => ids[m]);
}

const acceptable = (r: { code: number | null; stderr: string }) =>
  r.code === 0 ||
  (r.code === 1 && /\b(NotFoundError|ConflictError): /.test(r.stderr)) ||
  (r.code === 2 && /needs --yes|without --yes|--yes is required|not a terminal/i.test(r.stderr));

test('examples use current command names, never a deprecated one', () => {
  for (const { where, lines } of examples())
    for (const line of lines) {
      const words = line.replace(/^.*?\bopenai-admin /, '').split(/\s+/);
      const command = locate(commandTree(), words).node.command;
      expect([where, line, command?.deprecatedFor ?? null]).toEqual([where, line, null]);
    }
});

/**
 * Examples known not to run, with the reason, by command (all its examples) or by line. A required JSON field has
 * no example value in the spec (a per-field x-example would give one); a Postgres at db.internal is not here; the
 * exporter is a server that runs until stopped. Listed exactly, so a fix or a new breakage both show here.
 */
const KNOWN_BROKEN = new Set([
  'spend-alerts create',
  'spend-alerts update',
  'projects spend-alerts create',
  'projects spend-alerts update',
  'exporter',
  'openai-admin ledger sync --db postgres://ledger@db.internal/usage',
]);

/**
 * Commands whose examples read what another's wrote (org.yaml, plan.json; usage.db): one worker runs them in this
 * order, so that each finds its file, whole.
 */
const IN_ORDER = [
  ['export', 'plan', 'apply'],
  ['ledger sync', 'report spend'],
];

/**
 * The examples in two parts: each IN_ORDER chain as one entry (its commands' lines in order), run first on the
 * seeded organisation, and then every other command's examples (which change it).
 */
function work(): { chains: { where: string; lines: string[] }[]; rest: { where: string; lines: string[] }[] } {
  const all = examples();
  const chained = new Set(IN_ORDER.flat());
  const chains = IN_ORDER.map((chain) => ({
    where: chain.join(' → '),
    lines: chain.flatMap((where) => all.find((e) => e.where === where)?.lines ?? []),
  }));
  return { chains, rest: all.filter((e) => !chained.has(e.where)) };
}

test('every help example runs against the emulator', async () => {
  const failures: string[] = [];
  let ran = 0;
  const { chains, rest } = work();
  // The chains one after the other, then the other commands in parallel (a small pool), each command's examples in
  // their order (start before stop).
  const parts: Array<[{ where: string; lines: string[] }[], number]> = [
    [chains, 1],
    [rest, 4],
  ];
  for (const [queue, workers] of parts)
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          for (const line of next.lines) {
            const r = await sh(asBash(line));
            ran++;
            const known = KNOWN_BROKEN.has(next.where) || KNOWN_BROKEN.has(line);
            if (!acceptable(r) !== known)
              failures.push(`${next.where}: ${line}\n  exit ${r.code}: ${r.stderr.trim().split('\n').at(-1)}`);
          }
        }
      }),
    );
  expect(ran).toBeGreaterThan(130);
  expect(failures).toEqual([]);
});

// Regression (issue 18): after the examples above had changed the organisation, `plan` refused the file `export` had
// just written ("1 problem": a group renamed onto another's name was listed twice). Runs after them, in this file.
test('after every example has changed the organisation, plan accepts what export writes and finds nothing to change', async () => {
  const r = await sh(
    'openai-admin export -o after-examples.yaml && openai-admin plan -f after-examples.yaml --prune --check',
  );
  expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr, stdout: r.code === 0 ? '' : r.stdout }).toEqual({
    code: 0,
    stderr: '',
    stdout: '',
  });
});
