/**
 * The key scrub's functions (src/core/base/scrub.ts), pure: what they cut and what they leave. Errors from a real
 * server echoing the key: test/integration/scrub.test.ts.
 */
import {
  keyNeedles,
  MAX_SCRUB_DEPTH,
  REDACTED,
  reveals,
  scrubError,
  scrubErrorForKey,
  scrubString,
  scrubValue,
  WITHHELD,
} from '../../../src/core/base/scrub.js';
import { SECRET_KEY } from '../../support/client.js';
import { errorSurfaces, leaksIn } from '../../support/key-forms.js';

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

describe('reveals: each decoded view', () => {
  const secret = SECRET_KEY.slice('sk-admin-'.length);
  const hexOf = (text: string) => Buffer.from(text, 'latin1').toString('hex');
  const escapes: Array<[string, (code: number) => string]> = [
    ['\\uXXXX', (c) => `\\u${c.toString(16).padStart(4, '0')}`],
    ['\\xHH', (c) => `\\x${c.toString(16).padStart(2, '0')}`],
    ['%HH', (c) => `%${c.toString(16).padStart(2, '0')}`],
    ['&#NN;', (c) => `&#${c};`],
    ['&#xHH;', (c) => `&#x${c.toString(16)};`],
    ['&#XHH;', (c) => `&#X${c.toString(16).toUpperCase()};`],
  ];

  test.each(escapes)('%s escapes of every character, and of one character only', (_name, escape) => {
    expect(reveals([...secret].map((c) => escape(c.charCodeAt(0))).join(''), key)).toBe(true);
    expect(reveals(`${escape(secret.charCodeAt(0))}${secret.slice(1)}`, key)).toBe(true);
    expect(scrubString(`x ${escape(secret.charCodeAt(0))}${secret.slice(1)} y=1`, key)).toBe(`x ${REDACTED} y=1`);
  });

  test('an escape that is bad or incomplete stays as it is, and hides nothing', () => {
    for (const bad of ['\\u00', '\\x4', '%4', '&#;', '&#x;', '&#12345678;', '&#x1234567;', '&#x110000;', '&#65'])
      expect(reveals(`${bad}${secret.slice(1)}`, key)).toBe(false);
    // A code point past U+FFFF is two UTF-16 units; its neighbours still read as the key.
    expect(reveals(`&#x1F600;${secret}`, key)).toBe(true);
    expect(reveals(`${secret.slice(0, 10)}&#x1F600;${secret.slice(10)}`, key)).toBe(false);
  });

  test('escapes undone twice (percent-encoded percent signs), but not three decodings deep', () => {
    const once = [...secret].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    expect(reveals(once.replace(/%/g, '%25'), key)).toBe(true);
    expect(reveals(once.replace(/%/g, '%25').replace(/%/g, '%25').replace(/%/g, '%25'), key)).toBe(false);
  });

  test('hex digits at either offset of a longer run, any case; a long harmless hex run is left alone', () => {
    expect(reveals(hexOf(secret), key)).toBe(true);
    expect(reveals(`a${hexOf(secret)}`, key)).toBe(true);
    expect(reveals(hexOf(secret).toUpperCase(), key)).toBe(true);
    const harmless = `sha256=${'0123456789abcdef'.repeat(8)}`;
    expect(scrubString(harmless, key)).toBe(harmless);
    // One hex digit short of the key's secret part: not the key.
    expect(reveals(hexOf(secret).slice(0, -2), key)).toBe(false);
  });

  test('base64 and base64url runs that start at any character of a group, either alphabet', () => {
    for (const alphabet of ['base64', 'base64url'] as const)
      for (const prefix of ['', '?', '??', '???'])
        for (const lead of ['', 'Q', 'QU', 'QUJ']) {
          const run = lead + Buffer.from(`${prefix}${secret}`, 'latin1').toString(alphabet);
          expect(reveals(run, key)).toBe(true);
        }
  });

  test('nothing shorter than the key and nothing beyond three decodings', () => {
    expect(reveals(secret.slice(0, -1), key)).toBe(false);
    const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
    expect(reveals(b64(b64(b64(secret))), key)).toBe(true);
    expect(reveals(b64(b64(b64(b64(secret)))), key)).toBe(false);
  });

  test('text built to nest encodings past the budget counts as revealing: its token is cut, the rest kept', () => {
    // 'V' decodes to 'U' at every base64 offset, and 'U' decodes further: about 13 times the text in decoded views.
    const nested = 'V'.repeat(20_000);
    expect(reveals(nested, key)).toBe(true);
    expect(scrubString(`before ${nested} after`, key)).toBe(`before ${REDACTED} after`);
  });

  test('whitespace, quotes and brackets of every kind end a token; other characters do not', () => {
    const token = Buffer.from(`Bearer ${SECRET_KEY}`).toString('base64');
    for (const end of [
      ' ',
      '\t',
      '\n',
      '\r',
      '\v',
      '\f',
      '\u00a0',
      '\u2003',
      '\u2028',
      '\u3000',
      '\ufeff',
      '"',
      "'",
      '<',
      '>',
      ',',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
    ])
      expect(scrubString(`a${end}${token}${end}b`, key)).toBe(`a${end}${REDACTED}${end}b`);
    expect(scrubString(`a:${token}:b`, key)).toBe(REDACTED);
  });

  test('a literal occurrence is cut and the text around it kept, even next to an encoded one', () => {
    const hex = hexOf(SECRET_KEY);
    expect(scrubString(`a ${SECRET_KEY} b ${hex} c`, key)).toBe(`a ${REDACTED} b ${REDACTED} c`);
  });

  test('the Kelvin sign and dotted capital I read as the letters they lower-case to', () => {
    const kelvin = keyNeedles('sk-admin-KKKKKKKKKKKKKKKK')!;
    expect(
      reveals(
        'sk-admin-\u212a\u212a\u212a\u212a\u212a\u212a\u212a\u212a\u212a\u212a\u212a\u212a\u212a\u212a\u212a\u212a',
        kelvin,
      ),
    ).toBe(true);
  });

  test('a needle character outside the usual set still joins a segment (a key with a dot or a colon)', () => {
    const odd = keyNeedles('key.with:odd.chars.0123456789')!;
    const escaped = [...'key.with:odd.chars.0123456789'].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    expect(reveals(`x ${escaped} y`, odd)).toBe(true);
    expect(scrubString(`x ${'key.with:odd.chars.0123456789'.toUpperCase()} y`, odd)).toBe(`x ${REDACTED} y`);
  });
});

// Hostile sizes (a 6 MB base64 run, 16 MB of one character): test/slow/attack/scrub.attack.test.ts.
describe('the scrub never throws', () => {
  test('a scrub that fails anyway withholds the text: scrubString, and one property of an error', () => {
    const original = String.prototype.toLowerCase;
    String.prototype.toLowerCase = function (this: string) {
      if (this.includes('BOOM')) throw new RangeError('engine limit');
      return original.call(this);
    };
    try {
      expect(scrubString(`BOOM ${SECRET_KEY}`, key)).toBe(WITHHELD);
      const error = Object.assign(new Error(`BOOM ${SECRET_KEY}`), { status: 500, headers: { 'x-id': 'req_1' } });
      scrubError(error, key);
      expect(error.message).toBe(WITHHELD);
      expect(error).toMatchObject({ status: 500, headers: { 'x-id': 'req_1' } });
      const body = scrubValue({ error: { message: `BOOM ${SECRET_KEY}`, code: 'c' } }, key);
      expect(body).toEqual({ error: { message: WITHHELD, code: 'c' } });
    } finally {
      String.prototype.toLowerCase = original;
    }
  });

  test('an error whose properties cannot even be listed keeps its class and loses its message', () => {
    class Hostile extends Error {}
    const target = new Hostile(`for ${SECRET_KEY}`);
    const error = new Proxy(target, {
      ownKeys() {
        throw new RangeError('no');
      },
    });
    const result = scrubErrorForKey(error, SECRET_KEY);
    expect(result).toBeInstanceOf(Hostile);
    expect(result.message).toBe(WITHHELD);
  });

  test('scrubErrorForKey scrubs once, and nothing without a key or an error', () => {
    const error = new Error(`for ${SECRET_KEY}`);
    expect(scrubErrorForKey(error, SECRET_KEY).message).toBe(`for ${REDACTED}`);
    error.message = `again ${SECRET_KEY}`;
    expect(scrubErrorForKey(error, SECRET_KEY).message).toBe(`again ${SECRET_KEY}`);
    const other = new Error(`for ${SECRET_KEY}`);
    expect(scrubErrorForKey(other, null).message).toContain(SECRET_KEY);
    expect(scrubErrorForKey(`text ${SECRET_KEY}`, SECRET_KEY)).toContain(SECRET_KEY);
    expect(scrubErrorForKey({ message: SECRET_KEY }, SECRET_KEY)).toEqual({ message: SECRET_KEY });
  });
});

describe('scrubValue: objects, bytes, errors', () => {
  test('an object nested far deeper than the bound is cut at the bound, keys scrubbed too', () => {
    let deep: unknown = { [SECRET_KEY]: SECRET_KEY };
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const scrubbed = scrubValue(deep, key);
    expect(JSON.stringify(scrubbed)).not.toContain(SECRET_KEY);
    let depth = 0;
    for (let v = scrubbed as any; v && typeof v === 'object'; v = v.next) depth++;
    expect(depth).toBe(MAX_SCRUB_DEPTH);
    expect(scrubValue({ a: { [SECRET_KEY]: 1 } }, key)).toEqual({ a: { [REDACTED]: 1 } });
  });

  test('numbers, booleans and null pass through; the same object twice gets the same copy', () => {
    const shared = { v: SECRET_KEY };
    const copy = scrubValue({ n: 1, b: true, z: null, u: undefined, x: [shared, shared] }, key) as any;
    expect(copy).toEqual({ n: 1, b: true, z: null, u: undefined, x: [{ v: REDACTED }, { v: REDACTED }] });
    expect(copy.x[0]).toBe(copy.x[1]);
  });

  test('raw bytes are dropped whole when they show the key (in their first MB), kept otherwise', () => {
    expect(scrubValue(Buffer.from(`raw ${SECRET_KEY}`), key)).toBe(REDACTED);
    const clean = Buffer.from('nothing to see here, nothing at all');
    expect(scrubValue(clean, key)).toBe(clean);
    const late = Buffer.concat([Buffer.alloc(1 << 20, 'x'), Buffer.from(SECRET_KEY)]);
    expect(scrubValue(late, key)).toBe(late);
    // A view into a larger buffer: only its own bytes count.
    const bytes = new Uint8Array(Buffer.from(`zzzz${SECRET_KEY}`));
    expect(scrubValue(bytes.subarray(4), key)).toBe(REDACTED);
    const head = bytes.subarray(0, 14);
    expect(scrubValue(head, key)).toBe(head);
  });

  test('an error inside a value is scrubbed in place; a read-only property is left as it was', () => {
    const inner = new Error(`inner ${SECRET_KEY}`);
    const copy = scrubValue({ e: inner }, key) as { e: Error };
    expect(copy.e).toBe(inner);
    expect(inner.message).toBe(`inner ${REDACTED}`);
    const frozen = Object.defineProperty(new Error('x'), 'detail', {
      value: SECRET_KEY,
      writable: false,
      configurable: false,
    });
    expect(() => scrubError(frozen, key)).not.toThrow();
    const getter = Object.defineProperty(new Error('y'), 'lazy', { get: () => SECRET_KEY });
    scrubError(getter, key);
    expect((getter as any).lazy).toBe(SECRET_KEY);
  });

  test('keyNeedles: nothing for no key; the secret part only when 12 characters or more remain', () => {
    expect(keyNeedles(undefined)).toBeNull();
    expect(keyNeedles('')).toBeNull();
    expect(keyNeedles('sk-admin-short')!.needles).toEqual(['sk-admin-short']);
    expect(keyNeedles('sk-proj-abcdefghijkl')!.needles).toEqual(['sk-proj-abcdefghijkl', 'abcdefghijkl']);
    expect(keyNeedles('SK-ABCDEFGHIJKLMN')!.needles).toEqual(['sk-abcdefghijklmn', 'abcdefghijklmn']);
    expect(keyNeedles(SECRET_KEY)).toBe(keyNeedles(SECRET_KEY));
  });
});

describe('edges the mutation run probes', () => {
  const secret = SECRET_KEY.slice('sk-admin-'.length);

  test('the markers say what happened', () => {
    expect(scrubString(`a ${SECRET_KEY} b`, key)).toBe('a [redacted] b');
    expect(WITHHELD).toMatch(/^\[withheld: .*key\]$/);
    let deep: unknown = 'x';
    for (let i = 0; i < MAX_SCRUB_DEPTH + 5; i++) deep = [deep];
    let inner = scrubValue(deep, key);
    while (Array.isArray(inner)) inner = inner[0];
    expect(inner).toBe('[redacted: nested too deep]');
  });

  test('a literal occurrence between characters that do not end a token: only the key is cut', () => {
    expect(scrubString(`a:${SECRET_KEY}:b`, key)).toBe(`a:${REDACTED}:b`);
  });

  test('the secret part alone, exactly as long as the shortest needle', () => {
    expect(reveals(secret, key)).toBe(true);
    expect(reveals(secret.toUpperCase(), key)).toBe(true);
  });

  test('long harmless base64 and hex are left alone (within the budget of decoded text)', () => {
    const random = Buffer.from(Array.from({ length: 30_000 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff));
    for (const text of [
      random.toString('base64'),
      random.toString('hex'),
      `id=${random.toString('base64url').slice(0, 40)}`,
    ])
      expect(scrubString(`x ${text} y`, key)).toBe(`x ${text} y`);
  });

  test('a key whose secret part is a multiple of 3 bytes: its base64 is exactly the shortest run decoded', () => {
    const even = keyNeedles('sk-admin-abcdefghijklmnopqr')!;
    expect(reveals(Buffer.from('abcdefghijklmnopqr').toString('base64'), even)).toBe(true);
    expect(reveals(Buffer.from('abcdefghijklmnopq').toString('base64'), even)).toBe(false);
  });

  test('entities with leading zeros, up to 7 decimal or 6 hex digits', () => {
    const dec = [...secret].map((c) => `&#${String(c.charCodeAt(0)).padStart(7, '0')};`).join('');
    const hex = [...secret].map((c) => `&#x${c.charCodeAt(0).toString(16).padStart(6, '0')};`).join('');
    expect(reveals(dec, key)).toBe(true);
    expect(reveals(hex, key)).toBe(true);
  });

  test('a key with regex characters is matched literally, not as a pattern', () => {
    const odd = keyNeedles('key.with+odd(chars)0123456789')!;
    const near = 'keyXwith+odd(chars)0123456789';
    expect(scrubString(`a ${near} b`, odd)).toBe(`a ${near} b`);
    expect(scrubString('a key.with+odd(chars)0123456789 b', odd)).toBe(`a ${REDACTED} b`);
  });

  test('the Kelvin sign and dotted capital I do not split an escaped key from its raw characters', () => {
    const k = keyNeedles('sk-admin-KKKKKKKKKKKKKKKK')!;
    expect(reveals(`${'\u212a'.repeat(8)}%4b${'\u212a'.repeat(7)}`, k)).toBe(true);
    const i = keyNeedles('sk-admin-abcdefghijklmni')!;
    expect(reveals('%61bcdefghijklmn\u0130', i)).toBe(true);
  });
});

test('a character outside the alphabets splits a run: the halves are searched apart', () => {
  // '.' replaces a character of the encoded key ('B' in base64, '1' in hex).
  const xpa = keyNeedles('sk-admin-xPaxPaxPaxPaxPa')!;
  const b64 = Buffer.from('sk-admin-xPaxPaxPaxPaxPa').toString('base64');
  const hex = Buffer.from(SECRET_KEY).toString('hex');
  for (const [text, value, needles] of [
    [b64, 'B', xpa],
    [hex, '1', key],
  ] as const) {
    const at = text.indexOf(value, 8);
    expect(at).toBeGreaterThan(0);
    expect(reveals(text, needles)).toBe(true);
    expect(reveals(`${text.slice(0, at)}.${text.slice(at + 1)}`, needles)).toBe(false);
  }
});
