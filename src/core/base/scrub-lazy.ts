/**
 * What request.ts loads of the scrub (scrub.ts) on its own: when a call fails before it was sent, and to log a
 * response-validation warning (whose code lives here, off the success path's chunk). Only the entry points it
 * calls: a bundler keeps every export of a module named by import() (it cannot tell which ones the caller reads),
 * so importing scrub.ts there would put the names of its other exports (for tests) into every single-file bundle.
 * failure.ts imports scrub.ts itself.
 */
import { keyNeedles, scrubString } from './scrub.js';

export { scrubErrorForKey } from './scrub.js';

/** Logs a response-validation warning without the key (request.ts loads this module when a warning is due). */
export function warnWithoutKey(logger: { warn(message: string): void }, apiKey: string | null, message: string): void {
  const key = keyNeedles(apiKey);
  logger.warn(key ? scrubString(message, key) : message);
}
