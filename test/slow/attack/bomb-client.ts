/**
 * The client under attack, run in a child process by transport.attack.test.ts so that a crash or a runaway heap
 * takes down only this process. Usage: `node --expose-gc --import tsx bomb-client.ts <baseURL> <node|fetch>
 * <scenario> [maxResponseBytes]`. Prints one JSON line: the error's name and message, and memory in bytes.
 * Exits 0 once the call has settled, whatever its outcome; anything else means the process died.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { OpenAIAdmin } from '../../../src/index.js';

// The peak is measured from the baseline on. getrusage's maxRSS cannot be: Linux carries it across exec, so it
// starts at the RSS of the jest worker this process was forked from (168 MiB in a full run, whatever this child
// did). The mm's own high-water mark (VmHWM) is fresh after exec, and writing 5 to clear_refs resets it to now.
const resetPeak = (): void => {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux: maxRSS below is the fallback, an upper bound.
  }
};
const peakRSS = (): number => {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
};

const [baseURL, transport, scenario, limit] = process.argv.slice(2);
const admin = new OpenAIAdmin({
  apiKey: 'sk-admin-attack-0000',
  baseURL: baseURL,
  fetch: transport === 'fetch' ? globalThis.fetch : undefined,
  timeout: 120_000,
  ...(limit ? { maxResponseBytes: Number(limit) } : {}),
});

// One small call first, so the transport and its modules are loaded before the baseline is taken.
await admin.projects.retrieve('warm-up');
(globalThis as { gc?: () => void }).gc?.();
const rssBefore = process.memoryUsage().rss;
resetPeak();
let outcome: { name: string; message: string; limit?: number };
try {
  await admin.projects.retrieve(scenario);
  outcome = { name: 'resolved', message: '' };
} catch (error) {
  const e = error as Error & { limit?: number };
  outcome = { name: e.name, message: e.message, limit: e.limit };
}
const rssAfter = process.memoryUsage().rss;
const maxRSS = peakRSS();
console.log(JSON.stringify({ ...outcome, rssBefore, rssAfter, maxRSS }));
