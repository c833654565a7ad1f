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
 * Cost: linear in the text, whatever it holds. The scan is hand-written (no regular expression over the text: a
 * multi-megabyte run once overflowed the regex stack), each decoded view is searched once, and the views of one
 * search may add up to at most VIEW_BUDGET times the text (input built to nest encodings deeper than that counts
 * as revealing the key). A scrub that fails anyway (an engine limit) withholds the text (WITHHELD) rather than
 * throwing: the error keeps its class and status, so pacing, retries and reconciliation go on as without it.
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
  /** Each UTF-16 unit's classes for the scan (see RUN_CLASS). */
  readonly classes: Uint8Array;
  /** Finds the next WORD segment long enough to matter (a fixed count: no backtracking, native speed). */
  readonly longWord: RegExp;
  /** The length of the shortest needle: no text shorter than it can reveal the key. */
  readonly shortest: number;
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
  const chars = needles[0] + needles[0].toUpperCase();
  const escaped = needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const shortest = needles[needles.length - 1].length;
  const value: KeyNeedles = {
    needles,
    literal: new RegExp(escaped.join('|'), 'gi'),
    minBase64: Math.floor((shortest * 4) / 3),
    shortest,
    classes: classesFor(chars),
    longWord: new RegExp(
      `[${WORD}${[...chars].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]{${shortest}}`,
      'g',
    ),
  };
  cached = { key, needles: value };
  return value;
}

/**
 * Decoded views cost at most this many characters per character of the text first searched (plus VIEW_SLACK).
 * Ordinary text needs under 5 even when it is one long base64 or hex blob (3 for the 4 base64 offsets, 1 for the 2
 * hex ones, little for what they decode to); input built to nest encodings needs more ('V' decodes to 'U' at every
 * base64 offset: 13; '3' to '3' at both hex offsets: 12). Past the budget the text counts as revealing the key
 * (fail closed): its tokens are checked one by one, and the one that costs too much is cut.
 */
const VIEW_BUDGET = 8;
const VIEW_SLACK = 4096;

/** What is left of a search's allowance of decoded characters (see VIEW_BUDGET). */
interface Budget {
  left: number;
}

/** The value of each base64 and base64url character (-1: not one), and of each hex digit. */
const B64_VALUES = new Int8Array(128).fill(-1);
const HEX_VALUES = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  .split('')
  .forEach((c, i) => (B64_VALUES[c.charCodeAt(0)] = i));
B64_VALUES['-'.charCodeAt(0)] = 62;
B64_VALUES['_'.charCodeAt(0)] = 63;
for (const c of '0123456789abcdefABCDEF') HEX_VALUES[c.charCodeAt(0)] = parseInt(c, 16);

/**
 * For the scan, every UTF-16 unit's classes in one lookup. A WORD character may be part of a needle, an escape or
 * a run; the others split the text into segments that no needle, escape or run crosses, so the escapes of each
 * long enough segment are undone on their own (a long random body has few, short segments: nearly free).
 */
const IN_BASE64 = 1;
const IN_HEX = 2;
const IN_WORD = 4;
const RUN_CLASS = new Uint8Array(0x10000);
/** The static WORD characters as the body of a regex character class (RUN_CLASS must agree). */
const WORD = String.raw`A-Za-z0-9+/_%&#;\\\-\u0130\u212a`;
for (let code = 0; code < 128; code++)
  RUN_CLASS[code] = (B64_VALUES[code] >= 0 ? IN_BASE64 | IN_WORD : 0) | (HEX_VALUES[code] >= 0 ? IN_HEX : 0);
for (const c of '%\\&#;') RUN_CLASS[c.charCodeAt(0)] = IN_WORD;
// The only characters beyond ASCII that lower-case to ASCII (İ to i̇, the Kelvin sign to k).
RUN_CLASS[0x130] = RUN_CLASS[0x212a] = IN_WORD;

/** The classes for a key: RUN_CLASS, plus WORD for its needles' characters in either case. */
function classesFor(chars: string): Uint8Array {
  const classes = RUN_CLASS.slice();
  for (const c of chars) classes[c.charCodeAt(0)] |= IN_WORD;
  return classes;
}

/**
 * Char codes as one flat string (joined, not concatenated: reading a concatenation char by char walks its pieces,
 * several times slower), in slices small enough for fromCharCode's argument list (apply: no iterator).
 */
function codesToString(codes: Uint8Array, length: number): string {
  // Node's latin1 decoder gives the same string several times faster (measured ~8x); browsers and workers have none.
  const buffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
  if (buffer) return buffer.from(codes.buffer, codes.byteOffset, length).toString('latin1');
  const parts: string[] = [];
  for (let i = 0; i < length; i += 8192)
    parts.push(String.fromCharCode.apply(null, codes.subarray(i, Math.min(i + 8192, length)) as unknown as number[]));
  return parts.join('');
}

/** The escapes (every quantifier bounded: no backtracking, no regex stack however long the text). */
const ESCAPE = /\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|%([0-9a-fA-F]{2})|&#(\d{1,7});|&#[xX]([0-9a-fA-F]{1,6});/g;

/** The string with JSON/JS, percent and HTML numeric escapes undone (lenient: bad sequences stay). */
function unescapeAll(text: string): string {
  return text.replace(ESCAPE, (whole, u?: string, x?: string, pct?: string, dec?: string, hex?: string) => {
    const code = parseInt(u ?? x ?? pct ?? hex ?? dec!, dec !== undefined ? 10 : 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Base64 or base64url (either alphabet) of the run text[start, end) as one char per byte; works without Buffer. */
function decodeBase64(text: string, start: number, end: number): string {
  const out = new Uint8Array(Math.floor(((end - start) * 6) / 8));
  let bits = 0;
  let count = 0;
  let length = 0;
  for (let i = start; i < end; i++) {
    bits = ((bits << 6) | B64_VALUES[text.charCodeAt(i)]) & 0xffffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[length++] = (bits >> count) & 0xff;
    }
  }
  return codesToString(out, length);
}

/** The hex run text[start, end) as one char per byte (a last odd digit is dropped). */
function decodeHex(text: string, start: number, end: number): string {
  const out = new Uint8Array((end - start) >> 1);
  for (let i = 0; i < out.length; i++) {
    out[i] = (HEX_VALUES[text.charCodeAt(start + 2 * i)] << 4) | HEX_VALUES[text.charCodeAt(start + 2 * i + 1)];
  }
  return codesToString(out, out.length);
}

/** A search's answer: the key is in the text, it is not, or the budget ran out before it could tell (see VIEW_BUDGET). */
const FOUND = 1;
const ABSENT = 0;
const UNKNOWN = 2;
type Search = typeof FOUND | typeof ABSENT | typeof UNKNOWN;

/** True when the text, or any decoded view of it, contains a needle (or might: see VIEW_BUDGET). Linear. */
export function reveals(text: string, key: KeyNeedles, decodings = MAX_DECODINGS): boolean {
  return search(text, key, decodings) !== ABSENT;
}

function search(text: string, key: KeyNeedles, decodings = MAX_DECODINGS): Search {
  return answerOf(WHOLE_TEXTS, text, 0, text.length, decodings, () => {
    const budget = { left: VIEW_BUDGET * text.length + VIEW_SLACK };
    return searchWithin(text, key, decodings, budget) ? (budget.left < 0 ? UNKNOWN : FOUND) : ABSENT;
  }) as Search;
}

function searchWithin(text: string, key: KeyNeedles, decodings: number, budget: Budget, bytes?: boolean): boolean {
  // No encoding is shorter than what it encodes: a text shorter than every needle cannot show one.
  if (text.length < key.shortest) return false;
  // Decoded bytes (one character each, below U+0100, each lower-cased to one) show a needle only inside a long
  // enough WORD segment: without one there is nothing to lower-case or scan.
  const longWord = key.longWord;
  longWord.lastIndex = 0;
  if (bytes && !longWord.test(text)) return false;
  const lower = text.toLowerCase();
  if (key.needles.some((needle) => lower.includes(needle))) return true;
  if (decodings === 0) return false;
  /** A decoded view searched in turn, or true (fail closed) once the budget is spent. */
  const viewReveals = (decode: () => string, size: number, bytes?: boolean) =>
    (budget.left -= size) < 0 || searchWithin(decode(), key, decodings - 1, budget, bytes);
  // One scan for maximal segments of WORD characters holding an escape (undone per segment) and maximal runs of
  // base64 characters and of hex digits (every hex digit is a base64 character, every base64 one a WORD one):
  // each long enough run is decoded at each of its 4 (base64) or 2 (hex) starting offsets.
  const { classes, shortest, minBase64 } = key;
  const minHex = shortest * 2;
  let wordFrom = 0;
  let base64From = 0;
  let hexFrom = 0;
  const end = text.length;
  for (let i = 0; i <= end; i++) {
    if (i === wordFrom) {
      // Between segments: skip (natively) to the next one long enough to hold a run or an encoded needle.
      longWord.lastIndex = i;
      const next = longWord.exec(text);
      if (!next) break;
      i = wordFrom = base64From = hexFrom = next.index;
    }
    const kind = i < end ? classes[text.charCodeAt(i)] : 0;
    if (kind === (IN_BASE64 | IN_HEX | IN_WORD)) continue;
    if (!(kind & IN_HEX)) {
      const from = hexFrom;
      if (
        i - from >= minHex &&
        answerOf(HEX_RUNS, text, from, i, decodings, () =>
          [0, 1].some((offset) => viewReveals(() => decodeHex(text, from + offset, i), (i - from) >> 1, true)) ? 1 : 0,
        )
      )
        return true;
      hexFrom = i + 1;
    }
    if (!(kind & IN_BASE64)) {
      const from = base64From;
      if (
        i - from >= minBase64 &&
        answerOf(BASE64_RUNS, text, from, i, decodings, () =>
          [0, 1, 2, 3].some((offset) => viewReveals(() => decodeBase64(text, from + offset, i), i - from, true))
            ? 1
            : 0,
        )
      )
        return true;
      base64From = i + 1;
    }
    if (!(kind & IN_WORD)) {
      if (i - wordFrom >= shortest) {
        const segment = text.slice(wordFrom, i);
        const unescaped = unescapeAll(segment);
        if (unescaped !== segment && viewReveals(() => unescaped, segment.length)) return true;
      }
      wordFrom = i + 1;
    }
  }
  return false;
}

/** Calls `scrub` with searchedRuns in place (unless an outer call put it there), and clears it after. */
function withSearchedRuns<T>(scrub: () => T): T {
  if (searchedRuns) return scrub();
  searchedRuns = [new Map(), new Map(), new Map()];
  try {
    return scrub();
  } finally {
    searchedRuns = undefined;
  }
}

/**
 * Long runs and texts already searched during one scrub (see scrubErrorForKey) and their answer, by kind: an error
 * repeats its body's text in its message and its stack, and a scrub that finds the key searches its text again
 * after each cut. A whole text's UNKNOWN is not kept (searched again, it may be FOUND: scrubOrWithhold tells them
 * apart); FOUND and ABSENT come out the same when searched again.
 */
let searchedRuns: Map<string, number>[] | undefined;
const BASE64_RUNS = 0;
const HEX_RUNS = 1;
const WHOLE_TEXTS = 2;
const CACHED_RUN = 4096;

/** The answer for text[from, to) (a long run of the text first searched: computed once per scrub and kind). */
function answerOf(kind: number, text: string, from: number, to: number, decodings: number, answer: () => number) {
  const cache = to - from >= CACHED_RUN && decodings === MAX_DECODINGS ? searchedRuns?.[kind] : undefined;
  const run = cache && text.slice(from, to);
  const known = run ? cache.get(run) : undefined;
  if (known !== undefined) return known;
  const found = answer();
  if (run && found !== UNKNOWN) cache.set(run, found);
  return found;
}

/** What ends a token (see scrubString): one character at a time, so no regex stack however long the token. */
const TOKEN_END = /[\s"'<>,()[\]{}]/g;

/** The text with every token (a maximal run of characters that do not end one) that reveals a needle cut. */
function cutRevealingTokens(text: string, key: KeyNeedles): string {
  const parts: string[] = [];
  const cut = (token: string) => parts.push(token && reveals(token, key) ? REDACTED : token);
  let from = (TOKEN_END.lastIndex = 0);
  for (let end; (end = TOKEN_END.exec(text)); from = TOKEN_END.lastIndex)
    (cut(text.slice(from, end.index)), parts.push(end[0]));
  cut(text.slice(from));
  return parts.join('');
}

/** Stands for a text the scrub could not check (it failed: an engine limit, say): withheld, never shown. */
export const WITHHELD = '[withheld: not checked for the key]';

/**
 * The string with every form of the key replaced (see the module comment for how much is replaced). Never throws:
 * a text that cannot be checked is withheld whole (WITHHELD).
 */
export function scrubString(text: string, key: KeyNeedles): string {
  return withSearchedRuns(() => scrubOrWithhold(text, key));
}

function scrubOrWithhold(text: string, key: KeyNeedles): string {
  try {
    const found = search(text, key);
    if (found === ABSENT) return text;
    // One token too costly to search is cut whole (cutRevealingTokens would search it again to find that out).
    if (found === UNKNOWN && text.search(TOKEN_END) < 0) return REDACTED;
    let out = text;
    // A text too costly to search (UNKNOWN) is cut token by token at once: the literal pass would not settle it.
    if (found === FOUND) {
      out = text.replace(key.literal, REDACTED);
      if (search(out, key) === ABSENT) return out;
    }
    out = cutRevealingTokens(out, key);
    return reveals(out, key) ? REDACTED : out;
  } catch {
    return WITHHELD;
  }
}

/** An Error from any realm (a cause may come from Node internals or another vm context). */
const isError = (value: object): value is Error =>
  value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';

/** The first MB of a byte view as one character per byte. */
function bytesAsText(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, Math.min(view.byteLength, 1 << 20));
  return codesToString(bytes, bytes.length);
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
 * and the `cause` chain) and returns it. Properties that cannot be written are left as they are; a property whose
 * scrub fails is withheld (WITHHELD) while the others, and the error's class, stay.
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
    const scrubbed = valueOrWithheld(descriptor.value, key, depth + 1, done);
    if (scrubbed === descriptor.value) continue;
    try {
      Object.defineProperty(error, name, { ...descriptor, value: scrubbed });
    } catch {
      // A frozen foreign error (rare): nothing more can be done in place.
    }
  }
  return error;
}

/** A property's value scrubbed, or withheld whole (WITHHELD) if its scrub fails: fail closed, one property at a time. */
function valueOrWithheld(value: unknown, key: KeyNeedles, depth: number, done: WeakMap<object, unknown>): unknown {
  try {
    return scrubValue(value, key, depth, done);
  } catch {
    return WITHHELD;
  }
}

/** Errors already scrubbed where they were built: the scrub where they leave the call skips them. */
const scrubbed = new WeakSet<object>();

/** Scrubs an error for a client's key, once; a no-op without a key. */
export function scrubErrorForKey<E>(error: E, apiKey: string | null | undefined): E {
  const key = keyNeedles(apiKey);
  if (!key || !error || typeof error !== 'object' || !isError(error) || scrubbed.has(error)) return error;
  scrubbed.add(error);
  try {
    return withSearchedRuns(() => scrubError(error, key));
  } catch {
    // Its properties could not even be listed (a foreign error behind a Proxy, say): at least the message goes.
    // The error itself is kept, so its class and status still decide pacing, retries and reconciliation.
    try {
      Object.defineProperty(error, 'message', { value: WITHHELD, writable: true, configurable: true });
    } catch {
      // Nothing more can be done in place.
    }
    return error;
  }
}
