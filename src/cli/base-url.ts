/**
 * The base URL a command uses (--base-url, else $OPENAI_BASE_URL, else the library's default), checked the way the
 * library checks it (core/url.ts) but reported as a usage error in the CLI's terms: the library's advice
 * ("pass allowInsecureHttp: true") is an option a command line cannot pass, so the CLI has --allow-insecure-http.
 * Plain http to this machine (localhost, 127.0.0.0/8, [::1]) needs nothing. The value is never echoed whole: it
 * may carry a proxy's credentials.
 */
import { isLoopbackHostname } from '../core/validation/url.js';
import { UsageError } from './errors.js';

export interface BaseURLChoice {
  baseURL?: string;
  allowInsecureHttp: boolean;
}

export function chooseBaseURL(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  allowInsecureHttp: boolean,
): BaseURLChoice {
  const source = flag !== undefined ? '--base-url' : '$OPENAI_BASE_URL';
  const baseURL = flag ?? (env.OPENAI_BASE_URL || undefined);
  if (baseURL === undefined) return { allowInsecureHttp };
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new UsageError(`${source} is not an absolute URL`, 'e.g. https://api.openai.com/v1');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`${source}: protocol ${url.protocol} is not supported`, 'use https');
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname) && !allowInsecureHttp)
    throw new UsageError(
      `${source} ${url.origin} is plain http to another machine, which would send the admin key in clear text`,
      'use https, or pass --allow-insecure-http if a trusted proxy on your network terminates TLS',
    );
  return { baseURL, allowInsecureHttp };
}
