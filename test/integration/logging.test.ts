/**
 * Leveled logging (src/core/base/log.ts): logLevel, else OPENAI_ADMIN_LOG, else 'debug' with a logger and 'warn'
 * without. Debug lines carry method, path, status, duration, request id and attempt; info lines every retry and
 * rate-limit wait; the key never appears. Against a scripted node:http server on 127.0.0.1 with injected timers.
 */
import { OpenAIAdmin } from '../../src/client.js';
import { resolveLogLevel } from '../../src/core/base/log.js';
import { readEnv } from '../../src/core/base/env.js';
import { captureLogger, project, useTestServer } from '../support/http-server.js';
import { SECRET_KEY } from '../support/client.js';

const server = useTestServer();
const ok = { status: 200, headers: { 'x-request-id': 'req_ok' }, body: project('proj_1') };

function client(options: Record<string, unknown> = {}) {
  let t = 1_000;
  const logger = captureLogger() as ReturnType<typeof captureLogger> & {
    info?: (m: string) => void;
    error?: (m: string) => void;
  };
  logger.info = (message: string) => void logger.lines.push({ level: 'info' as never, message });
  logger.error = (message: string) => void logger.lines.push({ level: 'error' as never, message });
  const admin = new OpenAIAdmin({
    apiKey: SECRET_KEY,
    baseURL: server.baseURL,
    logger,
    now: () => (t += 7), // every reading 7 ms later: durations are exact
    sleep: async () => {},
    random: () => 0,
    ...options,
  });
  return { admin, logger };
}

afterEach(() => {
  delete process.env.OPENAI_ADMIN_LOG;
});

describe('what the lines say', () => {
  test('debug: one line per attempt with method, path, status, duration, operation, attempt and request id', async () => {
    server.enqueue({ status: 503, headers: { 'x-request-id': 'req_503' }, body: { error: { message: 'busy' } } }, ok);
    const { admin, logger } = client({ logLevel: 'debug' });
    await admin.projects.retrieve('proj_1');
    const debug = logger.lines.filter((l) => l.level === 'debug').map((l) => l.message);
    expect(debug).toEqual([
      'openai-admin: GET /organization/projects/proj_1 → 503 in 7 ms (retrieve-project, attempt 1, request req_503)',
      'openai-admin: GET /organization/projects/proj_1 → 200 in 7 ms (retrieve-project, attempt 2, request req_ok)',
    ]);
    expect(logger.lines.filter((l) => (l.level as string) === 'info').map((l) => l.message)).toEqual([
      'openai-admin: retrieve-project: 503 busy; retrying in 500 ms',
    ]);
  });

  test('info: every rate-limit wait, with its route, length and source', async () => {
    server.enqueue({ status: 429, body: { error: { message: 'Please try again in 20s.', type: 'requests' } } }, ok);
    const { admin, logger } = client({ logLevel: 'info' });
    await admin.projects.retrieve('proj_1');
    expect(logger.lines.map((l) => l.message)).toEqual([
      'openai-admin: GET /organization/projects/{project_id} (retrieve-project) rate limited; waiting 20000 ms (message, after a 429, attempt 1, 0 ms waited so far)',
    ]);
  });

  test('the key never appears, even when the server echoes it into errors and ids', async () => {
    server.enqueue(
      {
        status: 503,
        headers: { 'x-request-id': `req_${SECRET_KEY}` },
        body: { error: { message: `bad key ${SECRET_KEY}` } },
      },
      ok,
    );
    const { admin, logger } = client({ logLevel: 'debug' });
    await admin.projects.retrieve('proj_1');
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.all()).not.toContain(SECRET_KEY);
  });
});

describe('choosing the level', () => {
  test("'off' logs nothing, validation warnings included", async () => {
    server.enqueue({ status: 200, body: { id: 'proj_1' } });
    const { admin, logger } = client({ logLevel: 'off', validate: 'warn' });
    await admin.projects.retrieve('proj_1');
    expect(logger.lines).toEqual([]);
  });

  test("'warn' keeps validation warnings and drops debug lines", async () => {
    server.enqueue({ status: 200, body: { id: 'proj_1' } });
    const { admin, logger } = client({ logLevel: 'warn', validate: 'warn' });
    await admin.projects.retrieve('proj_1');
    expect(logger.lines.map((l) => l.level)).toEqual(['warn']);
  });

  test('OPENAI_ADMIN_LOG is used when logLevel is not given, and the option wins over it', async () => {
    process.env.OPENAI_ADMIN_LOG = 'info';
    expect(resolveLogLevel(undefined, true)).toBe(3);
    expect(resolveLogLevel('error', true)).toBe(1);
    process.env.OPENAI_ADMIN_LOG = 'DEBUG';
    expect(resolveLogLevel(undefined, false)).toBe(4);
    process.env.OPENAI_ADMIN_LOG = 'loud';
    expect(resolveLogLevel(undefined, false)).toBe(2); // unknown values are ignored, not fatal
  });

  test("defaults: 'debug' with a logger (as before), 'warn' without", () => {
    expect(resolveLogLevel(undefined, true)).toBe(4);
    expect(resolveLogLevel(undefined, false)).toBe(2);
  });

  test('a copy made with withOptions() keeps the logger and level, and can change the level', async () => {
    server.enqueue(ok, ok);
    const { admin, logger } = client({ logLevel: 'info' });
    await admin.withOptions({ timeout: 5_000 }).projects.retrieve('proj_1');
    expect(logger.lines).toEqual([]);
    await admin.withOptions({ logLevel: 'debug' }).projects.retrieve('proj_1');
    expect(logger.lines.map((l) => l.level)).toEqual(['debug']);
  });

  test('a bad logLevel is refused naming the option', () => {
    expect(() => new OpenAIAdmin({ apiKey: SECRET_KEY, logLevel: 'verbose' as never })).toThrow(/logLevel must be/);
  });

  test('an environment that denies reads (Deno without --allow-env) is survived', () => {
    const original = Object.getOwnPropertyDescriptor(process, 'env')!;
    Object.defineProperty(process, 'env', {
      configurable: true,
      get() {
        throw new Error('NotCapable: Requires env access');
      },
    });
    try {
      expect(readEnv('OPENAI_ADMIN_LOG')).toEqual({ value: undefined, denied: true });
      expect(resolveLogLevel(undefined, false)).toBe(2);
    } finally {
      Object.defineProperty(process, 'env', original);
    }
  });
});
