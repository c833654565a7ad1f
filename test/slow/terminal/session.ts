/**
 * A terminal session as a person has it: the bin run by bash in tmux at a given width (80 columns for the docs),
 * each command typed at the prompt, its output read back from the terminal. Lines are captured joined (`-J`), so
 * a line the terminal had to wrap comes back longer than the width: what the width check looks for.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTmux } from './tmux';

export interface SessionStep {
  command: string;
  /** The output lines, as the terminal shows them (joined where it wrapped them); trailing blanks trimmed. */
  lines: string[];
}

/** The commands of docs/terminal-80.md: the lists a new admin looks at first, a report, a workflow, a help page. */
export const SESSION_COMMANDS = [
  'openai-admin projects list',
  'openai-admin users list',
  'openai-admin report spend --days 30',
  'openai-admin audit-logs list --max 8',
  'openai-admin keys stale',
  'openai-admin projects users add --help',
];

const PROMPT = '$';

/**
 * Runs `commands` one by one in bash under tmux (`cols` wide) with `bin` as `openai-admin` on PATH. `dir` is a
 * scratch directory (the wrapper script lives there).
 */
export async function recordSession(
  bin: string,
  dir: string,
  env: NodeJS.ProcessEnv,
  commands: readonly string[],
  cols = 80,
): Promise<SessionStep[]> {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin', 'openai-admin'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`, {
    mode: 0o755,
  });
  const term = startTmux(
    `PS1='${PROMPT} ' bash --norc --noprofile`,
    { cols, rows: 50 },
    { ...env, PATH: `${join(dir, 'bin')}:${env.PATH ?? ''}`, TERM: 'xterm-256color' },
  );
  const lastLine = (s: string[]) => s.filter(Boolean).at(-1) ?? '';
  try {
    await term.waitFor((s) => lastLine(s) === PROMPT, 'the prompt');
    const steps: SessionStep[] = [];
    for (const command of commands) {
      term.keys('C-l');
      term.keys('C-u');
      term.clearHistory();
      term.literal(command);
      term.keys('Enter');
      // Done when the line after the command's output is a fresh prompt.
      await term.waitFor(
        (s) => lastLine(s) === PROMPT && term.history().some((l) => l === `${PROMPT} ${command}`),
        `'${command}' to finish`,
        600,
      );
      const all = term.history();
      const start = all.findIndex((l) => l === `${PROMPT} ${command}`);
      const lines = all.slice(start + 1);
      while (lines.length && (lines.at(-1) === '' || lines.at(-1) === PROMPT)) lines.pop();
      steps.push({ command, lines });
    }
    return steps;
  } finally {
    term.kill();
  }
}
