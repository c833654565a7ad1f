/**
 * Shell completion from the command tree. `openai-admin completion bash|zsh|fish` prints a small script that asks
 * the CLI itself (`openai-admin __complete <words…>`) for candidates, so completion always matches the installed
 * version's commands, flags and enum values with nothing generated to go stale.
 */
import type { Command } from './command.js';
import { UsageError } from './errors.js';
import { GLOBAL_OPTIONS, GLOBAL_VALUE_FLAGS, type OptionSpec } from './globals.js';
import type { TreeNode } from './tree.js';

/** The values a flag takes when its placeholder lists them (`<owner|member>`), else none. */
const valuesOf = (option: OptionSpec | undefined): string[] =>
  option?.type === 'string' && option.placeholder?.includes('|') && !/[@.]/.test(option.placeholder)
    ? option.placeholder.split('|')
    : [];

/** Actions written as a positional (`emulator [start|stop]`). */
const positionalChoices = (command: Command): string[] =>
  command.positionals.flatMap((p) => (/^[[<][\w-]+(\|[\w-]+)+[\]>]$/.test(p) ? p.slice(1, -1).split('|') : []));

/**
 * The candidates for the last of `words` (the word being completed, possibly empty), given the words before it.
 * Pure over the tree.
 * @example
 * completeWords(tree, ['projects', 'us']) // ['users']
 * completeWords(tree, ['projects', 'users', 'add', '--role', '']) // ['owner', 'member']
 */
export function completeWords(root: TreeNode, words: readonly string[]): string[] {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  let node = root;
  let expectsValue: OptionSpec | undefined;
  let positionals = 0;
  for (const word of before) {
    const options: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...(node.command?.options ?? {}) };
    if (expectsValue) {
      expectsValue = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const name = word.replace(/^--?/, '');
      if (!word.includes('=') && (options[name]?.type === 'string' || GLOBAL_VALUE_FLAGS.has(name)))
        expectsValue = options[name];
      continue;
    }
    const child = node.command ? undefined : node.children.get(word);
    if (child) node = child;
    else positionals++;
  }
  const options: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...(node.command?.options ?? {}) };
  let candidates: string[];
  if (expectsValue) candidates = valuesOf(expectsValue);
  else if (current.startsWith('-')) candidates = Object.keys(options).map((o) => `--${o}`);
  else if (node.command) candidates = positionals === 0 ? positionalChoices(node.command) : [];
  else candidates = [...node.children].filter(([, child]) => !child.command?.deprecatedFor).map(([word]) => word);
  return candidates.filter((c) => c.startsWith(current));
}

/** The completion script of a shell: each asks `openai-admin __complete` with the words typed so far. */
export function completionScript(shell: string): string {
  switch (shell) {
    case 'bash':
      return `# openai-admin completion for bash: eval "$(openai-admin completion bash)" (e.g. in ~/.bashrc)
_openai_admin() {
  local IFS=$'\\n'
  COMPREPLY=($(openai-admin __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _openai_admin openai-admin
`;
    case 'zsh':
      return `#compdef openai-admin
# openai-admin completion for zsh: eval "$(openai-admin completion zsh)" (e.g. in ~/.zshrc)
_openai_admin() {
  local -a candidates
  candidates=("\${(@f)$(openai-admin __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
compdef _openai_admin openai-admin
`;
    case 'fish':
      return `# openai-admin completion for fish: openai-admin completion fish > ~/.config/fish/completions/openai-admin.fish
function __openai_admin_complete
  set -l words (commandline -opc) (commandline -ct)
  openai-admin __complete $words[2..-1] 2>/dev/null
end
complete -c openai-admin -f -a '(__openai_admin_complete)'
`;
    default:
      throw new UsageError(`completion for '${shell}' is not available`, 'give bash, zsh or fish');
  }
}

export const completionCommand: Command = {
  words: ['completion'],
  summary: 'Print the shell completion script for bash, zsh or fish (commands, flags and enum values).',
  description:
    'The script asks openai-admin itself for candidates, so completion follows the installed version. Load it from your shell start-up file as each example shows.',
  positionals: ['<bash|zsh|fish>'],
  options: {},
  examples: [
    'eval "$(openai-admin completion bash)"',
    'eval "$(openai-admin completion zsh)"',
    'openai-admin completion fish > ~/.config/fish/completions/openai-admin.fish',
  ],
  run(ctx, _values, positionals) {
    if (positionals.length !== 1) throw new UsageError('give one shell: bash, zsh or fish');
    ctx.io.stdout.write(completionScript(positionals[0]));
    return Promise.resolve();
  },
};
