/**
 * A real terminal for tests: a private tmux server (its own socket, no config) running one program in a window of
 * a given size. Keys go in with send-keys; the screen comes back with capture-pane. `waitFor` polls the screen for
 * a condition a bounded number of times: a handshake on what the screen shows, never a timing assertion.
 */
import { execFileSync } from 'node:child_process';

export interface Tmux {
  /** Types keys (tmux key names: 'Tab', 'C-u', 'Enter'; text is sent literally with `literal`). */
  keys(...keys: string[]): void;
  literal(text: string): void;
  /** The visible screen, one string per row, trailing blanks trimmed. */
  screen(): string[];
  /** The whole history and screen; a line the terminal wrapped comes back joined (-J), longer than the width. */
  history(): string[];
  /** Polls the screen until `ok` holds (at most `tries` × 100 ms); returns the screen that satisfied it. */
  waitFor(ok: (screen: string[]) => boolean, what: string, tries?: number): Promise<string[]>;
  /** Forgets the scrollback (the next history() starts at the screen). */
  clearHistory(): void;
  kill(): void;
}

let servers = 0;

export function startTmux(command: string, size: { cols: number; rows: number }, env: NodeJS.ProcessEnv): Tmux {
  const socket = `openai-admin-test-${process.pid}-${servers++}`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env, encoding: 'utf8', timeout: 30_000 });
  tmux('new-session', '-d', '-s', 't', '-x', String(size.cols), '-y', String(size.rows), command);
  const screen = () =>
    tmux('capture-pane', '-p', '-t', 't')
      .split('\n')
      .map((l) => l.trimEnd());
  return {
    keys: (...keys) => void tmux('send-keys', '-t', 't', ...keys),
    literal: (text) => void tmux('send-keys', '-t', 't', '-l', text),
    screen,
    history: () =>
      tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', 't')
        .split('\n')
        .map((l) => l.trimEnd()),
    async waitFor(ok, what, tries = 300) {
      for (let i = 0; i < tries; i++) {
        const s = screen();
        if (ok(s)) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the terminal never showed ${what}:\n${screen().join('\n')}`);
    },
    clearHistory: () => void tmux('clear-history', '-t', 't'),
    kill: () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}
