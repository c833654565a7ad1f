/** Help texts at every level, rendered from the command tree (summaries and flags come from the spec). */
import type { Command } from './command.js';
import { GLOBAL_OPTIONS, type OptionSpec } from './globals.js';
import type { TreeNode } from './tree.js';

/** Help's width when the caller does not say (main passes the terminal's, at most 100). */
const WIDTH = 100;

/** Words wrapped to `width`, continuation lines indented by `indent` (the first line's start is the caller's). */
function wrap(text: string, indent: number, width = WIDTH): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width - indent) (lines.push(line), (line = w));
    else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join('\n' + ' '.repeat(indent));
}

function optionLines(options: Record<string, OptionSpec>, lineWidth: number): string[] {
  const heads = Object.entries(options).map(
    ([name, o]) => `${o.short ? `-${o.short}, ` : '    '}--${name}${o.placeholder ? ` <${o.placeholder}>` : ''}`,
  );
  // The flag column takes at most 38 columns, and less on a narrow terminal so descriptions keep half the line.
  const width = Math.min(38, Math.floor(lineWidth / 2) - 4, Math.max(...heads.map((h) => h.length)));
  return Object.values(options).map((o, i) => {
    const head = heads[i];
    const pad = head.length > width ? `\n${' '.repeat(width + 4)}` : ' '.repeat(width - head.length) + '  ';
    return `  ${head}${pad}${wrap(o.description, width + 4, lineWidth)}`;
  });
}

const EXIT_CODES = 'Exit codes: 0 success, 1 API or runtime error, 2 usage error.';

/** A command's help, wrapped to `width` columns (usage and example lines are kept whole: they are to copy). */
export function commandHelp(command: Command, width = WIDTH): string {
  const lines = [
    wrap(command.summary, 0, width),
    '',
    `Usage: openai-admin ${[...command.words, ...command.positionals].join(' ')} [flags]`,
  ];
  if (command.description && command.description !== command.summary)
    lines.push('', wrap(command.description, 0, width));
  if (command.notes?.length) lines.push('', ...command.notes.map((n) => wrap(n, 0, width)));
  if (Object.keys(command.options).length) lines.push('', 'Flags:', ...optionLines({ ...command.options }, width));
  lines.push('', 'Global flags:', ...optionLines(GLOBAL_OPTIONS, width));
  if (command.examples.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  lines.push('', wrap(EXIT_CODES, 0, width));
  return lines.join('\n') + '\n';
}

function childSummary(node: TreeNode): string {
  if (node.command) return node.command.summary;
  if (node.summary) return node.summary;
  const verbs = [...node.children.keys()];
  return verbs.join(', ');
}

/** A group's help (the root's too), wrapped to `width` columns. */
export function groupHelp(node: TreeNode, width = WIDTH): string {
  const name = ['openai-admin', ...node.words].join(' ');
  const entries = [...node.children.entries()];
  const wordWidth = Math.max(...entries.map(([w]) => w.length));
  const lines: string[] = [];
  if (node.words.length === 0) {
    lines.push(
      'openai-admin: the OpenAI Administration API from a terminal.',
      '',
      'Usage: openai-admin <command> [subcommand] [ids] [flags]',
      '',
      wrap(
        "Every API operation under the library's names (projects users create ↔ admin.projects.users.create), " +
          'plus workflows: report spend, keys stale, keys rotate, audit-logs tail, tour, emulator.',
        0,
        width,
      ),
      wrap(
        'The key comes from $OPENAI_ADMIN_KEY or --api-key-file; --emulator tries any command without a key.',
        0,
        width,
      ),
      wrap(
        "'openai-admin help <command>' is '<command> --help'; 'openai-admin help topics' lists the reference topics.",
        0,
        width,
      ),
    );
  } else lines.push(wrap(node.summary ?? `${name}`, 0, width), '', `Usage: ${name} <command> [ids] [flags]`);
  lines.push(
    '',
    'Commands:',
    ...entries.map(([w, child]) => `  ${w.padEnd(wordWidth)}  ${wrap(childSummary(child), wordWidth + 4, width)}`),
  );
  lines.push('', 'Global flags:', ...optionLines(GLOBAL_OPTIONS, width));
  lines.push('', 'Examples:');
  lines.push(
    ...(node.words.length === 0
      ? [
          '  npx openai-admin --emulator projects list',
          '  openai-admin users list --csv > users.csv',
          '  openai-admin report spend --days 30 --by project',
          '  openai-admin projects users add --help',
        ]
      : [`  ${name} ${entries[0][0]} --help`]),
  );
  lines.push('', wrap(`Run '${name} <command> --help' for a command's flags.`, 0, width), wrap(EXIT_CODES, 0, width));
  return lines.join('\n') + '\n';
}
