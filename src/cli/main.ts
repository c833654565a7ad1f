/**
 * The CLI's entry: locate the command, parse its flags with node:util parseArgs (strict: an unknown flag is a
 * usage error with a suggestion), set up output and client, run, and map the outcome to an exit code.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VERSION } from '../version.js';
import type { Command } from './command.js';
import { Declined } from './confirm.js';
import { Context } from './context.js';
import { EXIT_OK, EXIT_USAGE, exitCodeOf, formatError, UsageError } from './errors.js';
import { GLOBAL_OPTIONS, GLOBAL_VALUE_FLAGS, type Globals, type OptionSpec } from './globals.js';
import { guardIO, withOutput, type CliIO } from './io.js';
import { groupCommandList } from './operation-command.js';
import type { OutputFile } from './output-file.js';
import { OutputClosed, type OutputOptions } from './output/printer.js';
import { outputWidth } from './output/width.js';
import { closestName } from '../core/base/suggest.js';
import { buildTree, locate, type TreeNode } from './tree.js';
import { NON_OPERATION_ROOTS } from './workflows/roots.js';

/** The whole tree (command-tree.ts), loaded with every workflow on first use. */
const wholeTree = async (): Promise<TreeNode> => (await import('./command-tree.js')).commandTree();

/** The first command word of argv (the values of global flags skipped, as locate skips them). */
function firstWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') return undefined;
    if (!token.startsWith('-')) return token;
    if (!token.includes('=') && GLOBAL_VALUE_FLAGS.has(token.replace(/^--?/, ''))) i++;
  }
  return undefined;
}

/**
 * The tree a command line needs: the operations under its first word alone, from that group's generated slice,
 * when that word names an operation group that no workflow shares (`projects list`: start-up without the
 * workflows, the other groups' commands or the tables of every operation, issue 17 §8), else the whole tree. Both
 * give the same command, and the same siblings to suggest, for such a line: only the roots in NON_OPERATION_ROOTS
 * differ.
 */
async function treeFor(argv: readonly string[]): Promise<TreeNode> {
  const word = firstWord(argv);
  if (word === undefined || NON_OPERATION_ROOTS.has(word)) return wholeTree();
  const group = await groupCommandList(word);
  return group?.length ? buildTree(group) : wholeTree();
}

function parseOptions(options: Record<string, OptionSpec>): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([k, o]) => [
      k,
      { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) },
    ]),
  );
}

/** parseArgs' errors reworded, with the closest known flag as a suggestion. */
function parseFlags(args: string[], options: Record<string, OptionSpec>) {
  try {
    return parseArgs({ args, options: parseOptions(options), allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'(-[^']+)'/.exec(e.message)?.[1] ?? '';
      const name = flag.replace(/^-+/, '').split('=')[0];
      const guess = closestName(name, Object.keys(options));
      throw new UsageError(`unknown flag ${flag.split('=')[0]}`, guess ? `did you mean --${guess}?` : 'see --help');
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(e.message.replace(/\s+/g, ' ').replace(/^Option /, 'flag '));
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(e.message);
    throw err;
  }
}

function outputOptions(
  globals: Globals,
  io: CliIO,
  warn: (message: string) => void,
  note: (message: string) => void,
  defaultFormat: OutputOptions['format'] = 'table',
): OutputOptions {
  // --csv-raw is CSV too: alone it chooses the format, with --csv it is the same choice.
  const chosen = (['json', 'ndjson', 'csv'] as const).filter((f) => globals[f] || (f === 'csv' && globals['csv-raw']));
  if (chosen.length > 1)
    throw new UsageError(`choose one output format, not ${chosen.map((f) => `--${f}`).join(' and ')}`);
  const fields = globals.fields
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (globals.fields !== undefined && !fields?.length) throw new UsageError('--fields needs at least one field name');
  return {
    format: chosen[0] ?? defaultFormat,
    ...(fields ? { fields } : {}),
    ...(globals['csv-raw'] ? { csvRaw: true } : {}),
    warn,
    note,
    width: globals.wide ? Infinity : outputWidth(io.stdout, io.env),
    ...(globals.wide ? { wide: true } : {}),
    terminal: io.stdout.isTTY === true,
  };
}

function parseMax(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--max expects a whole number ≥ 1, got '${text}'`);
  return Number(text);
}

/** Help fits the terminal (COLUMNS, else its width), at most 100 columns; 80 in a pipe. */
const helpWidth = (io: CliIO) => {
  const width = outputWidth(io.stdout, io.env);
  return Math.max(40, Math.min(100, Number.isFinite(width) ? width : 80));
};

/** `help topics`, `help <topic>` and `help man`; undefined when the word is none of these (a command then). */
async function printHelpTopic(word: string, io: CliIO): Promise<number | undefined> {
  if (word === 'man') {
    const { renderManPage } = await import('./man-page.js');
    return (io.stdout.write(renderManPage(await wholeTree(), VERSION)), EXIT_OK);
  }
  const { CLI_TOPICS } = await import('../../generated/cli-topics.gen.js');
  if (word === 'topics') {
    const width = Math.max(...CLI_TOPICS.map((t) => t.name.length));
    io.stdout.write(
      `Help topics (openai-admin help <topic>):\n${CLI_TOPICS.map((t) => `  ${t.name.padEnd(width)}  ${t.title}`).join('\n')}\n  ${'man'.padEnd(width)}  the man page (roff)\n`,
    );
    return EXIT_OK;
  }
  const topic = CLI_TOPICS.find((t) => t.name === word);
  if (!topic) return undefined;
  io.stdout.write(`${topic.title}\n\n${topic.text}\n`);
  return EXIT_OK;
}

/** Runs one command line; resolves to the exit code. Never throws. */
export async function main(argv: readonly string[], rawIO: CliIO): Promise<number> {
  // Help, errors and warnings reach the terminal with control characters escaped (output/safe-text.ts), like
  // everything a command prints (its Context guards the streams by output format).
  const io = guardIO(rawIO);
  // The shells' completion scripts ask here (completion.ts): candidates one per line, never an error.
  if (argv[0] === '__complete') {
    const { completeWords } = await import('./completion.js');
    const candidates = completeWords(await wholeTree(), argv.slice(1));
    return (io.stdout.write(candidates.length ? `${candidates.join('\n')}\n` : ''), EXIT_OK);
  }
  // `help <topic>` prints a section of the CLI reference, `help man` the man page (both loaded only then).
  if (argv[0] === 'help' && argv.length === 2 && !(await wholeTree()).children.has(argv[1])) {
    const printed = await printHelpTopic(argv[1], io);
    if (printed !== undefined) return printed;
  }
  // `openai-admin help projects users` reads as `openai-admin projects users --help`.
  if (argv[0] === 'help') argv = [...argv.slice(1), '--help'];
  let debug = argv.includes('--debug');
  let ctx: Context | undefined;
  let file: OutputFile | undefined;
  try {
    const { node, rest } = locate(await treeFor(argv), argv);
    const command: Command | undefined = node.command;
    const options = { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) };
    const { values, positionals } = parseFlags(rest, options);
    const globals = values as unknown as Globals;
    debug = globals.debug === true;
    if (globals.version && !command) return (io.stdout.write(`${VERSION}\n`), EXIT_OK);
    if (!command) {
      if (positionals.length) throw new UsageError(`unknown command '${positionals[0]}'`);
      // Help, completion and -o are loaded when asked for: a plain command starts without them (issue 17 §8).
      const { groupHelp } = await import('./help.js');
      if (globals.help || node.words.length === 0) return (io.stdout.write(groupHelp(node, helpWidth(io))), EXIT_OK);
      io.stderr.write(groupHelp(node, helpWidth(io)));
      return EXIT_USAGE;
    }
    if (globals.help) {
      const { commandHelp } = await import('./help.js');
      return (io.stdout.write(commandHelp(command, helpWidth(io))), EXIT_OK);
    }
    const warn = (message: string) => void io.stderr.write(`warning: ${message}\n`);
    const note = (message: string) => ctx?.note(message);
    const max = parseMax(globals.max);
    if (max !== undefined && globals.all) throw new UsageError('--max and --all contradict each other: give one');
    if (globals.output !== undefined) {
      const { openOutputFile } = await import('./output-file.js');
      file = openOutputFile(globals.output);
    }
    const commandIO = file ? withOutput(rawIO, file.stream) : rawIO;
    ctx = new Context(commandIO, globals, outputOptions(globals, commandIO, warn, note, command.defaultFormat), max);
    await command.run(ctx, values, positionals);
    await ctx.close();
    file?.commit();
    file = undefined;
    return EXIT_OK;
  } catch (err) {
    ctx?.clearProgress();
    if (err instanceof OutputClosed) return EXIT_OK;
    if (err instanceof Declined) {
      io.stderr.write(`${err.message}\n`);
      return EXIT_OK;
    }
    io.stderr.write(`${formatError(err)}\n`);
    if (debug && err instanceof Error && err.stack && !(err instanceof UsageError)) io.stderr.write(`${err.stack}\n`);
    return exitCodeOf(err);
  } finally {
    file?.abort();
    await ctx?.close();
  }
}
