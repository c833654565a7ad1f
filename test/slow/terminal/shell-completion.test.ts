/**
 * Shell completion (issue 17 §7) in the shells themselves, with the script `openai-admin completion zsh|fish` prints:
 * zsh interactively in a real terminal (tmux), where TAB completes the line as a person sees it; fish through its own
 * completion engine (`complete -C`, what fish runs on TAB). bash is tested in test/cli/completion.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli, cleanEnv } from '../../cli/support';
import { startTmux, type Tmux } from './tmux';

let bundle: ReturnType<typeof bundleCli>;
let home: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  bundle = bundleCli();
  home = mkdtempSync(join(tmpdir(), 'openai-admin-shells-'));
  mkdirSync(join(home, 'bin'));
  writeFileSync(join(home, 'bin', 'openai-admin'), `#!/bin/sh\nexec "${process.execPath}" "${bundle.bin}" "$@"\n`, {
    mode: 0o755,
  });
  env = { ...cleanEnv({ HOME: home, TERM: 'xterm-256color' }), PATH: `${join(home, 'bin')}:${process.env.PATH}` };
}, 60_000);
afterAll(() => {
  bundle?.cleanup();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('openai-admin completion zsh, in an interactive zsh in tmux', () => {
  let term: Tmux;
  const prompt = 'READY> ';
  beforeAll(async () => {
    // compinit as a user's .zshrc runs it, then the line the completion's help tells users to add.
    writeFileSync(
      join(home, '.zshrc'),
      `autoload -Uz compinit && compinit -u -d ${home}/.zcompdump\neval "$(openai-admin completion zsh)"\nPS1='${prompt}'\n`,
    );
    term = startTmux(`ZDOTDIR=${home} zsh -i`, { cols: 100, rows: 30 }, env);
    await term.waitFor((s) => s.some((l) => l.startsWith(prompt.trimEnd())), 'the prompt');
  });
  afterAll(() => term?.kill());

  const lastLine = (s: string[]) => s.filter(Boolean).at(-1) ?? '';

  /** Types `text` and presses TAB; `then` checks what the screen shows (it may press more keys); clears the line. */
  async function typeAndTab(text: string, then: () => Promise<void>): Promise<void> {
    term.literal(text);
    term.keys('Tab');
    try {
      await then();
    } finally {
      term.keys('C-c');
      await term.waitFor((s) => lastLine(s) === prompt.trimEnd(), 'a fresh prompt');
    }
  }

  /** Waits until the line being edited reads `line` (the screen's trailing blanks trimmed), and asserts it. */
  async function lineBecomes(line: string): Promise<void> {
    const screen = await term.waitFor((s) => lastLine(s) === `${prompt}${line}`, `'${line}'`);
    expect(lastLine(screen)).toBe(`${prompt}${line}`);
  }

  test('TAB completes a command group by its prefix: openai-admin pro → projects', async () => {
    await typeAndTab('openai-admin pro', () => lineBecomes('openai-admin projects'));
  });

  test("TAB completes a command's flag: projects users add P --ro → --role", async () => {
    await typeAndTab('openai-admin projects users add proj_1 --ro', () =>
      lineBecomes('openai-admin projects users add proj_1 --role'),
    );
  });

  test("after a flag that takes a value, TAB inserts the values' common prefix, a second TAB lists the spec's values", async () => {
    await typeAndTab('openai-admin usage completions --bucket-width ', async () => {
      await lineBecomes('openai-admin usage completions --bucket-width 1');
      term.keys('Tab');
      const screen = await term.waitFor(
        (s) => s.some((l) => /\b1m\b/.test(l) && /\b1h\b/.test(l) && /\b1d\b/.test(l)),
        'the three bucket widths listed',
      );
      expect(screen.join('\n')).not.toMatch(/command not found|error/i);
    });
  });
});

describe('openai-admin completion fish, through fish’s completion engine', () => {
  /** What fish offers on TAB at the end of `line` (complete -C), the candidates without their descriptions, sorted (as fish sorts them). */
  function fishTab(line: string): string[] {
    const r = spawnSync('fish', ['--no-config', '-c', `openai-admin completion fish | source; complete -C '${line}'`], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0])
      .sort();
  }

  test('a command group by its prefix, and sub-commands', () => {
    expect(fishTab('openai-admin pro')).toEqual(['projects']);
    expect(fishTab('openai-admin projects users ')).toEqual(
      expect.arrayContaining(['list', 'add', 'retrieve', 'update', 'remove']),
    );
  });

  test("a command's flags, and the spec's values after a flag that takes one", () => {
    expect(fishTab('openai-admin projects users add proj_1 --ro')).toEqual(['--role']);
    expect(fishTab('openai-admin projects users add proj_1 --role ')).toEqual(['member', 'owner']);
    expect(fishTab('openai-admin usage completions --bucket-width ')).toEqual(['1d', '1h', '1m']);
  });
});
