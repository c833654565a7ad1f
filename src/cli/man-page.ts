/**
 * The man page (`man openai-admin`), rendered from the command tree: every command with its usage, summary and
 * flags, then the global flags, exit status and environment. `npm run build` writes it to dist/man/openai-admin.1
 * (package.json "man"); `openai-admin help man` prints it.
 */
import { commandsUnder, type TreeNode } from './tree.js';
import { GLOBAL_OPTIONS, type OptionSpec } from './globals.js';

/**
 * Text as roff: backslashes escaped, dashes literal, a leading dot or quote neutralised, anything beyond ASCII as
 * a named glyph (`—` → `\[u2014]`), so groff reads the page without a preprocessor. Pure.
 */
export function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1')
    .replace(/[^\t\n\x20-\x7e]/gu, (c) => `\\[u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}

function flagEntries(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).flatMap(([name, o]) => [
    '.TP',
    `.B ${roff(`${o.short ? `-${o.short}, ` : ''}--${name}`)}${o.placeholder ? ` \\fI${roff(`<${o.placeholder}>`)}\\fR` : ''}`,
    roff(o.description),
  ]);
}

export function renderManPage(root: TreeNode, version: string): string {
  const lines = [
    `.TH OPENAI\\-ADMIN 1 "" "openai\\-admin ${roff(version)}" "User Commands"`,
    '.SH NAME',
    'openai\\-admin \\- the OpenAI Administration API from a terminal',
    '.SH SYNOPSIS',
    '.B openai\\-admin',
    '\\fI<command>\\fR [\\fIsubcommand\\fR] [\\fIids\\fR] [\\fIflags\\fR]',
    '.SH DESCRIPTION',
    roff(
      "Every API operation under the library's names (projects users add is admin.projects.users.add), plus workflows: report spend, keys stale, keys rotate, audit-logs tail, tour, emulator. The key comes from $OPENAI_ADMIN_KEY or --api-key-file; --emulator tries any command without a key. openai-admin help <topic> prints the CLI reference (openai-admin help topics lists them).",
    ),
    '.SH COMMANDS',
  ];
  for (const command of commandsUnder(root)) {
    if (command.deprecatedFor) continue;
    lines.push('.SS', roff([...command.words, ...command.positionals].join(' ')), roff(command.summary));
    if (command.description && command.description !== command.summary) lines.push('.PP', roff(command.description));
    if (Object.keys(command.options).length) lines.push(...flagEntries({ ...command.options }));
    for (const example of command.examples) lines.push('.PP', '.nf', roff(`$ ${example}`), '.fi');
  }
  lines.push(
    '.SH GLOBAL FLAGS',
    ...flagEntries(GLOBAL_OPTIONS),
    '.SH EXIT STATUS',
    roff('0 success, 1 API or runtime error, 2 usage error, 3 stopped part-way with something changed.'),
    '.SH ENVIRONMENT',
    '.TP',
    '.B OPENAI_ADMIN_KEY',
    'The admin API key.',
    '.TP',
    '.B OPENAI_BASE_URL',
    roff('The API base URL (default https://api.openai.com/v1).'),
    '.SH SEE ALSO',
    roff('openai-admin help topics; openai-admin completion bash|zsh|fish'),
  );
  return `${lines.join('\n')}\n`;
}
