/**
 * The node:http transport skips `new URL` per request (node-transport.ts's urlTargets): whatever it takes apart must
 * be exactly what node:http would have made of the URL itself (`url.urlToHttpOptions(new URL(url))`), and anything it
 * cannot take apart exactly is left to node:http.
 */
import fc from 'fast-check';
import { urlToHttpOptions } from 'node:url';
import { parseOrigin, plainPath, urlTargets, type URLTarget } from '../../../src/core/transport/node-transport.js';

/** What node:http makes of a URL string: the fields of it that a ClientRequest reads. */
function nodeReading(url: string): URLTarget {
  const o = urlToHttpOptions(new URL(url));
  return {
    protocol: o.protocol!,
    hostname: o.hostname!,
    port: o.port === undefined ? undefined : Number(o.port),
    path: o.path!,
  };
}

describe('urlTargets: a URL taken apart without new URL', () => {
  test.each([
    'http://127.0.0.1:4010/v1/organization/projects/proj_00000042',
    'https://api.openai.com/v1/organization/projects?limit=100&after=proj_abc',
    'http://localhost:8080/v1/organization/usage/completions?start_time=1&group_by=model&group_by=project_id',
    'http://[::1]:9000/v1/organization/audit_logs?effective_at[gte]=1&event_types[]=api_key.created',
    'https://api.openai.com/v1/organization/users/user%20%C3%A9?x=a%2Fb',
    'http://127.0.0.1:4010//double//slashes',
    'http://127.0.0.1:4010/v1/a.b/c..d?q=.&r=..',
  ])('%s: the same protocol, hostname, port and path node:http would use', (url) => {
    expect(urlTargets()(url)).toEqual(nodeReading(url));
  });

  test.each([
    ['userinfo', 'http://user:pass@127.0.0.1:4010/v1/x'],
    ['a capital in the host', 'http://LOCALHOST:4010/v1/x'],
    ['a default port written out', 'https://api.openai.com:443/v1/x'],
    ['a backslash before the path', 'http://127.0.0.1:4010\\v1/x'],
    ['a dot segment', 'http://127.0.0.1:4010/v1/../x'],
    ['a percent-encoded dot segment', 'http://127.0.0.1:4010/v1/%2E%2e/x'],
    ['a single dot segment', 'http://127.0.0.1:4010/v1/./x'],
    ["a ' in the query (percent-encoded in special URLs' queries)", "http://127.0.0.1:4010/v1/x?q=it's"],
    ['a trailing ? (an empty query is dropped)', 'http://127.0.0.1:4010/v1/x?'],
    ['a fragment', 'http://127.0.0.1:4010/v1/x#frag'],
    ['a space', 'http://127.0.0.1:4010/v1/x y'],
    ['a tab (removed by the URL parser)', 'http://127.0.0.1:4010/v1/x\ty'],
    ['a non-ASCII character', 'http://127.0.0.1:4010/v1/é'],
    ['another scheme', 'ftp://127.0.0.1/v1/x'],
    ['no path', 'http://127.0.0.1:4010'],
    ['no scheme', '127.0.0.1:4010/v1/x'],
  ])('%s: left to node:http', (_what, url) => {
    expect(urlTargets()(url)).toBeUndefined();
  });

  test('a second origin is parsed afresh and the first is parsed again when it comes back', () => {
    const targets = urlTargets();
    const a = 'http://127.0.0.1:4010/v1/a';
    const b = 'https://api.openai.com/v1/b';
    const c = 'http://127.0.0.1:40100/v1/c'; // starts with the first origin's text, but its port is another
    for (const url of [a, b, a, c, a]) expect(targets(url)).toEqual(nodeReading(url));
  });

  test('an origin written unusually is remembered as such: its URLs keep going to node:http whole', () => {
    const targets = urlTargets();
    expect(targets('http://LOCALHOST:4010/v1/a')).toBeUndefined();
    expect(targets('http://LOCALHOST:4010/v1/b')).toBeUndefined();
    expect(targets('http://localhost:4010/v1/b')).toEqual(nodeReading('http://localhost:4010/v1/b'));
  });

  test('parseOrigin names the origin as written and what node:http needs of it', () => {
    expect(parseOrigin('http://[::1]:9000/x')).toEqual({
      prefix: 'http://[::1]:9000',
      origin: { protocol: 'http:', hostname: '::1', port: 9000 },
    });
    expect(parseOrigin('https://api.openai.com/v1')?.origin).toEqual({
      protocol: 'https:',
      hostname: 'api.openai.com',
      port: undefined,
    });
    expect(parseOrigin('http://a b/x')).toEqual({ prefix: 'http://a b', origin: undefined });
  });

  test('plainPath keeps what new URL keeps and nothing else', () => {
    expect(plainPath('/v1/x?a=1&b=%20')).toBe('/v1/x?a=1&b=%20');
    expect(plainPath('v1/x')).toBeUndefined();
    expect(plainPath('/v1/x"')).toBeUndefined();
    expect(plainPath('/v1/{x}')).toBeUndefined();
  });
});

describe('urlTargets, for any path and query (fast-check, fixed seed)', () => {
  // Characters new URL treats specially, with plain ones, so that both outcomes are common.
  const piece = fc.constantFrom(
    ...['a', 'Z', '0', '_', '-', '~', '.', '..', '/', '/.', '/..', '%2e', '%2E', '%', '%41', '?', '#', "'", '"'],
    ...[' ', '\t', '\n', '\\', '@', ':', ';', '!', '$', '&', '(', ')', '*', '+', ',', '=', '[', ']', '{', '}', '|'],
    ...['^', '`', '<', '>', 'é', '😀', '\u0000', '\u007f'],
  );
  const rest = fc.array(piece, { maxLength: 16 }).map((parts) => `/${parts.join('')}`);
  const origin = fc.constantFrom('http://127.0.0.1:4010', 'https://api.openai.com', 'http://[::1]:9000');

  test('whenever a URL is taken apart, it is taken apart exactly as node:http would', () => {
    let taken = 0;
    let left = 0;
    fc.assert(
      fc.property(origin, rest, (o, r) => {
        const url = o + r;
        const target = urlTargets()(url);
        if (target === undefined) left++;
        else {
          taken++;
          expect(target).toEqual(nodeReading(url));
        }
      }),
      { numRuns: 3000, seed: 20 },
    );
    // Both branches were exercised: the property says something about each.
    expect(taken).toBeGreaterThan(100);
    expect(left).toBeGreaterThan(100);
  });
});
