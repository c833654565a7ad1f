/**
 * The key scrub's functions (src/core/scrub.ts), pure: what they cut and what they leave. Errors from a real
 * server echoing the key: test/integration/scrub.test.ts.
 */
import { keyNeedles, MAX_SCRUB_DEPTH, REDACTED, scrubError, scrubString, scrubValue } from '../../src/core/scrub.js';
import { SECRET_KEY } from '../support/client.js';
import { errorSurfaces, leaksIn } from '../support/key-forms.js';

const key = keyNeedles(SECRET_KEY)!;

describe('scrubString', () => {
  test('leaves text without the key exactly as it was', () => {
    const text = 'Incorrect API key provided: sk-admin-****3456. See https://x/y?z=1 dGhpcyBpcyBmaW5l';
    expect(scrubString(text, key)).toBe(text);
  });

  test('cuts only the literal occurrence, any case, and keeps the rest', () => {
    expect(scrubString(`before ${SECRET_KEY.toUpperCase()} after`, key)).toBe(`before ${REDACTED} after`);
  });

  test('replaces the whole token that decodes to the key, and no more', () => {
    const token = Buffer.from(`Bearer ${SECRET_KEY}`).toString('base64');
    expect(scrubString(`authorization=${token} next=ok`, key)).toBe(`${REDACTED} next=ok`);
  });

  test('finds the key inside a longer base64 string at every byte alignment', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd']) {
      const encoded = Buffer.from(`${prefix}${SECRET_KEY}-and-more-text`).toString('base64');
      // Glued to other base64 characters, so that the run does not start on the encoding's first group.
      expect(scrubString(`Zm9v${encoded}`, key)).toBe(REDACTED);
    }
  });

  test('finds the secret part of the key without its sk-admin- prefix', () => {
    expect(scrubString(`value=${SECRET_KEY.slice('sk-admin-'.length)}`, key)).not.toContain('abcdef123456');
  });
});

describe('scrubValue and scrubError', () => {
  test('a body nested far deeper than the bound is cut without a stack overflow', () => {
    let deep: unknown = SECRET_KEY;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const scrubbed = scrubValue(deep, key);
    expect(JSON.stringify(scrubbed)).not.toContain(SECRET_KEY);
    let depth = 0;
    for (let v = scrubbed; Array.isArray(v); v = v[0]) depth++;
    expect(depth).toBe(MAX_SCRUB_DEPTH);
  });

  test('a "__proto__" key of a parsed body stays a plain key', () => {
    const scrubbed = scrubValue(JSON.parse(`{"__proto__": {"polluted": "${SECRET_KEY}"}}`), key) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype);
    expect(Object.keys(scrubbed)).toEqual(['__proto__']);
    expect(JSON.stringify(scrubbed)).not.toContain(SECRET_KEY);
  });

  test('an object shared by an error and its cause is scrubbed in both, cycles included', () => {
    const headers: Record<string, unknown> = { 'x-echo': SECRET_KEY };
    headers.self = headers;
    const cause = Object.assign(new Error(`inner ${SECRET_KEY}`), { headers });
    const outer = Object.assign(new Error('outer', { cause }), { headers });
    scrubError(outer, key);
    expect(leaksIn(errorSurfaces(outer), SECRET_KEY)).toEqual([]);
    expect((outer as any).headers['x-echo']).toBe(REDACTED);
    expect((outer as any).cause.headers['x-echo']).toBe(REDACTED);
  });
});
