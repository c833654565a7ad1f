/**
 * Exit codes and the one-line error report. Documented in docs/cli.md:
 *   0 success · 1 API or runtime error · 2 usage error (unknown command or flag, bad flag value, missing
 *   argument, refusal to run a destructive command without --yes when nobody can be asked) · 3 stopped part-way
 *   with something changed (a key rotation that created the new key but did not retire every old one).
 */
import { APIError, RequestValidationError } from '../core/base/errors.js';
import { escapeControls } from './output/safe-text.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_PARTIAL = 3;

/** A mistake in the command line itself: reported with exit code 2 and, when known, a suggestion. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** e.g. "did you mean list?" */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * A command stopped part-way after changing something, and has already said on stderr what exists now: exit
 * code 3, so a script can tell "nothing happened, safe to re-run" (1) from "look before re-running" (3).
 */
export class PartialFailure extends Error {
  override name = 'PartialFailure';
}

/** The exit code for an error thrown while running a command. Client-side request validation is bad input: 2. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof PartialFailure) return EXIT_PARTIAL;
  return err instanceof UsageError || err instanceof RequestValidationError ? EXIT_USAGE : EXIT_ERROR;
}

/**
 * One line: class, message, request id. No stack (callers print it under --debug). The message is the
 * library's own, which never carries the key, but may quote the server: its control characters are escaped
 * (output/safe-text.ts), so an error line cannot drive the terminal either.
 */
export function formatError(err: unknown): string {
  return escapeControls(
    errorLine(err)
      .replace(/\s*\n\s*/g, ' ')
      .trim(),
  );
}

function errorLine(err: unknown): string {
  if (err instanceof UsageError) return `error: ${err.message}${err.hint ? ` (${err.hint})` : ''}`;
  if (!(err instanceof Error)) return `Error: ${String(err)}`;
  const requestId = err instanceof APIError && err.requestID ? ` [request id ${err.requestID}]` : '';
  return `${err.name || 'Error'}: ${err.message}${requestId}`;
}
