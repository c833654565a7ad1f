/**
 * Destructive verbs ask first. On a terminal: a y/N question on stderr, answered on stdin. Without a terminal
 * there is nobody to ask, so the command refuses unless `--yes` (a script must say so explicitly).
 */
import { UsageError } from './errors.js';
import type { CliIO } from './io.js';

export const DESTRUCTIVE_VERBS = new Set(['delete', 'archive', 'remove', 'unassign', 'deactivate']);

export class Declined extends Error {
  override name = 'Declined';
}

/** Resolves when the action may go ahead; throws UsageError (no terminal, no --yes) or Declined (answered no). */
export async function confirm(io: CliIO, question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!io.stdin.isTTY) throw new UsageError(`refusing to ${question} without --yes (stdin is not a terminal)`);
  // node:readline only when there is a question to ask: a command that asks nothing starts without it.
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: false });
  try {
    io.stderr.write(`${question}? [y/N] `);
    const answer: string = await new Promise((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    if (!/^y(es)?$/i.test(answer.trim())) throw new Declined('not confirmed; nothing was done');
  } finally {
    rl.close();
  }
}
