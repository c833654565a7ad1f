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
 * Cost: linear in the text, whatever it holds. No backtracking regular expression runs over the text's runs (a
 * multi-megabyte run once overflowed the regex stack): they are found by a skip search over a class table (their
 * ends by a one-character search), decoded natively where the runtime has Buffer, a window at a time (see
 * someWindow), and each decoded view is searched once; long runs are searched once per error. The views of one
 * search add up to at most VIEW_BUDGET times the text (input built to nest encodings deeper than that counts as
 * revealing the key). A scrub that fails anyway (an engine limit) withholds the text (WITHHELD) rather than
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
  /** Each UTF-16 unit's classes (see RUN_CLASS), with the key's own characters in either case as WORD ones. */
  readonly classes: Uint8Array;
  /** The shortest run of each kind that could show a needle: WORD (as it is or escaped), base64, hex. */
  readonly runLengths: readonly number[];
  /** For each kind, a search for the first character outside it (where a run ends). */
  readonly runEnds: readonly RegExp[];
  /** A long run is decoded a window of this many characters at a time (see someWindow)... */
  readonly window: number;
  /** ...each window overlapping the next by the longest a needle's encoding can be in a run. */
  readonly overlap: number;
}

let cached: { key: string; needles: KeyNeedles } | undefined;

/** The search forms of a key (cached for the last key: errors of one client reuse it). Null key: nothing. */
export function keyNeedles(key: string | null | undefined): KeyNeedles | null {
  if (!key) return null;
  if (cached?.key === key) return cached.needles;
  const forms = new Set([key.toLowerCase()]);
  const secret = key.replace(/^sk-(?:[a-z]+-)?/i, '');
  // Longest first: the secret part is the key less its prefix (a key without one adds nothing to the set).
  if (secret.length >= 12) forms.add(secret.toLowerCase());
  const needles = [...forms];
  const escaped = needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const shortest = needles[needles.length - 1].length;
  // Stryker disable next-line MethodExpression: sharing the table only adds WORD bits on another key's characters,
  // which no needle of this key holds: its segments differ at those characters only, and no needle spans them.
  const classes = RUN_CLASS.slice();
  for (const c of needles[0] + needles[0].toUpperCase()) classes[c.charCodeAt(0)] |= 1 << WORD;
  // A needle inside a run spans at most its length times the widest encoding of each decoding after the run's own
  // (an escape, `&#0000115;`: 10 characters per character) times the run's (hex: 2), plus a group's worth of
  // alignment. Both sizes are whole base64 groups, so that every window decodes to exactly its share of the run.
  const overlap = Math.ceil((needles[0].length * 2 * 10 ** (MAX_DECODINGS - 1) + 8) / 4) * 4;
  const value: KeyNeedles = {
    needles,
    literal: new RegExp(escaped.join('|'), 'gi'),
    classes,
    runLengths: [shortest, Math.floor((shortest * 4) / 3), shortest * 2],
    runEnds: [WORD, BASE64_RUN, HEX_RUN].map((kind) => outside(classes, kind)),
    // Stryker disable next-line MethodExpression,ArithmeticOperator: the size sets only the cost; windows of whole
    // groups longer than the overlap answer alike, whatever their size.
    window: Math.max(MIN_WINDOW, 5 * overlap),
    overlap,
  };
  cached = { key, needles: value };
  return value;
}

/**
 * Decoded views cost at most this many characters per character of the text first searched (plus VIEW_SLACK),
 * each view counted at its decoded size. Ordinary text needs at most 4 even when it is one long base64 or hex blob
 * (3 for the 4 base64 offsets, 1 for the 2 hex ones, nothing for what they decode to: random bytes hold no long
 * runs); input built to nest encodings needs more ('V' decodes to 'U' at every base64 offset: 12; '3' to '3' at
 * both hex offsets: about as much). Past the budget the text counts as revealing the key (fail closed): its tokens
 * are checked one by one, and the one that costs too much is cut. The budget bounds the scrub's time: each view is
 * decoded, searched and scanned natively or in one pass.
 */
const VIEW_BUDGET = 6;
const VIEW_SLACK = 4096;

/** What is left of a search's allowance of decoded characters (see VIEW_BUDGET). */
interface Budget {
  left: number;
}

/**
 * The kinds of run the scan looks for, each a bit of RUN_CLASS: WORD characters (a needle, an escape or an
 * encoded needle is made of them: every base64 character is one, and the only characters beyond ASCII that
 * lower-case to ASCII, İ and the Kelvin sign), base64 and base64url characters, hex digits.
 */
const WORD = 0;
const BASE64_RUN = 1;
const HEX_RUN = 2;
const RUN_CLASS = new Uint8Array(0x10000);
const setClass = (chars: string, bits: number) => {
  for (const c of chars) RUN_CLASS[c.charCodeAt(0)] |= bits;
};
setClass('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_', (1 << WORD) | (1 << BASE64_RUN));
setClass('0123456789abcdefABCDEF', 1 << HEX_RUN);
setClass('%\\&#;\u0130\u212a', 1 << WORD);

/**
 * A search for the first character not of a kind: one character class, no quantifier (no backtracking and no
 * regex stack however long the run), scanned natively where a loop of charCodeAt costs several times as much.
 */
const outside = (classes: Uint8Array, kind: number) =>
  new RegExp(
    `[^${[...classes.keys()]
      .filter((code) => classes[code] & (1 << kind))
      .map((code) => `\\u${code.toString(16).padStart(4, '0')}`)
      .join('')}]`,
    'g',
  );

const NATIVE_AFTER = 64;

/** Where the run that goes on at text[from] ends (read at once: `found` searches other texts with the same regex). */
function runEndFrom(text: string, runEnd: RegExp, from: number): number {
  runEnd.lastIndex = from;
  return runEnd.test(text) ? runEnd.lastIndex - 1 : text.length;
}

/**
 * Calls `found` on each maximal run of a kind at least as long as the key's runLengths says, until it answers
 * true. A skip search: a long enough run covers one of every `length` positions, so only those are read until
 * one is in the run's class; then the run around it is measured. Each character is read at most twice, and a text
 * of short runs (decoded random bytes) costs about 1/length of a read per character.
 */
function someRun(text: string, key: KeyNeedles, kind: number, found: (from: number, to: number) => boolean): boolean {
  const { classes } = key;
  const bit = 1 << kind;
  const length = key.runLengths[kind];
  const n = text.length;
  // Stryker disable next-line EqualityOperator: reading at n gives NaN, in no class: the loop ends as at n.
  for (let p = length - 1, from = 0; p < n;) {
    // No run of the class starts before `from`: text[from - 1] is outside it (or from is 0).
    if (classes[text.charCodeAt(p)] & bit) {
      let start = p;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: text[from - 1] and text[-1] are in no class.
      while (start > from && classes[text.charCodeAt(start - 1)] & bit) start--;
      // Stryker disable next-line ArithmeticOperator: starting at p - 1 can only miss a run that starts at p, and the
      // next probe (p - 1 + length, inside that run) finds it with the same bounds.
      let end = p + 1;
      // A short run is measured here, a long one by the native search (a call costs some fifty reads).
      // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: text[n] is NaN, in no class;
      // `(end < n || end - p < NATIVE_AFTER) && …` measures a long run here instead of natively: the same end, slower.
      while (end < n && end - p < NATIVE_AFTER && classes[text.charCodeAt(end)] & bit) end++;
      // Stryker disable next-line ConditionalExpression: a saving only (the search finds the same end).
      if (end - p === NATIVE_AFTER) end = runEndFrom(text, key.runEnds[kind], end);
      // Stryker disable next-line ConditionalExpression,ArithmeticOperator: a shorter run shows no needle, only costs.
      if (end - start >= length && found(start, end)) return true;
      p = end;
    }
    // Stryker disable next-line ArithmeticOperator: text[p] is outside the class, so is every bound at or below it.
    from = p + 1;
    p += length;
  }
  return false;
}

/**
 * Decoding a multi-megabyte run whole costs several times what decoding it in windows does: each decode allocates
 * buffers and strings the size of the run (page faults, old-space collections) where a window's stay in the cache.
 */
const MIN_WINDOW = 1 << 16;

/**
 * Calls `found` on each window of the run text[from, to) until it answers true: `key.window` characters from
 * `from`, then from every `window - overlap` characters on. A needle's encoding lies wholly inside at least one
 * window (the overlap is as long as one can be), and a window of whole groups decodes to exactly its share of the
 * run's decoding, so the windows together answer as the whole run would. A run shorter than a window is one window.
 */
function someWindow(key: KeyNeedles, from: number, to: number, found: (start: number, end: number) => boolean) {
  for (let start = from; ; start += key.window - key.overlap) {
    const end = Math.min(to, start + key.window);
    if (found(start, end)) return true;
    if (end === to) return false;
  }
}

/**
 * Char codes as one flat string (joined, not concatenated: reading a concatenation char by char walks its pieces,
 * several times slower), in slices small enough for fromCharCode's argument list (apply: no iterator).
 */
function codesToString(codes: Uint8Array, length: number): string {
  // Stryker disable next-line ArrayDeclaration: text before the decoded bytes can neither make nor hide a needle in them.
  const parts: string[] = [];
  // Stryker disable next-line EqualityOperator: one more (empty) slice joins to the same string.
  for (let i = 0; i < length; i += 8192)
    parts.push(String.fromCharCode.apply(null, codes.subarray(i, Math.min(i + 8192, length)) as unknown as number[]));
  return parts.join('');
}

/** Node's Buffer (Bun's too), whose native decoders are several times faster (measured ~8x); browsers have none. */
const nativeBuffer = () => (globalThis as { Buffer?: typeof Buffer }).Buffer;

/** The escapes (every quantifier bounded: no backtracking, no regex stack however long the text). */
const ESCAPE = /\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|%([0-9a-fA-F]{2})|&#(\d{1,7});|&#[xX]([0-9a-fA-F]{1,6});/g;

/** Where an escape may start (a native scan: most long segments hold none, and need no replace pass). */
// Stryker disable next-line Regex: a saving only (a segment that seems to hold an escape is unescaped to itself).
const ESCAPE_START = /[\\%&]/;

/** The string with JSON/JS, percent and HTML numeric escapes undone (lenient: bad sequences stay). */
function unescapeAll(text: string): string {
  return text.replace(ESCAPE, (whole, u?: string, x?: string, pct?: string, dec?: string, hex?: string) => {
    const code = parseInt(u ?? x ?? pct ?? hex ?? dec!, dec !== undefined ? 10 : 16);
    // Stryker disable next-line EqualityOperator: no needle holds U+10FFFF, so its escape reads the same undone or not.
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The run text[start, end) decoded, as one char per byte: base64 or base64url (either alphabet) or hex. A last
 * partial byte is dropped, as Node's decoders do with a run of their characters only, and as atob's forgiving
 * decode does (browsers and workers have atob but no Buffer).
 */
function decodeRun(text: string, start: number, end: number, encoding: Encoding): string {
  const run = text.slice(start, end);
  const buffer = nativeBuffer();
  // Stryker disable next-line ConditionalExpression: both ways decode alike (the tests without Buffer compare them).
  if (buffer) return buffer.from(run, encoding).toString('latin1');
  if (encoding === 'hex')
    return run.replace(/../g, (pair) => String.fromCharCode(parseInt(pair, 16))).slice(0, run.length >> 1);
  // A lone last character holds no whole byte (atob refuses it); base64url's two characters are base64's.
  return atob(
    run
      .slice(0, run.length % 4 === 1 ? -1 : run.length)
      .replace(/-/g, '+')
      .replace(/_/g, '/'),
  );
}
type Encoding = 'base64' | 'hex';

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

const hasNeedle = (lower: string, key: KeyNeedles) => key.needles.some((needle) => lower.includes(needle));

function searchWithin(text: string, key: KeyNeedles, decodings: number, budget: Budget, bytes?: boolean): boolean {
  // No encoding is shorter than what it encodes: a text shorter than every needle cannot show one.
  // Stryker disable next-line ConditionalExpression: a saving only (such a text holds no needle and no long run).
  if (text.length < key.runLengths[WORD]) return false;
  // Decoded bytes (one character each, below U+0100) are searched by the case-insensitive regex, natively and
  // without a lower-cased copy: below U+0100 it matches exactly what lower-casing would (no character there
  // lower-cases to ASCII but ASCII). Other text is lower-cased, where İ and the Kelvin sign become i and k.
  if (bytes ? ((key.literal.lastIndex = 0), key.literal.test(text)) : hasNeedle(text.toLowerCase(), key)) return true;
  if (decodings === 0) return false;
  /** A decoded view searched in turn, or true (fail closed) once the budget is spent. */
  const viewReveals = (decode: () => string, size: number, bytes?: boolean) =>
    // Stryker disable next-line EqualityOperator: a budget spent to exactly 0 is one character of its 6 per character.
    (budget.left -= size) < 0 || searchWithin(decode(), key, decodings - 1, budget, bytes);
  /** Each long run decoded at each of its starting offsets: 4 for base64 (3 byte alignments, a run may start
   * mid-group), 2 for hex. */
  const decoded = (kind: number, offsets: number[], encoding: Encoding, scale: number) =>
    someRun(text, key, kind, (from, to) =>
      Boolean(
        answerOf(kind, text, from, to, decodings, () =>
          offsets.some((offset) =>
            someWindow(key, from + offset, to, (start, end) =>
              // Stryker disable next-line BooleanLiteral: bytes read as text give the same answer, only slower.
              viewReveals(() => decodeRun(text, start, end, encoding), (end - start) * scale, true),
            ),
          )
            ? 1
            : 0,
        ),
      ),
    );
  return (
    decoded(HEX_RUN, [0, 1], 'hex', 1 / 2) ||
    decoded(BASE64_RUN, [0, 1, 2, 3], 'base64', 3 / 4) ||
    // The escapes of each long enough WORD segment undone on their own (no escape crosses a segment's end).
    someRun(text, key, WORD, (from, to) => {
      const segment = text.slice(from, to);
      // Stryker disable next-line ConditionalExpression: a saving only (without an escape start nothing is undone).
      if (!ESCAPE_START.test(segment)) return false;
      const unescaped = unescapeAll(segment);
      return unescaped !== segment && viewReveals(() => unescaped, segment.length);
    })
  );
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
 * after each cut. Every answer is kept, UNKNOWN too: searched again with the runs known, the text might come out
 * FOUND, but scrubOrWithhold cuts both alike, token by token.
 */
let searchedRuns: Map<string, number>[] | undefined;
const WHOLE_TEXTS = WORD;
const CACHED_RUN = 4096;

/** The answer for text[from, to) (a long run of the text first searched: computed once per scrub and kind). */
function answerOf(kind: number, text: string, from: number, to: number, decodings: number, answer: () => number) {
  const cache = to - from >= CACHED_RUN && decodings === MAX_DECODINGS ? searchedRuns?.[kind] : undefined;
  const run = cache && text.slice(from, to);
  const known = run ? cache.get(run) : undefined;
  if (known !== undefined) return known;
  const found = answer();
  if (run) cache.set(run, found);
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
    // Stryker disable next-line ConditionalExpression: a saving only (cutting a text without the key leaves it whole).
    if (found === ABSENT) return text;
    // One token too costly to search is cut whole (cutRevealingTokens would search it again to find that out).
    // Stryker disable next-line ConditionalExpression: a saving only (cut token by token, it is cut whole too).
    if (found === UNKNOWN && text.search(TOKEN_END) < 0) return REDACTED;
    // The literal occurrences first, so that the text around them stays; then every token that still reveals it.
    const out = cutRevealingTokens(text.replace(key.literal, REDACTED), key);
    return reveals(out, key) ? REDACTED : out;
  } catch {
    return WITHHELD;
  }
}

/** An Error from any realm (a cause may come from Node internals or another vm context). */
const isError = (value: unknown): value is Error =>
  value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';

/** The first MB of a byte view as one character per byte. */
function bytesAsText(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, Math.min(view.byteLength, 1 << 20));
  const buffer = nativeBuffer();
  return buffer
    ? buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1')
    : codesToString(bytes, bytes.length);
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
  // Before errors too: a cause chain deeper than the bound is cut there, not left unscrubbed below it.
  if (depth >= MAX_SCRUB_DEPTH) return TOO_DEEP;
  if (isError(value)) return scrubError(value, key, depth, done);
  // Raw bytes (Node's HTTP parser errors carry the response as rawPacket): dropped whole when they show the key.
  if (ArrayBuffer.isView(value)) return reveals(bytesAsText(value), key) ? REDACTED : value;
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
  done.set(error, error);
  for (const name of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, name);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: an accessor has no value: undefined stays so.
    if (!descriptor || !('value' in descriptor)) continue;
    const scrubbed = valueOrWithheld(descriptor.value, key, depth + 1, done);
    // Stryker disable next-line ConditionalExpression: writing back the same value changes nothing.
    if (scrubbed === descriptor.value) continue;
    try {
      Object.defineProperty(error, name, { ...descriptor, value: scrubbed });
      // Stryker disable next-line BlockStatement: the block is empty already.
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
  if (!key || !isError(error) || scrubbed.has(error)) return error;
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
