/**
 * Cuts the API key out of everything an error carries. A proxy or a misbehaving server may echo the key back
 * (in the status text, a header, an HTML page, a JSON body), and not always verbatim: JSON-escaped
 * (`\u0073k-admin-…`), upper- or lower-cased, percent-encoded, base64 or base64url encoded (the key alone, or
 * `Bearer <key>`, or inside a longer encoded string), hex-encoded. So the scrub works on decoded VIEWS of each
 * string rather than on one literal form:
 *
 * - every comparison is case-insensitive;
 * - a string is also read with its escapes undone (`\uXXXX`, `\xXX`, `%XX`, `&#NN;`, `&#xHH;`);
 * - every run of base64/base64url characters long enough to hold the key is decoded at each of the 4 character
 *   offsets (the key may sit at any of the 3 byte alignments of a longer encoded string, and the run may start
 *   mid-group); every run of hex digits at both offsets; decoded text is searched again, up to 3 decodings deep
 *   (base64 of a percent-encoded key, say).
 *
 * What is found is replaced by `[redacted]`: the literal occurrence when there is one, else the whole
 * whitespace-delimited token that decodes to the key, else (never seen in practice) the whole string.
 *
 * Limits, honestly: an encoding not listed above (base32, UTF-16 before base64, compression, encryption, a key
 * split across line breaks inside base64 or interleaved with other characters) is not recognised. A fragment
 * shorter than the key's secret part is not treated as the key. The "secret part" (the key without its
 * `sk-…-` prefix, when at least 12 characters remain) is searched as well as the whole key.
 *
 * It runs only when an error is built: never on the success path.
 */

export const REDACTED = '[redacted]';

/** Nesting deeper than this (a hostile body) is replaced as a whole: no recursion blow-up, nothing missed. */
export const MAX_SCRUB_DEPTH = 64;
const TOO_DEEP = '[redacted: nested too deep]';
/** Decodings applied one inside another (e.g. base64 of percent-encoded text). */
const MAX_DECODINGS = 3;

export interface KeyNeedles {
  /** Lower-cased forms searched for: the key and, when long enough, its secret part. Longest first. */
  readonly needles: readonly string[];
  /** Matches every literal occurrence of a needle, any case. */
  readonly literal: RegExp;
  /** The shortest base64 run that could encode a needle. */
  readonly minBase64: number;
}

let cached: { key: string; needles: KeyNeedles } | undefined;

/** The search forms of a key (cached for the last key: errors of one client reuse it). Null key: nothing. */
export function keyNeedles(key: string | null | undefined): KeyNeedles | null {
  if (!key) return null;
  if (cached?.key === key) return cached.needles;
  const forms = new Set([key.toLowerCase()]);
  const secret = key.replace(/^sk-(?:[a-z]+-)?/i, '');
  if (secret !== key && secret.length >= 12) forms.add(secret.toLowerCase());
  const needles = [...forms].sort((a, b) => b.length - a.length);
  const escaped = needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const shortest = needles[needles.length - 1].length;
  const value: KeyNeedles = {
    needles,
    literal: new RegExp(escaped.join('|'), 'gi'),
    minBase64: Math.floor((shortest * 4) / 3),
  };
  cached = { key, needles: value };
  return value;
}

const ESCAPE = /\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|%([0-9a-fA-F]{2})|&#(\d{1,7});|&#[xX]([0-9a-fA-F]{1,6});/g;

/** The string with JSON/JS, percent and HTML numeric escapes undone (lenient: bad sequences stay). */
function unescapeAll(text: string): string {
  return text.replace(ESCAPE, (whole, u?: string, x?: string, pct?: string, dec?: string, hex?: string) => {
    const code = parseInt(u ?? x ?? pct ?? hex ?? dec!, dec !== undefined ? 10 : 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const B64_VALUES = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  .split('')
  .forEach((c, i) => (B64_VALUES[c.charCodeAt(0)] = i));
B64_VALUES['-'.charCodeAt(0)] = 62;
B64_VALUES['_'.charCodeAt(0)] = 63;

/** Base64 or base64url (either alphabet, no padding needed) as one char per byte; works without Buffer. */
function decodeBase64(run: string): string {
  let bits = 0;
  let count = 0;
  let out = '';
  for (let i = 0; i < run.length; i++) {
    const value = B64_VALUES[run.charCodeAt(i)];
    if (value < 0) break;
    bits = ((bits << 6) | value) & 0xffffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += String.fromCharCode((bits >> count) & 0xff);
    }
  }
  return out;
}

function decodeHex(run: string): string {
  let out = '';
  for (let i = 0; i + 1 < run.length; i += 2) out += String.fromCharCode(parseInt(run.slice(i, i + 2), 16));
  return out;
}

/** True when the text, or any decoded view of it, contains a needle. */
export function reveals(text: string, key: KeyNeedles, decodings = MAX_DECODINGS): boolean {
  const lower = text.toLowerCase();
  for (const needle of key.needles) if (lower.includes(needle)) return true;
  if (decodings === 0) return false;
  const unescaped = unescapeAll(text);
  if (unescaped !== text && reveals(unescaped, key, decodings - 1)) return true;
  const base64 = new RegExp(`[A-Za-z0-9+/_-]{${key.minBase64},}`, 'g');
  for (const [run] of text.matchAll(base64)) {
    for (let offset = 0; offset < 4; offset++) {
      if (reveals(decodeBase64(run.slice(offset)), key, decodings - 1)) return true;
    }
  }
  const hex = new RegExp(`[0-9a-fA-F]{${key.needles[key.needles.length - 1].length * 2},}`, 'g');
  for (const [run] of text.matchAll(hex)) {
    for (let offset = 0; offset < 2; offset++)
      if (reveals(decodeHex(run.slice(offset)), key, decodings - 1)) return true;
  }
  return false;
}

/** The string with every form of the key replaced (see the module comment for how much is replaced). */
export function scrubString(text: string, key: KeyNeedles): string {
  if (!reveals(text, key)) return text;
  let out = text.replace(key.literal, REDACTED);
  if (!reveals(out, key)) return out;
  out = out.replace(/[^\s"'<>,()[\]{}]+/g, (token) => (reveals(token, key) ? REDACTED : token));
  return reveals(out, key) ? REDACTED : out;
}

/** An Error from any realm (a cause may come from Node internals or another vm context). */
const isError = (value: object): value is Error =>
  value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';

/** The first MB of a byte view as one character per byte. */
function bytesAsText(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, Math.min(view.byteLength, 1 << 20));
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/**
 * A copy of a parsed JSON value (or any plain data) with the key scrubbed from every string, object key
 * included; values nested deeper than MAX_SCRUB_DEPTH are replaced whole.
 */
export function scrubValue(value: unknown, key: KeyNeedles, depth = 0, done = new WeakMap<object, unknown>()): unknown {
  if (typeof value === 'string') return scrubString(value, key);
  if (!value || typeof value !== 'object') return value;
  // The same object reached twice (an error's headers shared with its cause) gets the same copy; a cycle too.
  if (done.has(value)) return done.get(value);
  if (isError(value)) return scrubError(value, key, depth, done);
  // Raw bytes (Node's HTTP parser errors carry the response as rawPacket): dropped whole when they show the key.
  if (ArrayBuffer.isView(value)) return reveals(bytesAsText(value), key) ? REDACTED : value;
  if (depth >= MAX_SCRUB_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    done.set(value, copy);
    for (const item of value) copy.push(scrubValue(item, key, depth + 1, done));
    return copy;
  }
  const out: Record<string, unknown> = {};
  done.set(value, out);
  for (const [name, item] of Object.entries(value)) {
    // defineProperty: a "__proto__" key from JSON.parse must stay a key, not become the prototype.
    Object.defineProperty(out, scrubString(name, key), {
      value: scrubValue(item, key, depth + 1, done),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Scrubs an error in place (message, stack, every own property such as `error`, `headers`, `body`, `issues`,
 * and the `cause` chain) and returns it. Properties that cannot be written are left as they are.
 */
export function scrubError<E extends Error>(
  error: E,
  key: KeyNeedles,
  depth = 0,
  done = new WeakMap<object, unknown>(),
): E {
  if (done.has(error) || depth >= MAX_SCRUB_DEPTH) return error;
  done.set(error, error);
  for (const name of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, name);
    if (!descriptor || !('value' in descriptor)) continue;
    const scrubbed = scrubValue(descriptor.value, key, depth + 1, done);
    if (scrubbed === descriptor.value) continue;
    try {
      Object.defineProperty(error, name, { ...descriptor, value: scrubbed });
    } catch {
      // A frozen foreign error (rare): nothing more can be done in place.
    }
  }
  return error;
}

/** Errors already scrubbed where they were built: the scrub where they leave the call skips them. */
const scrubbed = new WeakSet<object>();

/** Scrubs an error for a client's key, once; a no-op without a key. */
export function scrubErrorForKey<E>(error: E, apiKey: string | null | undefined): E {
  const key = keyNeedles(apiKey);
  if (!key || !error || typeof error !== 'object' || !isError(error) || scrubbed.has(error)) return error;
  scrubbed.add(error);
  return scrubError(error, key);
}
