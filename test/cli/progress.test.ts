/**
 * Issue 17 §2 with the real bin: `keys stale` over 12 rate-limited projects shows, on a terminal, one updating
 * stderr line with done/total and the rate-limit wait the client is sitting out (told through its public
 * onRateLimit hook), erased at the end; --quiet draws nothing; in a pipe stderr stays empty. The emulator's
 * per-route budget (4 calls in 2.5 s) makes the 12 api_keys calls wait: a count of calls, not a timing.
 */
import { cleanEnv, runBin, runBinInSizedPty, screenText, useCliFixture } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-CLITEST-progress-5a0c7d13';
const fx = useCliFixture(KEY, {
  seed: 'cli-progress',
  projects: 12,
  realism: 'api',
  rateLimit: { requests: 4, windowMs: 2_500 },
});
const env = () => cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url });

test('on a terminal: done/total and the current wait on one line, erased before the table', async () => {
  const r = await runBinInSizedPty(fx.bundle.bin, ['keys', 'stale', '--days', '1'], env(), { cols: 100, rows: 40 });
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('\r\x1b[2K0/12 projects checked…');
  // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence is what is checked
  expect(r.stdout).toMatch(/\r\x1b\[2K\d+\/12 projects checked… · waiting [\d.]+ s: GET …\/api_keys is rate limited/);
  expect(r.stdout).toContain('12/12 projects; admin keys…');
  // What stays on the screen: the title and the table, no progress text.
  const screen = screenText(r.stdout);
  expect(screen).not.toContain('projects checked');
  expect(screen).not.toContain('rate limited');
  expect(screen).toMatch(/^Keys unused for 1\+ days or never used: \d+/m);
  // Every progress line fits the terminal (a wrapped line could not be erased).
  for (const drawn of r.stdout.split('\r\x1b[2K').slice(1)) expect([...drawn.split('\n')[0]].length).toBeLessThan(100);
});

test('--quiet draws no progress line; in a pipe stderr stays empty', async () => {
  const quiet = await runBinInSizedPty(fx.bundle.bin, ['keys', 'stale', '--quiet'], env(), { cols: 100, rows: 40 });
  expect(quiet.code).toBe(0);
  expect(quiet.stdout).not.toContain('\x1b[2K');
  expect(quiet.stdout).not.toContain('rate limited');
  const piped = await runBin(fx.bundle.bin, ['keys', 'stale', '--csv'], { env: env() });
  expect(piped.code).toBe(0);
  expect(piped.stderr).toBe('');
  expect(piped.stdout.split('\r\n')[0]).toMatch(/^kind,project,/);
});
