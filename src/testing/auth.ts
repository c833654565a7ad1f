import { ApiError } from './errors.js';

/**
 * The key the README and examples use; any other non-empty key works too, except project and
 * service-account keys, which are refused like upstream.
 *
 * @example
 * ```ts
 * const admin = new OpenAIAdmin({ apiKey: DEMO_ADMIN_KEY, baseURL: emu.url });
 * ```
 */
export const DEMO_ADMIN_KEY = 'sk-admin-emulator';

/**
 * Checks the bearer key like the real API does for the admin endpoints: a key is required, and a
 * project key is refused with a 401 that says why, because that is the most common setup mistake.
 * Returns the error to answer with, or null when the request may proceed.
 */
export function authenticate(authorization: string | undefined): ApiError | null {
  const match = /^Bearer\s+(\S.*)$/i.exec(authorization?.trim() ?? '');
  if (!match) {
    return new ApiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      'invalid_request_error',
    );
  }
  const key = match[1].trim();
  if (key.startsWith('sk-proj-') || key.startsWith('sk-svcacct-')) {
    return new ApiError(
      401,
      'This endpoint requires an admin API key (sk-admin-…). Project and service-account keys cannot call the Administration API; create an admin key in the organization settings (Admin keys).',
      'invalid_request_error',
      null,
      'invalid_api_key',
    );
  }
  return null;
}
