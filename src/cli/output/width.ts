/**
 * How wide and tall the output may be. A table on a terminal fits its width; `COLUMNS` (and `LINES`) set in the
 * environment win over the terminal's own size (`COLUMNS=80 openai-admin users list | less`); a pipe or a file
 * has no width limit, so nothing a script reads is ever cut. Pure.
 */

export interface Sized {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

const positive = (text: string | undefined): number | undefined =>
  text !== undefined && /^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : undefined;

/**
 * The widest a line may be on this stream: COLUMNS when set, else the terminal's width, else Infinity.
 * @example
 * outputWidth({ isTTY: true, columns: 80 }, {}) // 80
 * outputWidth({ isTTY: false }, {}) // Infinity
 */
export function outputWidth(stream: Sized, env: Record<string, string | undefined>): number {
  const fromEnv = positive(env.COLUMNS);
  if (fromEnv !== undefined) return fromEnv;
  if (stream.isTTY && typeof stream.columns === 'number' && stream.columns > 0) return stream.columns;
  return Infinity;
}

/**
 * How many lines a screen shows: LINES when set, else the terminal's height, else 24.
 * @example screenRows({ isTTY: true, rows: 50 }, {}) // 50
 */
export function screenRows(stream: Sized, env: Record<string, string | undefined>): number {
  return positive(env.LINES) ?? (stream.isTTY && typeof stream.rows === 'number' && stream.rows > 0 ? stream.rows : 24);
}

/**
 * Prose wrapped at word boundaries to `width` columns (a remark on stderr; help has its own, with indents). Pure.
 * @example wrapText('a b c', 3) // 'a b\nc'
 */
export function wrapText(text: string, width: number): string {
  if (!Number.isFinite(width)) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && [...line].length + 1 + [...word].length > width) (lines.push(line), (line = word));
    else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join('\n');
}
