/**
 * The `openai-admin` bin as an installed package: `npm pack`, install the tarball into a fresh project, then
 * `npx openai-admin …` runs the bundled dist/bin/openai-admin.cjs through npm's bin link (shebang, executable
 * mode, ESM resolution of the lazily loaded emulator).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../support/paths';
import { run, type RunResult } from '../../support/processes';

const NODE = process.execPath;
const NPM_CLI =
  process.env.npm_execpath && process.env.npm_execpath.endsWith('.js') ? process.env.npm_execpath : undefined;
const npm = (args: string[], cwd: string, timeoutMs = 180_000) =>
  NPM_CLI ? run(NODE, [NPM_CLI, ...args], { cwd, timeoutMs }) : run('npm', args, { cwd, timeoutMs });
const npx = (args: string[], cwd: string) => {
  const npxCli = NPM_CLI?.replace(/npm-cli\.js$/, 'npx-cli.js');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  return npxCli
    ? run(NODE, [npxCli, '--no-install', ...args], { cwd, env, timeoutMs: 60_000 })
    : run('npx', ['--no-install', ...args], { cwd, env, timeoutMs: 60_000 });
};
const show = (r: RunResult) => `exit ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`;

let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'openai-admin-bin-'));
  const packed = await npm(['pack', '--pack-destination', work, '--loglevel=error'], ROOT);
  if (packed.code !== 0) throw new Error(`npm pack failed: ${show(packed)}`);
  const tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  );
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'cli-consumer', version: '1.0.0', private: true }));
  const installed = await npm(['install', tarball, '--no-audit', '--no-fund', '--offline', '--loglevel=error'], app);
  if (installed.code !== 0) throw new Error(`npm install failed: ${show(installed)}`);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('npx openai-admin --help and a command against --emulator work from the installed tarball', async () => {
  const app = join(work, 'app');
  const help = await npx(['openai-admin', '--help'], app);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: openai-admin <command>');
  const list = await npx(['openai-admin', '--emulator', 'projects', 'list', '--json'], app);
  expect(list.code).toBe(0);
  expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((p) => p.name)).toEqual([
    'Default project',
    'Production',
    'Research',
  ]);
  const bad = await npx(['openai-admin', 'projects', 'lsit'], app);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('did you mean list?');
}, 120_000);
