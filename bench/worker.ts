/**
 * A warm worker process for one client: loads it once, then runs tasks on request over IPC and replies with
 * the time measured inside the process (no IPC in the timing) plus the count and checksum to check.
 * Exits when the orchestrator disconnects. The admin worker also holds the bare keep-alive node:http loop
 * (`client: 'raw-http'` in a task), and runs the two interleaved run by run for the floor comparison (`paired`,
 * see run.ts's measureFloor).
 */
import { performance } from 'node:perf_hooks';
import { loadClient, type ClientKind } from './clients.js';
import { baseURLFor } from './common.js';

export interface TaskMessage {
  id: number;
  task: 'retrieve' | 'paginate' | 'usage';
  n: number;
  times?: number;
  limit?: number;
  strict?: boolean;
  /** Another client of this process than its own kind (the admin worker's raw-http loop). */
  client?: ClientKind;
  /**
   * Runs the task `runs` times with each of two clients of this process, alternating A B B A A B…, and replies
   * with each client's total time (`pairMs`); every run's answer must equal the first's, which is the one replied.
   */
  paired?: { runs: number; clients: [ClientKind, ClientKind] };
}

const [kind, port] = process.argv.slice(2) as [ClientKind, string];
const clients = new Map<string, Awaited<ReturnType<typeof loadClient>>>();
const clientFor = async (n: number, k: ClientKind = kind) => {
  let c = clients.get(`${k} ${n}`);
  if (!c) clients.set(`${k} ${n}`, (c = await loadClient(k, baseURLFor(Number(port), n))));
  return c;
};

async function run(msg: TaskMessage): Promise<void> {
  try {
    const once = async (k: ClientKind | undefined) => {
      const client = await clientFor(msg.n, k);
      const t0 = performance.now();
      const check =
        msg.task === 'retrieve'
          ? await client.retrieve(msg.times!)
          : msg.task === 'paginate'
            ? await client.paginate(msg.limit!, undefined, msg.strict)
            : await client.usageExport();
      return { ms: performance.now() - t0, ...check };
    };
    if (!msg.paired) {
      process.send!({ id: msg.id, ok: true, ...(await once(msg.client)) });
      return;
    }
    const [a, b] = msg.paired.clients;
    const pairMs = { [a]: 0, [b]: 0 };
    let first: Awaited<ReturnType<typeof once>> | undefined;
    for (let i = 0; i < 2 * msg.paired.runs; i++) {
      const k = (i + 1) % 4 < 2 ? a : b;
      const r = await once(k);
      first ??= r;
      if (r.count !== first.count || r.checksum !== first.checksum) throw new Error(`${k}: answer differs`);
      pairMs[k] += r.ms;
    }
    process.send!({ id: msg.id, ok: true, ...first, pairMs });
  } catch (error) {
    process.send!({ id: msg.id, ok: false, error: String((error as Error)?.stack ?? error) });
  }
}
process.on('message', (msg: TaskMessage) => void run(msg));
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
