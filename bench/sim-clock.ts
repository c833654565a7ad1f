/**
 * Simulated time for the benches that run a client against the emulator under its rate limits: the client's sleeps
 * and the emulator's clock read one virtual `now`, so a bench reports what a real run would wait, independent of
 * the machine.
 *
 * Sleeps overlap, as real ones do: a sleep wakes at (its start + ms), and the clock jumps to the earliest wake-up
 * only once no request is in flight and the event loop has been idle for a few turns (every call that can start has
 * started). The previous clock, `sleep = (ms) => (now += ms)`, added concurrent sleeps up: eight calls told to wait
 * 60 s for one reset moved the clock 480 s, which made bench/org.ts report 4.6–24× the floor its rate limits set.
 */
export interface SimClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Wraps a fetch so that the clock does not move while one of its requests is in flight. */
  track: (fetch: typeof globalThis.fetch) => typeof globalThis.fetch;
}

/** Idle turns of the event loop before the clock moves: enough for a woken call to reach its next request. */
const IDLE_TURNS = 3;

/**
 * A simulated clock starting at `start` (ms since the epoch).
 *
 * @example
 * ```ts
 * const clock = simClock(Date.UTC(2026, 0, 1));
 * const emu = await startEmulator({ realism: 'api', now: clock.now });
 * const admin = new OpenAIAdmin({ baseURL: emu.url, sleep: clock.sleep, now: clock.now, fetch: clock.track(fetch) });
 * ```
 */
export function simClock(start: number): SimClock {
  let now = start;
  let inFlight = 0;
  let ticking = false;
  const timers: Array<{ at: number; wake: () => void }> = [];

  const tick = () => {
    if (ticking) return;
    ticking = true;
    let idle = 0;
    const turn = () => {
      if (!timers.length) return void (ticking = false);
      if (inFlight > 0) return void ((idle = 0), setTimeout(turn, 1));
      if (++idle < IDLE_TURNS) return void setImmediate(turn);
      idle = 0;
      timers.sort((a, b) => a.at - b.at);
      now = Math.max(now, timers[0].at);
      while (timers.length && timers[0].at <= now) timers.shift()!.wake();
      setImmediate(turn);
    };
    setImmediate(turn);
  };

  return {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((wake) => {
        timers.push({ at: now + Math.max(0, ms), wake });
        tick();
      }),
    track:
      (fetch) =>
      async (...args) => {
        inFlight++;
        try {
          return await fetch(...args);
        } finally {
          inFlight--;
        }
      },
  };
}
