/**
 * The base URL's checks, made once at construction (config.ts): https, or plain http only to this machine or when
 * allowed. Path ids are checked with the other request checks (validation.ts); paths, query strings and URLs are
 * built with the request (pipeline/request.ts).
 */

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** A URL hostname (as `new URL` normalises it) that names this machine: localhost, 127.0.0.0/8, [::1]. */
export const isLoopbackHostname = (hostname: string): boolean => LOOPBACK.test(hostname);

/** Refuses a base URL that would send the admin key in clear text to another machine. */
export function checkBaseURL(baseURL: string, allowInsecureHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new TypeError(`baseURL: "${baseURL}" is not an absolute URL`);
  }
  if (url.protocol === 'https:') return baseURL;
  if (url.protocol !== 'http:') throw new TypeError(`baseURL: protocol ${url.protocol} is not supported (use https)`);
  if (isLoopbackHostname(url.hostname) || allowInsecureHttp) return baseURL;
  throw new TypeError(
    `baseURL: ${url.origin} uses plain http to a non-loopback host, which would expose the admin key; ` +
      'use https, or pass allowInsecureHttp: true if a trusted proxy terminates TLS',
  );
}
