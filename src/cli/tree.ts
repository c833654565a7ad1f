/**
 * The command tree: one leaf per API operation (from the operations table, under the library's names) plus
 * the workflows. Lookup consumes command words from the front of argv; an unknown word is a usage error with
 * the closest sibling as a suggestion.
 */
import type { Command } from './command.js';
import { UsageError } from './errors.js';
import { GLOBAL_VALUE_FLAGS } from './globals.js';
import { closestName } from '../core/base/suggest.js';

export interface TreeNode {
  readonly words: readonly string[];
  readonly children: Map<string, TreeNode>;
  command?: Command;
  /** A one-line description of a group (its first child's resource, or a workflow group). */
  summary?: string;
}

export function buildTree(commands: readonly Command[], groupSummaries: Record<string, string> = {}): TreeNode {
  const root: TreeNode = { words: [], children: new Map() };
  for (const command of commands) {
    let node = root;
    for (const word of command.words) {
      let child = node.children.get(word);
      if (!child) {
        const words = [...node.words, word];
        child = { words, children: new Map(), summary: groupSummaries[words.join(' ')] };
        node.children.set(word, child);
      }
      node = child;
    }
    if (node.command) throw new Error(`two commands named '${command.words.join(' ')}'`);
    node.command = command;
  }
  return root;
}

export interface Located {
  node: TreeNode;
  /** argv without the command words. */
  rest: string[];
}

/**
 * Walks argv's non-flag words down the tree until a command is reached. Flags before or between the words are
 * kept for the parser (the values of global flags are skipped, so `--fields id projects list` works).
 */
export function locate(root: TreeNode, argv: readonly string[]): Located {
  let node = root;
  const rest: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const token = argv[i];
    // A command that is also a group (`export` and `export focus`) takes the next word as its subcommand only
    // when it follows at once; anything else is the command's own (`export -o focus` exports to a file 'focus').
    if (node.command && !node.children.has(token)) break;
    if (token === '--') break;
    if (token.startsWith('-')) {
      rest.push(token);
      const name = token.replace(/^--?/, '');
      if (!token.includes('=') && GLOBAL_VALUE_FLAGS.has(name) && i + 1 < argv.length) rest.push(argv[++i]);
      continue;
    }
    const child = node.children.get(token);
    if (!child) {
      const where = node.words.length ? `'${node.words.join(' ')}'` : 'openai-admin';
      const guess = closestName(token, [...node.children.keys()]);
      throw new UsageError(
        `unknown command '${token}' for ${where}`,
        guess ? `did you mean ${guess}?` : `see openai-admin ${node.words.join(' ')} --help`.replace(/\s+/g, ' '),
      );
    }
    node = child;
  }
  rest.push(...argv.slice(i));
  return { node, rest };
}

/** Every command below a node, depth first. */
export function commandsUnder(node: TreeNode): Command[] {
  const out: Command[] = [];
  if (node.command) out.push(node.command);
  for (const child of node.children.values()) out.push(...commandsUnder(child));
  return out;
}
