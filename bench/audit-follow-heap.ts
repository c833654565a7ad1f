/**
 * `npx tsx bench/audit-follow-heap.ts [polls]`: the heap of `audit-logs tail --follow` over many empty polls
 * (issue 21 §8: it used to add an abort listener per poll and never remove it). The real poll loop and the real
 * abortable sleep (src/cli/workflows/audit-tail.ts), with timers that fire on the next turn instead of after the
 * interval and a poll that answers "nothing new" at once, so 100,000 polls take seconds. Heap after a full GC at
 * 1,000 polls, 10,000 and the end; the target: under 0.5 MB of growth from 1,000 to the end. The pre-fix
 * sleep (one listener per wait) is measured beside it, for 10,000 polls only (EventTarget's duplicate check makes
 * each add cost O(listeners): 100,000 would take minutes). Exits 1 when the target is missed.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sleepUnlessAborted, tailLoop, type Timers } from '../src/cli/workflows/audit-tail.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 2 ** 20;
const TARGET_MB = 0.5;
const polls = Number(process.argv[2] ?? 100_000);

const nextTurn: Timers = { set: (fn) => setImmediate(fn), clear: (t) => clearImmediate(t as NodeJS.Immediate) };
/** The sleep before the fix, for comparison: its abort listener stays after the timer fires. */
const leakySleep = (_ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setImmediate(resolve);
    signal.addEventListener('abort', () => (clearImmediate(timer), resolve()), { once: true });
  });

async function heapOver(total: number, sleep: (ms: number, signal: AbortSignal) => Promise<void>) {
  const stop = new AbortController();
  const heap = new Map<number, number>();
  let n = 0;
  await tailLoop({
    poll: async (previous) => {
      n++;
      if (n === 1_000 || n === 10_000 || n === total) {
        gc();
        heap.set(n, process.memoryUsage().heapUsed / MB);
      }
      if (n === total) stop.abort();
      return { events: [], checkpoint: previous };
    },
    deliver: () => Promise.reject(new Error('no events in this bench')),
    checkpoint: null,
    follow: true,
    max: undefined,
    start: 5,
    signal: stop.signal,
    sleep,
    debug: () => undefined,
  });
  return heap;
}

process.removeAllListeners('warning'); // the leaky variant warns after 11 polls; that is the point
const fixed = await heapOver(polls, (ms, signal) => sleepUnlessAborted(ms, signal, nextTurn));
const leaky = await heapOver(10_000, leakySleep);
const fmt = (m: Map<number, number>) =>
  [...m].map(([k, v]) => `${k.toLocaleString('en')}: ${v.toFixed(2)} MB`).join(', ');
const growth = fixed.get(polls)! - fixed.get(1_000)!;
console.log(`audit-logs tail --follow, heap after GC — fixed: ${fmt(fixed)} (growth ${growth.toFixed(3)} MB)`);
console.log(`                                      pre-fix sleep: ${fmt(leaky)}`);
console.log(growth < TARGET_MB ? `target met (< ${TARGET_MB} MB)` : `TARGET MISSED (≥ ${TARGET_MB} MB)`);
process.exitCode = growth < TARGET_MB ? 0 : 1;
