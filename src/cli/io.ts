/** The process's streams and environment, injectable so the CLI runs the same in tests and in a terminal. */
import { redactUserinfo } from '../core/log.js';
import type { Format } from './output/printer.js';
import { escapeControls } from './output/safe-text.js';

export interface OutStream {
  write(text: string, done?: (err?: Error | null) => void): unknown;
  isTTY?: boolean;
  /** The file descriptor of a real stream (audit-logs tail syncs and reads back a regular file through it). */
  fd?: number;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export const processIO = (): CliIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});

/** The stream with every write passed through `filter` first; isTTY and fd stay the stream's. */
function filtered(stream: OutStream, filter: (text: string) => string): OutStream {
  return {
    write: (text, done) => stream.write(filter(text), done),
    ...(stream.isTTY !== undefined ? { isTTY: stream.isTTY } : {}),
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
  return { ...io, stdout, stderr: filtered(io.stderr, stderrText) };
}
