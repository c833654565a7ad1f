/**
 * Text from a server (or a file, or an error message) must not drive the terminal it is printed on: an ESC or an
 * 8-bit CSI (U+009B) starts a control sequence that can write the clipboard (OSC 52), retitle the window, clear
 * the screen or plant a link (OSC 8); a backspace or CR overwrites what was printed; a bidi override (U+202E)
 * makes a line read differently from its bytes. One function neutralises all of them, and every stream the CLI
 * writes to passes through it (io.ts: guardIO), so no output path can skip it. Pure.
 *
 * The replacement is visible and unambiguous about the code point: `\u001b`, `\u009b`, `\u202e` — the form JSON
 * uses, so in --json and --ndjson the escape is the JSON escape and the parsed value is exactly what was sent.
 */

/**
 * C0 controls, DEL, C1 controls, the Unicode bidi controls (U+061C, U+200E/F, U+202A–E, U+2066–9) and the line
 * and paragraph separators U+2028/U+2029 (raw in JSON text they end a line for JavaScript, and some terminals).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * What a stream keeps as is: a terminal view only its own line ends; JSON and CSV also CR and tab, which are
 * part of their syntax (CSV's CRLF; quoted cells) and never reach them raw from a value (JSON escapes them).
 */
export type Keep = 'newline' | 'structure';

const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The text with every unsafe character (above) replaced by its `\uXXXX` escape, bar the ones `keep` names. */
export function escapeControls(text: string, keep: Keep = 'newline'): string {
  return text.replace(UNSAFE, (c) =>
    c === '\n' || (keep === 'structure' && (c === '\r' || c === '\t')) ? c : hex4(c),
  );
}

/** True when the text holds no character escapeControls would replace (its line ends aside). */
export const isSafeText = (text: string, keep: Keep = 'newline'): boolean => escapeControls(text, keep) === text;
