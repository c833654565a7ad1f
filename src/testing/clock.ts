/** A clock that moves only when a test moves it: the emulator's `now` option (and anything else that takes one). */
export interface ManualClock {
  /** The time in ms since the epoch; pass it as `now` (it is bound, so `clock.now` works unbound). */
  readonly now: () => number;
  /** Moves the clock forward by `ms` (never backward: a negative step is a RangeError) and returns the new time. */
  advance(ms: number): number;
  /** Sets the clock to `ms`, which must not be before the current time (the emulator's windows assume time only grows). */
  set(ms: number): number;
}

/**
 * A hand-moved clock for the emulator: every timing the emulator has (new objects' dates, "now" for usage and costs,
 * rate-limit windows, read-after-write, usage revisions and late costs) reads it, so a test moves time instantly and
 * asserts no duration.
 *
 * @example
 * ```ts
 * const clock = manualClock(Date.UTC(2026, 10, 30));
 * const emu = await startEmulator({ realism: 'api', now: clock.now });
 * clock.advance(15 * 60_000); // a quarter of an hour later: the minute buckets read before are final now
 * ```
 */
export function manualClock(startMs: number): ManualClock {
  if (!Number.isFinite(startMs)) throw new RangeError(`manualClock needs a finite start time in ms (got ${startMs})`);
  let time = startMs;
  const set = (ms: number) => {
    if (!Number.isFinite(ms) || ms < time)
      throw new RangeError(`the clock only moves forward: ${ms} is before ${time} (or not a number)`);
    return (time = ms);
  };
  return { now: () => time, advance: (ms: number) => set(time + ms), set };
}
