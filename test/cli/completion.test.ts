/**
 * Shell completion (issue 17 §7) in real bash: the script `openai-admin completion bash` prints is loaded with
 * eval, COMP_WORDS/COMP_CWORD are set as bash sets them on TAB, and COMPREPLY is read back. Candidates come from
 * the command tree: groups, commands, flags, enum values from the spec, emulator actions.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandTree } from '../../src/cli/command-tree.js';
import { completeWords, completionScript } from '../../src/cli/completion.js';
import { bundleCli, cleanEnv, runBin } from './support';

jest.setTimeout(120_000);

let bundle: ReturnType<typeof bundleCli>;
beforeAll(() => {
  bundle = bundleCli();
  mkdirSync(join(bundle.dir, 'path'));
  writeFileSync(
    join(bundle.dir, 'path', 'openai-admin'),
    `#!/bin/sh\nexec "${process.execPath}" "${bundle.bin}" "$@"\n`,
    { mode: 0o755 },
  );
}, 60_000);
afterAll(() => bundle?.cleanup());

/** TAB after `line` in bash ('' as the last word: completing a new word): COMPREPLY, one candidate per entry. */
function tab(...words: string[]): string[] {
  const quoted = ['openai-admin', ...words].map((w) => `'${w}'`).join(' ');
  const script = `eval "$(openai-admin completion bash)"
COMP_WORDS=(${quoted}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
_openai_admin
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    env: { ...cleanEnv(), PATH: `${join(bundle.dir, 'path')}:${process.env.PATH}` },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('openai-admin completion bash, in bash', () => {
  test('registers a completion function for openai-admin', () => {
    const r = spawnSync('bash', ['--norc', '-c', 'eval "$(openai-admin completion bash)"; complete -p openai-admin'], {
      env: { ...cleanEnv(), PATH: `${join(bundle.dir, 'path')}:${process.env.PATH}` },
      encoding: 'utf8',
    });
    expect(r.stdout.trim()).toBe('complete -o default -F _openai_admin openai-admin');
  });

  test('top-level commands by prefix, sub-commands without deprecated names', () => {
    expect(tab('proj')).toEqual(['projects']);
    expect(tab('projects', 'users', '')).toEqual(['list', 'add', 'retrieve', 'update', 'remove', 'roles']);
    expect(tab('em')).toEqual(['emulator']);
  });

  test("a command's flags, and the spec's enum values after a flag that takes one", () => {
    expect(tab('projects', 'users', 'add', '--')).toEqual(
      expect.arrayContaining(['--user-id', '--email', '--role', '--json']),
    );
    expect(tab('projects', 'users', 'add', 'proj_1', '--role', '')).toEqual(['owner', 'member']);
    expect(tab('users', 'update', 'user_1', '--role', 'r')).toEqual(['reader']);
    expect(tab('usage', 'completions', '--bucket-width', '')).toEqual(['1m', '1h', '1d']);
  });

  test('actions and shells written as positionals; nothing for an id', () => {
    expect(tab('emulator', '')).toEqual(['start', 'stop']);
    expect(tab('emulator', 'start', '--realism', '')).toEqual(['none', 'api']);
    expect(tab('completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(tab('projects', 'retrieve', '')).toEqual([]);
  });
});

describe('completion, the pure part and the other shells', () => {
  test('global flags with values are skipped while walking the words', () => {
    expect(completeWords(commandTree(), ['--fields', 'id', 'projects', 'li'])).toEqual(['list']);
  });

  test('zsh and fish scripts ask the same __complete; an unknown shell is a usage error', async () => {
    expect(completionScript('zsh')).toContain('openai-admin __complete');
    expect(completionScript('fish')).toContain('openai-admin __complete');
    const r = await runBin(bundle.bin, ['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("completion for 'tcsh' is not available (give bash, zsh or fish)");
  });
});
