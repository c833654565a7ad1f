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

/** Runs `check` with globalThis.Buffer gone, as in a browser; inputs are built before, with Buffer. */
function withoutBuffer<T>(check: () => T): T {
  const buffer = globalThis.Buffer;
  (globalThis as { Buffer?: unknown }).Buffer = undefined;
  try {
    return check();
  } finally {
    globalThis.Buffer = buffer;
  }
}

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

describe('without Buffer (browsers and workers decode in JavaScript)', () => {
  const secret = SECRET_KEY.slice('sk-admin-'.length);

  test('base64 and base64url at every group offset and byte alignment, hex at both offsets, any case', () => {
    const texts: Array<[string, boolean]> = [];
    for (const alphabet of ['base64', 'base64url'] as const)
      for (const prefix of ['', '?', '??', '???', '\u00ff\u00fe'])
        for (const lead of ['', 'Q', 'QU', 'QUJ']) {
          texts.push([lead + Buffer.from(`${prefix}${secret}`, 'latin1').toString(alphabet), true]);
          texts.push([lead + Buffer.from(`${prefix}${secret.slice(0, -1)}`, 'latin1').toString(alphabet), false]);
        }
    const hex = Buffer.from(secret, 'latin1').toString('hex');
    texts.push([hex, true], [`a${hex}`, true], [`${hex}a`, true], [hex.toUpperCase(), true], [hex.slice(0, -2), false]);
    // Past the first 8192 decoded bytes (the fallback builds its string in slices of that size), and across them.
    texts.push([Buffer.from(`${'x'.repeat(20_000)}${secret}`, 'latin1').toString('base64'), true]);
    texts.push([Buffer.from(`${'x'.repeat(8190)}${secret}`, 'latin1').toString('base64'), true]);
    texts.push([Buffer.from(`${'x'.repeat(20_000)}${secret}`, 'latin1').toString('hex'), true]);
    const answers = withoutBuffer(() => texts.map(([text]) => reveals(text, key)));
    expect(answers).toEqual(texts.map(([, expected]) => expected));
  });

  test('decoded bytes are exactly what Buffer decodes: the same answers for every text', () => {
    // Byte values across the whole range (high bytes are not lower-cased into ASCII), some runs holding the key.
    const texts = Array.from({ length: 64 }, (_, i) => {
      const bytes = Buffer.from(Array.from({ length: 300 }, (_, j) => (i * 131 + j * 37) & 0xff));
      const payload = i % 3 === 0 ? Buffer.concat([bytes, Buffer.from(secret), bytes]) : bytes;
      return i % 2 ? payload.toString('base64') : payload.toString('hex');
    });
    const native = texts.map((text) => reveals(text, key));
    expect(withoutBuffer(() => texts.map((text) => reveals(text, key)))).toEqual(native);
    expect(native.filter(Boolean)).toHaveLength(22);
  });

  test('raw bytes are read as text without Buffer too', () => {
    const withKey = new TextEncoder().encode(`HTTP/1.1 500\r\n\r\n${SECRET_KEY}`);
    const without = new TextEncoder().encode('HTTP/1.1 500\r\n\r\nnothing here');
    expect(withoutBuffer(() => [scrubValue(withKey, key), scrubValue(without, key)])).toEqual([REDACTED, without]);
  });
});

describe('what the mutation run showed untested', () => {
  const secret = SECRET_KEY.slice('sk-admin-'.length);
  const hexOf = (text: string) => Buffer.from(text, 'latin1').toString('hex');
  const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
  /** Random base64 characters (a fixed generator): decodes to bytes with no long runs of anything. */
  function randomBase64(length: number, seed: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[(seed = (seed * 1103515245 + 12345) >>> 0) >>> 26];
    return out;
  }
  /**
   * How many times Buffer decodes base64 or hex of 1000 characters or more while `run` runs (the scrub's decoded
   * views of the test's long runs; a stack's file paths are base64 runs too, but short ones).
   */
  function decodesDuring(run: () => void): number {
    const from = jest.spyOn(Buffer, 'from');
    try {
      run();
      return from.mock.calls.filter((call) => {
        const [text, encoding] = call as unknown[];
        return (encoding === 'base64' || encoding === 'hex') && typeof text === 'string' && text.length >= 1000;
      }).length;
    } finally {
      from.mockRestore();
    }
  }

  test('a character outside a run, at any position of an encoded key, splits it', () => {
    // The run finder reads one position in every few: a split at each position must still be seen.
    for (const encoded of [b64(secret).replace(/=+$/, ''), Buffer.from(secret).toString('hex'), secret]) {
      expect(reveals(encoded, key)).toBe(true);
      for (let at = 1; at < encoded.length - 1; at++)
        expect([at, reveals(`${encoded.slice(0, at)}.${encoded.slice(at + 1)}`, key)]).toEqual([at, false]);
    }
  });

  test('an encoded key at any offset after other text is found', () => {
    for (const encode of [b64, (t: string) => Buffer.from(t).toString('hex'), (t: string) => t])
      for (let pad = 0; pad < 40; pad++)
        expect([pad, reveals(`${'. '.repeat(pad)}${encode(secret)}`, key)]).toEqual([pad, true]);
  });

  test('a cause chain deeper than the bound is cut at the bound, not left unscrubbed below it', () => {
    let error = new Error(`bottom ${SECRET_KEY}`);
    for (let i = 0; i < 100; i++) error = new Error(`level ${i}`, { cause: error });
    scrubErrorForKey(error, SECRET_KEY);
    expect(leaksIn(errorSurfaces(error), SECRET_KEY)).toEqual([]);
    let depth = 0;
    let cause: unknown = error;
    while (cause instanceof Error) ((cause = cause.cause), depth++);
    expect(cause).toBe('[redacted: nested too deep]');
    expect(depth).toBeGreaterThan(20);
  });

  test('an error that is its own cause is scrubbed once, its message kept apart from the key', () => {
    const error = new Error(`loop ${SECRET_KEY}`);
    (error as { cause?: unknown }).cause = error;
    scrubErrorForKey(error, SECRET_KEY);
    expect(error.message).toBe(`loop ${REDACTED}`);
    expect(error.cause).toBe(error);
  });

  test('an error from another realm is scrubbed in place as an error', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext(`new Error(${JSON.stringify(`foreign ${SECRET_KEY}`)})`) as Error;
    expect(foreign instanceof Error).toBe(false);
    const outer = new Error('outer', { cause: foreign });
    scrubErrorForKey(outer, SECRET_KEY);
    expect(outer.cause).toBe(foreign);
    expect(foreign.message).toBe(`foreign ${REDACTED}`);
  });

  test('copies of scrubbed objects are plain data: every property writable and configurable', () => {
    const copy = scrubValue({ a: SECRET_KEY, b: 1 }, key) as Record<string, unknown>;
    for (const name of ['a', 'b'])
      expect(Object.getOwnPropertyDescriptor(copy, name)).toMatchObject({
        enumerable: true,
        writable: true,
        configurable: true,
      });
  });

  test('an error whose properties cannot be listed gets a message that stays writable', () => {
    const error = new Error(`x ${SECRET_KEY}`);
    const hostile = new Proxy(error, {
      ownKeys: () => {
        throw new Error('no');
      },
    });
    scrubErrorForKey(hostile, SECRET_KEY);
    expect(Object.getOwnPropertyDescriptor(error, 'message')).toMatchObject({
      value: WITHHELD,
      writable: true,
      configurable: true,
    });
  });

  test('without a key nothing is touched, an error with the key in it included', () => {
    for (const none of [null, undefined, '']) {
      const error = new Error(`for ${SECRET_KEY}`);
      expect(scrubErrorForKey(error, none)).toBe(error);
      expect(error.message).toBe(`for ${SECRET_KEY}`);
    }
  });

  test('keyNeedles: only a leading sk-…- prefix is taken off, and only from a key that has one', () => {
    expect(keyNeedles('pk-live-sk-admin-abcdefghijklmnop')!.needles).toEqual(['pk-live-sk-admin-abcdefghijklmnop']);
    expect(keyNeedles('sk-abcdefghijk')!.needles).toEqual(['sk-abcdefghijk']);
  });

  test('many harmless runs in one text are each charged their own size, not their position', () => {
    const text = Array.from({ length: 100 }, (_, i) => randomBase64(200, i + 1)).join(' ');
    expect(scrubString(text, key)).toBe(text);
  });

  test('many escaped words are each unescaped on their own', () => {
    const text = Array.from({ length: 200 }, (_, i) => `word%20number%20${String(i).padStart(4, '0')}-padding`).join(
      ' ',
    );
    expect(scrubString(text, key)).toBe(text);
  });

  test('a segment whose escapes are all bad is not searched again as if it were a decoded view', () => {
    const text = `${randomBase64(40_000, 7)}%zz`;
    expect(scrubString(text, key)).toBe(text);
  });

  test('two long runs in one text are answered each on its own', () => {
    const text = `${randomBase64(5000, 3)} ${'A'.repeat(10)}${b64(`${'x'.repeat(4000)}${SECRET_KEY}`)}`;
    expect(scrubString(text, key)).toBe(`${text.split(' ')[0]} ${REDACTED}`);
  });

  test('a long run is decoded once per offset per error, however often the error repeats it', () => {
    const run = randomBase64(8000, 11);
    const error = Object.assign(new Error(`failed: ${run}`), { body: { error: { message: run } }, text: run });
    expect(decodesDuring(() => scrubErrorForKey(error, SECRET_KEY))).toBe(4);
    // Runs shorter than the cache's bound are searched where they are met; a run of exactly the bound is cached.
    const short = randomBase64(4095, 12);
    // Two different texts (each whole text is remembered too), the run after a space in one and two in the other:
    // a run's place in its text is not its length.
    const twice = (text: string) => Object.assign(new Error('x'), { first: ` ${text}`, second: `  ${text}` });
    expect(decodesDuring(() => scrubErrorForKey(twice(short), SECRET_KEY))).toBe(8);
    const bound = randomBase64(4096, 13);
    expect(decodesDuring(() => scrubErrorForKey(twice(bound), SECRET_KEY))).toBe(4);
  });

  test('a run met inside a decoded view is not cached with that view’s fewer decodings left', () => {
    // R reveals the key three decodings deep. Met first inside base64(R), it has only two left there, and is not the
    // key; met again on its own, with three, it is.
    const r = b64(b64(b64(`${'x'.repeat(3000)}${SECRET_KEY}`)));
    expect(r.length).toBeGreaterThan(4096);
    expect(scrubString(`${b64(r)} ${r}`, key)).toBe(`${b64(r)} ${REDACTED}`);
  });

  test('what one scrub learns about a run is forgotten before the next (another key may be in it)', () => {
    const other = `sk-admin-${'Q'.repeat(30)}`;
    const run = b64(`${'x'.repeat(4000)}${other}`);
    expect(scrubString(run, key)).toBe(run);
    expect(scrubString(run, keyNeedles(other)!)).toBe(REDACTED);
  });

  test('a too-costly text that starts with a token end keeps it', () => {
    const nested = 'V'.repeat(20_000);
    expect(scrubString(` ${nested}`, key)).toBe(` ${REDACTED}`);
    expect(scrubString(nested, key)).toBe(REDACTED);
  });

  test('a character outside a run, wherever the run finder reads, does not join the runs on its sides', () => {
    // 'a…a.' then the hex-encoded key: read as one run, the hex decoder would stop at the '.' and miss the key.
    // Past 64 characters the run's end is found by a native search: a space or '!' must end it there too.
    for (const end of ['.', ' ', '!'])
      for (let n = 1; n < 80; n++)
        expect([end, n, reveals(`${'a'.repeat(n)}${end}${hexOf(secret)}`, key)]).toEqual([end, n, true]);
  });

  test("a property whose scrub throws is withheld; the error's other properties are still scrubbed", () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('no keys');
        },
      },
    );
    const error = Object.assign(new Error(`x ${SECRET_KEY}`), { body: hostile });
    scrubErrorForKey(error, SECRET_KEY);
    expect((error as { body?: unknown }).body).toBe(WITHHELD);
    expect(error.message).toBe(`x ${REDACTED}`);
  });

  test('keys whose encodings hold the digit 0, base64url "-" or a non-ASCII capital are found', () => {
    const zeros = 'sk-admin-0000000000000000';
    expect(reveals(hexOf('0000000000000000'), keyNeedles(zeros)!)).toBe(true);
    // '>>>' is 'Pj4-' in base64url: a '-' in every group.
    const arrows = `sk-admin-${'>'.repeat(18)}`;
    expect(reveals(Buffer.from('>'.repeat(18)).toString('base64url'), keyNeedles(arrows)!)).toBe(true);
    // A raw É inside an escaped key with é in it: one segment, unescaped as a whole, lower-cased to the key.
    const accent = 'sk-admin-caf\u00e90123456789abc';
    expect(reveals('%63af\u00c90123456789abc', keyNeedles(accent)!)).toBe(true);
  });
});

describe('long runs are decoded a window at a time', () => {
  const hexOf = (text: string) => Buffer.from(text, 'latin1').toString('hex');
  const { window, overlap } = key;
  /** Each character as a decimal HTML escape of the longest form the scrub undoes (`&#0000115;`: 10 characters). */
  const widest = (text: string) => [...text].map((c) => `&#${String(c.charCodeAt(0)).padStart(7, '0')};`).join('');

  test('a window is whole base64 groups, and its overlap holds the widest form a needle can take in a run', () => {
    expect([window % 4, overlap % 4, window >= 5 * overlap]).toEqual([0, 0, true]);
    // Hex of escapes of escapes: 200 characters per character of the key, the widest three decodings make.
    expect(overlap).toBeGreaterThanOrEqual(hexOf(widest(widest(SECRET_KEY))).length);
  });

  test('a key encoded across the end of a window is found, with and without Buffer', () => {
    // Base64 of the key at byte offsets from before the first window's end to past it: each crosses that end or
    // lies just after it, inside the second window only.
    const windowBytes = (window / 4) * 3;
    const texts: string[] = [];
    for (let at = windowBytes - SECRET_KEY.length - 6; at <= windowBytes + 6; at += 3)
      texts.push(Buffer.from(`${'x'.repeat(at)}${SECRET_KEY}${'y'.repeat(window)}`, 'latin1').toString('base64'));
    expect(texts.map((text) => reveals(text, key))).toEqual(texts.map(() => true));
    expect(withoutBuffer(() => texts.map((text) => reveals(text, key)))).toEqual(texts.map(() => true));
  });

  test('the widest encoding, crossing the end of the first window by two characters, is found in the next', () => {
    // A key without a prefix has one needle, the whole key: no shorter part of it could be found instead.
    const whole = 'SECRETabcdef0123456789XYZ';
    const one = keyNeedles(whole)!;
    expect(one.needles).toHaveLength(1);
    const encoded = hexOf(widest(widest(whole)));
    const pad = (length: number) => '0123456789abcdef'.repeat(Math.ceil(length / 16)).slice(0, length);
    const at = one.window - encoded.length + 2;
    expect(reveals(`${pad(at)}${encoded}${pad(one.window)}`, one)).toBe(true);
    // Cut one digit short it is not the key: what was found is the key's encoding, not the padding.
    expect(reveals(`${pad(at)}${encoded.slice(0, -2)}z${pad(one.window)}`, one)).toBe(false);
  });

  test("a long segment ends only at a character that is neither a run's nor the key's (a key with dots and colons)", () => {
    const odd = keyNeedles('key.with:odd.chars.0123456789')!;
    // Past the first 64 characters of a run the end is found by a native search: it must know the key's characters.
    expect(reveals(`${'z'.repeat(100)}key.with:odd%2echars.0123456789`, odd)).toBe(true);
    expect(reveals(`${'z'.repeat(100)}key.with:odd%2echars.012345678`, odd)).toBe(false);
  });
});

describe('runs are bounded exactly where their characters end', () => {
  const secret = SECRET_KEY.slice('sk-admin-'.length);
  const hexOf = (text: string) => Buffer.from(text, 'latin1').toString('hex');
  const hexRun = key.runLengths[2];

  test('a short run met first does not swallow the key encoded after it', () => {
    // The first probe lands on "abc", a hex run too short to hold the key; the key's hex starts after one dot.
    const text = `${'.'.repeat(hexRun - 3)}abc.${hexOf(secret)}.`;
    expect(reveals(text, key)).toBe(true);
    expect(withoutBuffer(() => reveals(text, key))).toBe(true);
  });

  test('a long run ends at the first character outside its kind: a space before the key does not join them', () => {
    // Long enough for the native end search; the space is in no run's class, so the key's hex is a run of its own.
    for (const text of [`${'0'.repeat(300)} ${hexOf(secret)}`, `${'0'.repeat(301)}!${hexOf(secret)}`])
      expect(reveals(text, key)).toBe(true);
  });

  test("an odd hex run's lone last digit is no byte, without Buffer as with it", () => {
    // The secret ends in "6": left in the decoded text, the lone digit would complete it there. (Two bytes before
    // it make the run as long as the hex of the secret: a shorter one is never decoded.)
    expect(secret.endsWith('6')).toBe(true);
    const odd = `${hexOf(`::${secret.slice(0, -1)}`)}6`;
    expect(reveals(odd, key)).toBe(false);
    expect(withoutBuffer(() => reveals(odd, key))).toBe(false);
    const even = `${hexOf(secret)}6`;
    expect(withoutBuffer(() => reveals(even, key))).toBe(true);
  });

  test('raw bytes without Buffer: a key across the 8192-byte slices the text is built from is found', () => {
    for (const at of [8192 - SECRET_KEY.length, 8192 - 10, 8192]) {
      const bytes = new TextEncoder().encode(`${'x'.repeat(at)}${SECRET_KEY}${'y'.repeat(99)}`);
      expect(withoutBuffer(() => scrubValue(bytes, key))).toBe(REDACTED);
    }
  });

  test('the overlap between windows is the widest form a needle can take, rounded up to a whole group, no wider', () => {
    // A wider overlap would still find every key, at the cost of decoding more twice: the bound is exact.
    const widestPerCharacter = 2 * 10 * 10; // hex (2) of two nested escapes of 10 characters each
    expect(key.overlap).toBe(Math.ceil((SECRET_KEY.length * widestPerCharacter + 8) / 4) * 4);
  });
});
