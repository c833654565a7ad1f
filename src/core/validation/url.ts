import { operationId, type OperationSpec } from '../types/operation.js';
import { RequestValidationError, type FieldIssue } from '../base/errors.js';

/** Cannot be percent-encoded (encodeURIComponent throws): such a string is corrupt, not an id. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a path id is unusable, or null. Ids are percent-encoded anyway, but "." and ".." would be normalised
 * away by URL parsers and address the parent resource, and an empty id addresses the collection.
 */
export function pathIdProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `must be a string (got ${value === null ? 'null' : typeof value})`;
  if (value === '') return 'must not be empty';
  if (value === '.' || value === '..') return `must not be "${value}"`;
  if (/[/?#]/.test(value)) return 'must not contain "/", "?" or "#"';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (it has an unpaired surrogate)';
  if (/[\r\n]/.test(value)) return 'must not contain CR or LF';
  return null;
}

/** An issue for every unusable path id of the operation, in path order. Pure. */
export function pathIssues(op: Pick<OperationSpec, 'pathParams'>, params: Record<string, unknown> = {}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const name of op.pathParams) {
    const problem = pathIdProblem(params[name]);
    if (problem) issues.push({ path: `path.${name}`, message: problem });
  }
  return issues;
}

/** Fills `{name}` placeholders with percent-encoded ids; throws before any I/O on an unusable id. */
export function buildPath(
  op: Pick<OperationSpec, 'name' | 'path' | 'pathParams'>,
  params: Record<string, unknown> = {},
): string {
  const issues = pathIssues(op, params);
  if (issues.length) throw new RequestValidationError(operationId(op), issues);
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] as string));
}

const encodeKey = (key: string) => encodeURIComponent(key).replace(/%5B/gi, '[').replace(/%5D/gi, ']');
const encodeValue = (value: unknown) => encodeURIComponent(String(value));

/**
 * Query string in the form the API expects: arrays repeat the key (`group_by=a&group_by=b`), objects use
 * deepObject (`effective_at[gte]=1`). Undefined and null values are left out; order follows the spec.
 */
export function serializeQuery(op: Pick<OperationSpec, 'query'>, query: Record<string, unknown> = {}): string {
  const parts: string[] = [];
  for (const { name, kind } of op.query) {
    const value = query[name];
    if (value === undefined || value === null) continue;
    if (kind === 'array' && Array.isArray(value)) {
      for (const item of value) parts.push(`${encodeKey(name)}=${encodeValue(item)}`);
    } else if (kind === 'object' && typeof value === 'object') {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item !== undefined && item !== null) parts.push(`${encodeKey(`${name}[${key}]`)}=${encodeValue(item)}`);
      }
    } else {
      parts.push(`${encodeKey(name)}=${encodeValue(value)}`);
    }
  }
  return parts.join('&');
}

/** Joins base URL, path and query without doubling or dropping slashes. */
export function buildURL(baseURL: string, path: string, queryString: string): string {
  const base = baseURL.endsWith('/') ? baseURL.slice(0, -1) : baseURL;
  return `${base}${path}${queryString ? `?${queryString}` : ''}`;
}

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
