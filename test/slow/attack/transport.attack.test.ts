/**
 * Decompression bombs and endless bodies against both transports, the client in a child process (bomb-client.ts)
 * so that a crash or a runaway heap cannot take the test runner down. Each case asserts the typed error, that
 * the child survived (exit 0), that its peak RSS grew by no more than about twice the limit, and that the bomb
 * was asked for once (no retry storm). The numbers are printed: they are the ones the README quotes.
 */
import { join } from 'node:path';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../../src/core/transport/transport.js';
import { run } from '../../support/processes.js';
import { GiB, MiB, startBombServer, type BombServer, type Scenario } from './bomb-server.js';

const ROOT = join(__dirname, '../../..');
const CLIENT = join(__dirname, 'bomb-client.ts');

const SCENARIOS: Record<string, Scenario> = {
  'gzip-10GiB': { decodedBytes: 10 * GiB, coding: 'gzip' },
  'br-10GiB': { decodedBytes: 10 * GiB, coding: 'br' },
  'plain-600MiB': { decodedBytes: 600 * MiB },
  'plain-600MiB-declared': { decodedBytes: 600 * MiB, contentLength: true },
  'gzip-600MiB': { decodedBytes: 600 * MiB, coding: 'gzip' },
};

let server: BombServer;
beforeAll(async () => {
  server = await startBombServer(SCENARIOS);
});
afterAll(() => server.close());

interface ChildReport {
  name: string;
  message: string;
  limit?: number;
  rssBefore: number;
  rssAfter: number;
  maxRSS: number;
}

async function attack(transport: 'node' | 'fetch', scenario: string, limit?: number) {
  const before = server.requests.get(scenario) ?? 0;
  const generatedBefore = server.generated.get(scenario) ?? 0;
  const args = [
    '--expose-gc',
    '--import',
    'tsx',
    CLIENT,
    server.url,
    transport,
    scenario,
    ...(limit ? [String(limit)] : []),
  ];
  const { code, stdout, stderr } = await run(process.execPath, args, { cwd: ROOT, timeoutMs: 150_000 });
  // The child's own verdict: exit 0 and one JSON line; a crash (ERR_STRING_TOO_LONG, out of memory) is neither.
  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport;
  const growth = Math.max(0, report.maxRSS - report.rssBefore);
  const mb = (n: number) => `${(n / MiB).toFixed(0)} MiB`;
  console.log(
    `${transport} ${scenario} (limit ${mb(limit ?? DEFAULT_MAX_RESPONSE_BYTES)}): ${report.name}; RSS before ${mb(report.rssBefore)}, ` +
      `peak ${mb(report.maxRSS)} (+${mb(growth)}), after ${mb(report.rssAfter)}; server generated ${mb((server.generated.get(scenario) ?? 0) - generatedBefore)} before the client hung up`,
  );
  expect(server.requests.get(scenario)! - before).toBe(1);
  return { ...report, growth };
}

describe.each(['node', 'fetch'] as const)('%s transport', (transport) => {
  test.each(['gzip-10GiB', 'br-10GiB', 'plain-600MiB'])(
    'a %s body stops at the default limit: ResponseTooLargeError, the process survives, peak RSS ≤ baseline + 2 × limit',
    async (scenario) => {
      const report = await attack(transport, scenario);
      expect(report.name).toBe('ResponseTooLargeError');
      expect(report.limit).toBe(DEFAULT_MAX_RESPONSE_BYTES);
      expect(report.growth).toBeLessThanOrEqual(2 * DEFAULT_MAX_RESPONSE_BYTES + 32 * MiB);
    },
  );

  test('a 600 MiB body declared in content-length is refused before reading', async () => {
    const report = await attack(transport, 'plain-600MiB-declared');
    expect(report.name).toBe('ResponseTooLargeError');
    expect(report.message).toContain(`content-length ${600 * MiB}`);
    expect(report.growth).toBeLessThanOrEqual(DEFAULT_MAX_RESPONSE_BYTES);
  });

  // Limit raised past what a string can hold: the body is read whole, then cannot become text. On main this
  // threw ERR_STRING_TOO_LONG inside a zlib callback (node:http) and killed the process.
  test.each(['plain-600MiB', 'gzip-600MiB'])(
    'a %s body under a 1 GiB limit, too long for a string, is ResponseTooLargeError and the process survives',
    async (scenario) => {
      const report = await attack(transport, scenario, GiB);
      expect(report.name).toBe('ResponseTooLargeError');
      expect(report.message).toContain('too long for a string');
    },
  );
});
