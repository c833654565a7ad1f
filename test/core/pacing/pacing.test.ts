/**
 * A route's learned rate (RouteState, src/core/pacing/pacing.ts) as a pure state machine on explicit times: how it learns,
 * how it probes upward after PROBE_AFTER_FULL_WINDOWS full windows, and how a 429 in a paced or probing window
 * brings it back. The integration tests (scheduler-probing.test.ts) drive the same through a real server.
 */
import { listProjectApiKeys } from '../../../generated/operations.gen.js';
import { backoffMs, PROBE_AFTER_FULL_WINDOWS, RouteState } from '../../../src/core/pacing/pacing.js';

const PERIOD = 6_000;
const N = PROBE_AFTER_FULL_WINDOWS;

/** A route that learned `capacity` per PERIOD: first 429 at t=0 (reset at PERIOD), then a measured window. */
function learned(capacity: number): { route: RouteState; t: number } {
  const route = new RouteState(listProjectApiKeys);
  route.limited(0, PERIOD, 'message', 0);
  const t = PERIOD;
  for (let i = 0; i < capacity; i++) {
    expect(route.admit(t)).toBe(0);
    route.success(route.epoch);
  }
  expect(route.admit(t)).toBe(0);
  route.limited(t, PERIOD, 'message', route.epoch); // the window's reset: PERIOD after its start
  expect(route.capacity).toBe(capacity);
  return { route, t: t + PERIOD };
}

/** Runs one window from `t`: admits until the route says wait, answers `ok` of them with success. */
function window(route: RouteState, t: number, ok = Infinity): { admitted: number; next: number } {
  let admitted = 0;
  let wait: number;
  while ((wait = route.admit(t)) === 0) {
    admitted++;
    if (admitted <= ok) route.success(route.epoch);
    if (admitted > 100) throw new Error('the route never said wait');
  }
  return { admitted, next: t + wait };
}

describe('a learned rate probes upward', () => {
  test(`after ${N} full windows the route admits one more per window, and keeps adding one while they succeed`, () => {
    const { route, t: start } = learned(5);
    let t = start;
    const admitted: number[] = [];
    for (let i = 0; i < N + 3; i++) {
      const w = window(route, t);
      admitted.push(w.admitted);
      t = w.next;
    }
    expect(admitted).toEqual([...Array(N).fill(5), 6, 7, 8]);
    expect(route.capacity).toBe(7); // the third probe (8) is confirmed when its window runs out
    expect(window(route, t).admitted).toBe(9);
    expect(route.capacity).toBe(8);
  });

  test('a refused probe puts the estimate back, leaves the margin alone, and probing waits another N windows', () => {
    const { route, t: start } = learned(10);
    let t = start;
    const slack = route.slackMs;
    for (let i = 0; i < N; i++) t = window(route, t).next;
    // The probe window: 11 admitted, the server lets 10 through and refuses the 11th.
    for (let i = 0; i < 11; i++) expect(route.admit(t)).toBe(0);
    for (let i = 0; i < 10; i++) route.success(route.epoch);
    route.limited(t + 100, PERIOD - 100, 'message', route.epoch);
    expect(route.capacity).toBe(10);
    expect(route.slackMs).toBe(slack);
    expect(route.fullWindows).toBe(0);
    t += PERIOD;
    const admitted: number[] = [];
    for (let i = 0; i < N + 1; i++) {
      const w = window(route, t);
      admitted.push(w.admitted);
      t = w.next;
    }
    expect(admitted).toEqual([...Array(N).fill(10), 11]);
  });

  test('a refused probe whose successes come back after its 429 (parallel calls) still keeps the estimate', () => {
    const { route, t: start } = learned(10);
    let t = start;
    for (let i = 0; i < N; i++) t = window(route, t).next;
    for (let i = 0; i < 11; i++) expect(route.admit(t)).toBe(0);
    const probeEpoch = route.epoch;
    for (let i = 0; i < 3; i++) route.success(probeEpoch);
    route.limited(t + 100, PERIOD - 100, 'message', probeEpoch); // the 429 overtakes 7 successes
    expect(route.capacity).toBe(3);
    for (let i = 0; i < 7; i++) route.success(probeEpoch);
    expect(route.capacity).toBe(10);
    // Credit stops at what the window can have let through: one of its 11 was refused.
    route.success(probeEpoch);
    expect(route.capacity).toBe(10);
  });

  test('a window the demand does not fill starts the count over', () => {
    const { route, t: start } = learned(5);
    let t = start;
    for (let i = 0; i < N; i++) t = window(route, t).next;
    expect(route.admit(t)).toBe(0); // a window is judged when the next starts: this one may start 6…
    expect(route.windowCapacity()).toBe(6);
    route.success(route.epoch); // …but the demand is one request
    t += PERIOD + route.slackMs;
    expect(window(route, t).admitted).toBe(5);
    expect(route.capacity).toBe(5);
    expect(route.fullWindows).toBe(0);
  });

  test('a window whose requests are not all answered with success is not full', () => {
    const { route, t: start } = learned(5);
    let t = start;
    for (let i = 0; i < N - 1; i++) t = window(route, t).next;
    t = window(route, t, 4).next; // one failed otherwise (not a 429)
    expect(window(route, t).admitted).toBe(5);
    expect(route.fullWindows).toBe(0);
  });

  test('a 429 in a paced window that was not probing lowers the estimate to what got through and widens the margin', () => {
    const { route, t: start } = learned(10);
    let t = start;
    const slack = route.slackMs;
    t = window(route, t).next;
    for (let i = 0; i < 10; i++) expect(route.admit(t)).toBe(0);
    for (let i = 0; i < 7; i++) route.success(route.epoch);
    route.limited(t + 50, PERIOD - 50, 'message', route.epoch);
    expect(route.capacity).toBe(7);
    expect(route.slackMs).toBe(slack * 2);
    expect(route.fullWindows).toBe(0);
  });
});

describe('the floor under rate-limit waits (issue 21)', () => {
  /** A 429 as Pacer.limited records it: the strike first (its floor), then the wait on the route. */
  function refuse(route: RouteState, t: number, epoch: number, claimedMs = 1): number {
    const wait = Math.max(claimedMs, route.strike(epoch));
    route.limited(t, wait, 'header', epoch);
    return wait;
  }

  test('backoff: 1 s doubling, 60 s at most', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(backoffMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  test('rises once per round: the 429s to requests sent before the last 429 are the same round', () => {
    const route = new RouteState(listProjectApiKeys);
    expect(refuse(route, 0, -1)).toBe(1_000); // the route's first 429 (requests untracked until now)
    expect(refuse(route, 0, -1)).toBe(1_000); // a concurrent request of the same round
    expect(route.strikes).toBe(1);
    expect(route.admit(1_000)).toBe(0);
    expect(refuse(route, 1_000, route.epoch)).toBe(2_000); // sent after the first round: a new one
    expect(refuse(route, 1_000, route.epoch - 1)).toBe(2_000);
    expect(route.strikes).toBe(2);
  });

  test('a wait the server states above the floor is the wait', () => {
    const route = new RouteState(listProjectApiKeys);
    expect(refuse(route, 0, -1, 20_000)).toBe(20_000);
    expect(route.blockedUntil).toBe(20_000);
  });

  test('after two fruitless rounds the route lets one request through per floor; a success ends the hold and the floor', () => {
    const route = new RouteState(listProjectApiKeys);
    refuse(route, 0, -1);
    expect(route.admit(1_000)).toBe(0);
    expect(route.admit(1_000)).toBe(0); // one fruitless round: the window after it is open to all
    refuse(route, 1_000, route.epoch);
    expect(route.admit(2_999)).toBe(1);
    expect(route.admit(3_000)).toBe(0); // the probe
    expect(route.admit(3_000)).toBe(2_000); // the others wait a floor behind it
    expect(route.blockSource).toBe('estimate');
    route.success(route.epoch);
    expect(route.strikes).toBe(0);
    expect(route.admit(3_001)).toBe(0);
    expect(route.admit(3_001)).toBe(0);
    expect(refuse(route, 3_002, route.epoch)).toBe(1_000); // the floor started over
  });

  test('a success after one round leaves a block the server set in place', () => {
    const route = new RouteState(listProjectApiKeys);
    refuse(route, 0, -1, 5_000);
    route.success(-1);
    expect(route.strikes).toBe(0);
    expect(route.admit(1_000)).toBe(4_000);
  });

  test('a refused probe raises the floor again, up to 60 s', () => {
    const route = new RouteState(listProjectApiKeys);
    let t = 0;
    const waits = [refuse(route, t, -1)];
    for (let i = 0; i < 8; i++) {
      t += waits.at(-1)!;
      expect(route.admit(t)).toBe(0);
      waits.push(refuse(route, t, route.epoch));
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });
});
