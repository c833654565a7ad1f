/** warnWithoutKey: the response-validation warning request.ts logs is scrubbed of the client's key, in every form. */
import { warnWithoutKey } from '../../../src/core/base/scrub-lazy.js';

const KEY = 'sk-admin-0123456789abcdefSECRET';

function logged(apiKey: string | null, message: string): string[] {
  const lines: string[] = [];
  warnWithoutKey({ warn: (m) => lines.push(m) }, apiKey, message);
  return lines;
}

test('the key, and its secret part alone, are taken out of the warning', () => {
  const [line] = logged(
    KEY,
    `Response of x: field "${KEY}" and ${KEY.slice('sk-admin-'.length)} and ${KEY.toUpperCase()}`,
  );
  expect(line).toMatch(/^Response of x: field "/);
  expect(line.toLowerCase()).not.toContain('0123456789abcdefsecret');
});

test('without a key (a proxy adds it) the warning is logged as it is, once', () => {
  expect(logged(null, 'Response of x: name must be of type string')).toEqual([
    'Response of x: name must be of type string',
  ]);
});
