/** The process's streams and environment, injectable so the CLI runs the same in tests and in a terminal. */
import { redactUserinfo } from '../core/base/log.js';
import type { Format } from './output/printer.js';
import { escapeControls } from './output/safe-text.js';

export interface OutStream {
  write(text: string, done?: (err?: Error | null) => void): unknown;
  isTTY?: boolean;
  /** A terminal's size (output/width.ts). */
  columns?: number;
  rows?: number;
  /** The file descriptor of a real stream (audit-logs tail syncs and reads back a regular file through it). */
  fd?: number;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

let confirming = 0;

/**
 * Whether a `writeConfirmed` is waiting for its answer. bin.ts exits quietly when a reader closes stdout early
 * (`| head`), except then: output that must not be lost (a new key's only copy) is the command's to report.
 */
export const confirmingWrite = (): boolean => confirming > 0;

/** Writes `text` and settles once the stream has taken it: rejects when it could not (a closed pipe, a full disk). */
export function writeConfirmed(stream: OutStream, text: string): Promise<void> {
  confirming++;
  return new Promise<void>((resolve, reject) => {
    stream.write(text, (err) => (err ? reject(err) : resolve()));
  }).finally(() => confirming--);
}

/**
 * The process's own streams. stdin is read from `process` only when a command asks for it (a confirmation, a file
 * of `-`): Node builds the stream on first access, about a sixth of `node -e 0`'s instructions, which every other
 * command would pay at start-up (issue 17 §8).
 */
export const processIO = (): CliIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  get stdin() {
    return process.stdin;
  },
  env: process.env,
});

/** `io` with other stdout and stderr; its stdin is read through, not copied (see processIO). */
export const withOutput = (io: CliIO, stdout: OutStream, stderr: OutStream = io.stderr): CliIO => ({
  stdout,
  stderr,
  get stdin() {
    return io.stdin;
  },
  env: io.env,
});

/** The stream with every write passed through `filter` first; isTTY, size and fd stay the stream's. */
function filtered(stream: OutStream, filter: (text: string) => string): OutStream {
  return {
    write: (text, done) => stream.write(filter(text), done),
    ...(stream.isTTY !== undefined ? { isTTY: stream.isTTY } : {}),
    ...(typeof stream.columns === 'number' ? { columns: stream.columns } : {}),
    ...(typeof stream.rows === 'number' ? { rows: stream.rows } : {}),
    ...(typeof stream.fd === 'number' ? { fd: stream.fd } : {}),
  };
}

const terminalText = (text: string) => escapeControls(text);
/** stderr: also no URL credentials (a --base-url's `user:password@`) in any debug line, warning or error. */
const stderrText = (text: string) => escapeControls(redactUserinfo(text));
const structuredText = (text: string) => escapeControls(text, 'structure');

/**
 * The streams every command and every error report writes to, with control characters escaped (safe-text.ts)
 * whatever the path: stderr always as terminal text, URL credentials redacted; stdout as terminal text for a
 * table, keeping CR and tab for JSON and CSV (in JSON the escape is JSON's own), untouched only for --csv-raw.
 */
export function guardIO(io: CliIO, format: Format = 'table', csvRaw = false): CliIO {
  const stdout =
    format === 'table'
      ? filtered(io.stdout, terminalText)
      : format === 'csv' && csvRaw
        ? io.stdout
        : filtered(io.stdout, structuredText);
  return withOutput(io, stdout, filtered(io.stderr, stderrText));
}
