import type { FieldIssue } from '../base/errors.js';

/** What HTTP allows in a field value (tab, visible ASCII, obs-text); both transports refuse anything else. */
const HEADER_VALUE_PROBLEM = /[^\t\x20-\x7e\x80-\xff]/;
/** An HTTP token (RFC 9110 §5.6.2), the only legal header name. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The issues of a set of headers. CR/LF/NUL would let a value inject headers; other control characters and
 * characters beyond Latin-1 would make fetch or node:http throw mid-call instead of naming the field. Pure.
 */
export function headerIssues(headers: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) issues.push({ path: `headers.${name}`, message: 'is not a valid HTTP header name' });
    else if (typeof value !== 'string' || /[\r\n\0]/.test(value))
      issues.push({ path: `headers.${name}`, message: 'must be a string without CR, LF or NUL' });
    else if (HEADER_VALUE_PROBLEM.test(value))
      issues.push({
        path: `headers.${name}`,
        message: 'must be Latin-1 text without control characters (tab allowed)',
      });
  }
  return issues;
}
