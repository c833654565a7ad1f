/**
 * Property suite: the wait parser reads back every wait written the ways the API writes them, never returns a
 * negative or non-finite wait, and reads no wait out of text that states none.
 */
import fc from 'fast-check';
import { parseDuration, rateLimitWait, waitFromMessage } from '../../../src/core/pacing/rate-limit-wait';

const RUNS = { numRuns: 500 };

/** A duration as Go prints it (what OpenAI's messages and x-ratelimit-reset-* carry): 1h2m3.5s, 6m0s, 350ms. */
function goText(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
const waitMs = fc.integer({ min: 0, max: 10 * 3_600_000 });

test('a Go-style duration in the message is read back exactly', () => {
  fc.assert(
    fc.property(
      waitMs,
      fc.constantFrom('Please try again in ', 'Rate limit reached. Try again in ', 'please retry after '),
      (ms, prefix) => {
        expect(waitFromMessage(`${prefix}${goText(ms)}.`)).toBe(ms);
        expect(parseDuration(goText(ms))).toBe(ms);
      },
    ),
    RUNS,
  );
});

test('a wait in words ("after N seconds") is read back exactly', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 100_000 }),
      fc.constantFrom(['seconds', 1000], ['minutes', 60_000], ['ms', 1]),
      (n, [unit, scale]) => {
        expect(waitFromMessage(`Please try again after ${n} ${unit}`)).toBe(n * (scale as number));
      },
    ),
    RUNS,
  );
});

test('headers win over the message, and every wait is finite and ≥ 0', () => {
  fc.assert(
    fc.property(
      fc.dictionary(
        fc.constantFrom(
          'retry-after',
          'retry-after-ms',
          'x-ratelimit-reset-requests',
          'x-ratelimit-reset-tokens',
          'x-other',
        ),
        fc.string(),
      ),
      fc.string(),
      (headers, message) => {
        const wait = rateLimitWait(headers, message, Date.UTC(2025, 0, 1));
        if (wait !== null) {
          expect(Number.isFinite(wait.ms)).toBe(true);
          expect(wait.ms).toBeGreaterThanOrEqual(0);
        }
      },
    ),
    RUNS,
  );
});

test('text without digits states no wait', () => {
  fc.assert(
    fc.property(
      fc.string().map((s) => s.replace(/\d/g, '')),
      (text) => {
        expect(waitFromMessage(`try again in ${text}`)).toBeNull();
      },
    ),
    RUNS,
  );
});
