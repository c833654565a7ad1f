/**
 * A client wired to a test server with injected sleep/clock/random and a capturing logger, so retry tests
 * assert exact waits and never really sleep.
 */
import { OpenAIAdmin } from '../../src/client.js';
import type { ClientOptions } from '../../src/core/config/config.js';
import { captureLogger, fakeTimers, type TestServer } from './http-server.js';

/** A key that must never show up anywhere printable. */
export const SECRET_KEY = 'sk-admin-SECRET-abcdef123456';

export function testClient(
  server: TestServer,
  options: ClientOptions = {},
  timerOptions: { now?: number; random?: number } = {},
) {
  const timers = fakeTimers(timerOptions);
  const logger = captureLogger();
  const admin = new OpenAIAdmin({
    apiKey: SECRET_KEY,
    baseURL: server.baseURL,
    sleep: timers.sleep,
    now: timers.now,
    random: timers.random,
    logger,
    ...options,
  });
  return { admin, timers, logger };
}

/** The rejection of a promise, failing the test when it resolves. */
export async function rejectionOf(promise: PromiseLike<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** The error a call throws, failing the test when it returns: asserts on it cannot be skipped (unlike a catch block). */
export function thrownBy(fn: () => unknown): any {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}

/** The friendly method (bound to its resource) for a dotted name such as 'projects.users.roles.assign'; throws when there is none. */
export function resolveFriendly(admin: OpenAIAdmin, friendly: string): (...args: unknown[]) => any {
  const parts = friendly.split('.');
  let owner: any = admin;
  for (const part of parts.slice(0, -1)) {
    owner = owner?.[part];
    if (!owner) throw new Error(`admin.${friendly}: no "${part}" on the client`);
  }
  const fn = owner[parts[parts.length - 1]];
  if (typeof fn !== 'function') throw new Error(`admin.${friendly} is not a function`);
  return fn.bind(owner);
}

/**
 * Runs `run` with freshly loaded client modules (jest.isolateModulesAsync: the transport is chosen at construction)
 * while `process.getBuiltinModule` is replaced by `getBuiltinModule` and the global fetch records each URL it is
 * called with; both are restored afterwards, whatever happens. Resolves to the recorded URLs.
 */
export async function globalFetchCalls(
  getBuiltinModule: unknown,
  run: (Fresh: typeof OpenAIAdmin) => Promise<void>,
): Promise<string[]> {
  const realGet = process.getBuiltinModule;
  const realFetch = globalThis.fetch;
  const calls: string[] = [];
  try {
    // Stays replaced during the call: the node transport, if chosen, would load its modules then.
    (process as { getBuiltinModule?: unknown }).getBuiltinModule = getBuiltinModule;
    globalThis.fetch = ((url: string, init: RequestInit) => (
      calls.push(String(url)),
      realFetch(url, init)
    )) as typeof fetch;
    await jest.isolateModulesAsync(async () => {
      const { OpenAIAdmin: Fresh } = await import('../../src/client.js');
      await run(Fresh);
    });
  } finally {
    (process as { getBuiltinModule?: unknown }).getBuiltinModule = realGet;
    globalThis.fetch = realFetch;
  }
  return calls;
}
