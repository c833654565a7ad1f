/**
 * The 80-column session of docs/terminal-80.md (issue 17's closing note), run again: the bundled bin in bash inside
 * tmux 80 columns wide against a seeded emulator. No line the terminal shows is wider than 80 columns (lines are
 * captured joined, so a wrapped one would come back longer), nothing failed, and the doc shows the same commands.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAIAdmin } from '../../../src/index.js';
import { startEmulator, type Emulator } from '../../../src/testing/index.js';
import { bundleCli } from '../../cli/support';
import { ROOT } from '../../support/paths';
import { recordSession, SESSION_COMMANDS, type SessionStep } from './session';

const KEY = 'sk-admin-terminal';
let emu: Emulator;
let bundle: ReturnType<typeof bundleCli>;
let work: string;
let steps: SessionStep[];
beforeAll(async () => {
  bundle = bundleCli();
  work = mkdtempSync(join(tmpdir(), 'openai-admin-80-'));
  emu = await startEmulator({ seed: 'docs' });
  const admin = new OpenAIAdmin({ apiKey: KEY, baseURL: emu.url });
  const production = (await admin.projects.list().toArray()).find((p) => p.name === 'Production')!;
  await admin.projects.serviceAccounts.create(production.id, { name: 'deploy-bot' });
  const env = { PATH: process.env.PATH, HOME: work, LANG: 'C.UTF-8', OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: emu.url };
  steps = await recordSession(bundle.bin, work, env, SESSION_COMMANDS, 80);
}, 120_000);
afterAll(async () => {
  await emu?.close();
  bundle?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

test.each(SESSION_COMMANDS)('%s: output that fits 80 columns, and no error', (command) => {
  const step = steps.find((s) => s.command === command)!;
  expect(step.lines.length).toBeGreaterThan(2);
  const tooWide = step.lines.filter((l) => [...l].length > 80);
  expect(tooWide).toEqual([]);
  expect(step.lines.join('\n')).not.toMatch(/^(error|Error)\b/m);
});

test('the session says what it left out to fit, and keys stale finds the key made later', () => {
  const out = (command: string) => steps.find((s) => s.command === command)!.lines.join('\n');
  expect(out('openai-admin report spend --days 30')).toContain('not shown at 80 columns');
  expect(out('openai-admin keys stale')).toMatch(/Production .* never used/);
});

test('docs/terminal-80.md shows this session (scripts/terminal-80.ts)', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'terminal-80.md'), 'utf8');
  const shown = [...doc.matchAll(/^\$ (openai-admin .*)$/gm)].map((m) => m[1]);
  expect(shown).toEqual(SESSION_COMMANDS);
  const block = doc
    .split('```console')
    .slice(1)
    .flatMap((b) => b.split('```')[0].split('\n'));
  expect(block.filter((l) => [...l].length > 80)).toEqual([]);
});
