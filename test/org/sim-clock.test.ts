/** The org bench's simulated clock (bench/sim-clock.ts): what its figures rest on. */
import { simClock } from '../../bench/sim-clock';

describe('the bench clock: simulated sleeps behave as real ones', () => {
  test('concurrent sleeps overlap: eight calls waiting 60 s for one reset move the clock 60 s, not 480 s', async () => {
    const clock = simClock(1_000);
    await Promise.all(Array.from({ length: 8 }, () => clock.sleep(60_000)));
    expect(clock.now()).toBe(61_000);
  });

  test('sleepers wake in the order of their wake-up times, each at its own time', async () => {
    const clock = simClock(0);
    const woke: Array<[string, number]> = [];
    await Promise.all([
      clock.sleep(30).then(() => woke.push(['b', clock.now()])),
      clock.sleep(10).then(() => woke.push(['a', clock.now()])),
      clock.sleep(10).then(() => clock.sleep(5).then(() => woke.push(['a2', clock.now()]))),
    ]);
    expect(woke).toEqual([
      ['a', 10],
      ['a2', 15],
      ['b', 30],
    ]);
  });

  test('the clock does not move while a tracked request is in flight', async () => {
    const clock = simClock(0);
    let release!: () => void;
    const fetch = clock.track(() => new Promise<Response>((resolve) => (release = () => resolve(new Response('')))));
    const request = fetch('http://127.0.0.1/');
    const slept = clock.sleep(1_000);
    // Let the event loop turn many times: the clock must stay put while the request is unanswered.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(clock.now()).toBe(0);
    release();
    await request;
    await slept;
    expect(clock.now()).toBe(1_000);
  });
});
