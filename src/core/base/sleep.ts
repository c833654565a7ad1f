import { APIUserAbortError } from './errors.js';

/** Sleeps `ms` on the given (injectable) sleep; an abort before, during or after it throws APIUserAbortError. */
export async function sleepOrAbort(
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
) {
  if (signal?.aborted) throw new APIUserAbortError();
  await sleep(ms, signal);
  if (signal?.aborted) throw new APIUserAbortError();
}

/** Default sleep: a timer that an AbortSignal cuts short. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
