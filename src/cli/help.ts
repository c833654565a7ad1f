/** Help texts at every level, rendered from the command tree (summaries and flags come from the spec). */
import type { Command } from './command.js';
import { GLOBAL_OPTIONS, type OptionSpec } from './globals.js';
import type { TreeNode } from './tree.js';

const WIDTH = 100;

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

function optionLines(options: Record<string, OptionSpec>): string[] {
  const heads = Object.entries(options).map(
    ([name, o]) => `${o.short ? `-${o.short}, ` : '    '}--${name}${o.placeholder ? ` <${o.placeholder}>` : ''}`,
  );
  const width = Math.min(38, Math.max(...heads.map((h) => h.length)));
  return Object.values(options).map((o, i) => {
    const head = heads[i];
    const pad = head.length > width ? `\n${' '.repeat(width + 2)}` : ' '.repeat(width - head.length);
    return `  ${head}${pad}  ${wrap(o.description, width + 4)}`;
  });
}

const EXIT_CODES = 'Exit codes: 0 success, 1 API or runtime error, 2 usage error.';

export function commandHelp(command: Command): string {
  const lines = [
    `${command.summary}`,
    '',
    `Usage: openai-admin ${[...command.words, ...command.positionals].join(' ')} [flags]`,
  ];
  if (command.description && command.description !== command.summary) lines.push('', wrap(command.description, 0));
  if (command.notes?.length) lines.push('', ...command.notes.map((n) => wrap(n, 0)));
  if (Object.keys(command.options).length) lines.push('', 'Flags:', ...optionLines({ ...command.options }));
  lines.push('', 'Global flags:', ...optionLines(GLOBAL_OPTIONS));
  if (command.examples.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  lines.push('', EXIT_CODES);
  return lines.join('\n') + '\n';
}

function childSummary(node: TreeNode): string {
  if (node.command) return node.command.summary;
  if (node.summary) return node.summary;
  const verbs = [...node.children.keys()];
  return verbs.join(', ');
}

export function groupHelp(node: TreeNode): string {
  const name = ['openai-admin', ...node.words].join(' ');
  const entries = [...node.children.entries()];
  const width = Math.max(...entries.map(([w]) => w.length));
  const lines: string[] = [];
  if (node.words.length === 0) {
    lines.push(
      'openai-admin: the OpenAI Administration API from a terminal.',
      '',
      'Usage: openai-admin <command> [subcommand] [ids] [flags]',
      '',
      "Every API operation under the library's names (projects users create ↔ admin.projects.users.create),",
      'plus workflows: report spend, keys stale, keys rotate, audit-logs tail, tour, emulator.',
      'The key comes from $OPENAI_ADMIN_KEY or --api-key-file; --emulator tries any command without a key.',
      "'openai-admin help <command>' is '<command> --help'; 'openai-admin help topics' lists the reference topics.",
    );
  } else lines.push(node.summary ?? `${name}`, '', `Usage: ${name} <command> [ids] [flags]`);
  lines.push(
    '',
    'Commands:',
    ...entries.map(([w, child]) => `  ${w.padEnd(width)}  ${wrap(childSummary(child), width + 4)}`),
  );
  lines.push('', 'Global flags:', ...optionLines(GLOBAL_OPTIONS));
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
  lines.push('', `Run '${name} <command> --help' for a command's flags.`, EXIT_CODES);
  return lines.join('\n') + '\n';
}
