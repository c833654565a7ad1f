/**
 * What request.ts loads of the scrub (scrub.ts) on its own: when a call fails before it was sent, and for a
 * response-validation warning. Only the entry points it calls: a bundler keeps every export of a module named by
 * import() (it cannot tell which ones the caller reads), so importing scrub.ts there would put the names of its
 * other exports (for tests) into every single-file bundle. failure.ts imports scrub.ts itself.
 */
export { keyNeedles, scrubErrorForKey, scrubString } from './scrub.js';
