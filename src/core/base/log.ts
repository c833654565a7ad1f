/**
 * Leveled logging: `logLevel` ('off' | 'error' | 'warn' | 'info' | 'debug'), else the environment variable
 * `OPENAI_ADMIN_LOG` (in the style of the official SDK's `OPENAI_LOG`), else 'debug' when a logger was given
 * and 'warn' otherwise. The level is a number compared before any message is built: nothing is formatted or
 * timed when a line would be dropped. Lines carry method, path, status, duration, request id and attempt; never
 * headers, bodies or query strings, so never the key.
 */
import { readEnv } from './env.js';

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

export const LOG_LEVELS: Readonly<Record<LogLevel, number>> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };
export const LOG_ERROR = 1;
export const LOG_WARN = 2;
export const LOG_INFO = 3;
export const LOG_DEBUG = 4;

/** What a logger may implement; missing methods fall back as documented on the `logger` option. */
export interface LeveledLogger {
  error?(message: string): void;
  warn?(message: string): void;
  info?(message: string): void;
  debug?(message: string): void;
}

/**
 * The numeric level from the option (already checked with the other options, options.ts), else OPENAI_ADMIN_LOG
 * (read only when the option is absent; a runtime that denies the read counts as unset), else the default.
 */
export function resolveLogLevel(option: LogLevel | undefined, hasLogger: boolean): number {
  if (option !== undefined) return LOG_LEVELS[option];
  const fromEnv = readEnv('OPENAI_ADMIN_LOG').value?.trim().toLowerCase();
  // An unknown value in the environment is ignored rather than fatal: it may be meant for another tool.
  if (fromEnv !== undefined && Object.hasOwn(LOG_LEVELS, fromEnv)) return LOG_LEVELS[fromEnv as LogLevel];
  return hasLogger ? LOG_DEBUG : LOG_WARN;
}

const noop = () => {};

/**
 * Any URL's userinfo (`http://admin:secret@proxy`) as `(redacted)`: a base URL may carry a proxy's credentials,
 * and no log line should. Linear: a match starts at a literal `://` and ends within one URL authority.
 */
export const redactUserinfo = (line: string): string => line.replace(/:\/\/[^\s/?#]*@/g, '://(redacted)@');

/**
 * The sink of each level: the logger's method when it has one, else the console for a client without logger
 * (so that OPENAI_ADMIN_LOG=debug shows something), else nothing (warn: the console, as before). Every line has
 * URL credentials redacted on its way.
 */
export function levelSinks(
  logger: LeveledLogger | undefined,
): Required<{ [K in keyof LeveledLogger]-?: (message: string) => void }> {
  const pick = (name: keyof LeveledLogger, fallback: (m: string) => void) => {
    const sink = logger?.[name]?.bind(logger) ?? fallback;
    return sink === noop ? sink : (m: string) => sink(redactUserinfo(m));
  };
  return {
    error: pick('error', logger ? noop : (m) => console.error(m)),
    warn: pick('warn', (m) => console.warn(m)),
    info: pick('info', logger ? noop : (m) => console.info(m)),
    debug: pick('debug', logger ? noop : (m) => console.debug(m)),
  };
}

/** One attempt's line: `GET /organization/projects/proj_1 → 200 in 12 ms (retrieve-project, attempt 1, request req_…)`. */
export function attemptLine(
  method: string,
  path: string,
  operationId: string,
  status: number | string,
  durationMs: number,
  attempt: number,
  requestID: string | null,
): string {
  return `openai-admin: ${method} ${path} → ${status} in ${Math.round(durationMs)} ms (${operationId}, attempt ${attempt}${requestID ? `, request ${requestID}` : ''})`;
}
