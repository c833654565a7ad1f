/**
 * The CLI reference where users look (issue 17 §7): `openai-admin help <topic>` prints docs/cli.md's sections as
 * plain text from inside the package, and `help man` the man page rendered from the command tree, which groff
 * reads without a warning and which lists every command.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCliTopics } from '../../scripts/lib/cli-topics';
import { commandsUnder } from '../../src/cli/tree.js';
import { commandTree } from '../../src/cli/command-tree.js';
import { ROOT } from '../support/paths';
import { bundleCli, runBin } from './support';

jest.setTimeout(120_000);

let bundle: ReturnType<typeof bundleCli>;
beforeAll(() => (bundle = bundleCli()), 60_000);
afterAll(() => bundle?.cleanup());
const cli = (args: string[]) => runBin(bundle.bin, args);

describe('help topics', () => {
  test('help topics lists the sections of the reference; help <topic> prints one as plain text', async () => {
    const [topics, exit, flags] = await Promise.all([
      cli(['help', 'topics']),
      cli(['help', 'exit-codes']),
      cli(['help', 'global-flags']),
    ]);
    for (const r of [topics, exit, flags]) expect([r.code, r.stderr]).toEqual([0, '']);
    expect(topics.stdout).toMatch(/^ {2}exit-codes +Exit codes$/m);
    expect(topics.stdout).toMatch(/^ {2}report-spend +report spend \[--days N \| --month YYYY-MM/m);
    expect(exit.stdout.split('\n')[0]).toBe('Exit codes');
    expect(exit.stdout).toContain('| 2 | usage error');
    expect(flags.stdout).toContain('Ephemeral: what one command creates is gone in the next');
    for (const r of [exit, flags]) expect(r.stdout).not.toContain('`');
  });

  test("a command name after help is still that command's --help; an unknown word is a usage error", async () => {
    const [group, unknown] = await Promise.all([cli(['help', 'projects']), cli(['help', 'exit-code'])]);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('Usage: openai-admin projects <command>');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'exit-code'");
  });

  test('the shipped topics are docs/cli.md as it is now (npm run generate)', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
    expect(readFileSync(join(ROOT, 'generated', 'cli-topics.gen.ts'), 'utf8')).toBe(buildCliTopics(docs));
  });
});

describe('man page', () => {
  test('groff reads it without warnings, and it lists every current command with its flags', async () => {
    const r = await cli(['help', 'man']);
    expect(r.code).toBe(0);
    const check = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-Wbreak', '-z'], { input: r.stdout, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const text = r.stdout.replace(/\\-/g, '-');
    for (const command of commandsUnder(commandTree())) {
      if (command.deprecatedFor) continue;
      expect(text).toContain(`.SS\n${command.words.join(' ')}`);
    }
    expect(text).toContain('.B --role \\fI<owner|member>\\fR');
  });

  test('package.json installs it (man) from the published dist folder', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.man).toBe('./dist/man/openai-admin.1');
    expect(pkg.files).toContain('dist');
  });
});
