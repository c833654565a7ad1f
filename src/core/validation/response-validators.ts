/**
 * The response validators as validation.ts loads them when none were passed: through this module and a literal
 * import(), never a computed specifier (Miniflare, and any tool that lists a worker's modules before running it,
 * refuses a bundle holding one: ERR_MODULE_DYNAMIC_SPEC). package.json's "browser" field maps this module out of
 * browser builds, so a browser bundle carries the ~700 KB of validators only when the app imports
 * openai-admin/response-validators itself and passes them; there this module is empty, and validation says so.
 */
import * as validators from '../../../generated/validators/responses.gen.js';

/** The response validators by camelCase operation name (the module openai-admin/response-validators). */
export const responseValidators: Readonly<Record<string, unknown>> = validators;
