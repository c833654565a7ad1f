/**
 * The one "did you mean" rule (src/core/base/suggest.ts), used by the client's option and parameter checks
 * (test/core/config/options.test.ts) and by the CLI's commands, flags and fields (test/cli/units.test.ts).
 */
import { closestName, didYouMean } from '../../../src/core/base/suggest.js';

test('a name that begins a known one, or that a known one begins, counts as one edit', () => {
  expect(closestName('proj', ['users', 'projects'])).toBe('projects');
  expect(closestName('serviceaccounts', ['users', 'serviceaccount'])).toBe('serviceaccount');
  expect(closestName('maxDelay', ['maxRetries', 'maxDelayMs'])).toBe('maxDelayMs');
});

test('case is ignored and the suggestion keeps the known spelling; the first of equally close names wins', () => {
  expect(closestName('JSNO', ['json', 'csv'])).toBe('json');
  expect(closestName('lst', ['list', 'last'])).toBe('list');
});

test('nothing within the limit gives no suggestion: 1 edit for names of up to 4 characters, 2 beyond', () => {
  expect(closestName('abcd', ['wxyz'])).toBeNull();
  expect(closestName('lmit', ['limit'])).toBe('limit');
  expect(closestName('lmt', ['limit'])).toBeNull();
  expect(closestName('timeoutt', ['timeout'])).toBe('timeout');
  expect(closestName('tmeoutxx', ['timeout'])).toBeNull();
  expect(didYouMean('zzz', ['limit'])).toBe('');
  expect(didYouMean('limt', ['limit'])).toBe(' (did you mean "limit"?)');
});
