/**
 * A warm worker process for one client: loads it once, then runs tasks on request over IPC and replies with
 * the time measured inside the process (no IPC in the timing) plus the count and checksum to check.
 * Exits when the orchestrator disconnects. The admin worker also holds the bare keep-alive node:http loop
 * (`client: 'raw-http'` in a task): the floor comparison runs both in one process, back to back (run.ts).
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
  /** Runs of the task timed as one sample (each run's answer checked against the first's). */
  repeat?: number;
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
    const client = await clientFor(msg.n, msg.client);
    const once = () =>
      msg.task === 'retrieve'
        ? client.retrieve(msg.times!)
        : msg.task === 'paginate'
          ? client.paginate(msg.limit!, undefined, msg.strict)
          : client.usageExport();
    const t0 = performance.now();
    const check = await once();
    for (let r = 1; r < (msg.repeat ?? 1); r++) {
      const again = await once();
      if (again.count !== check.count || again.checksum !== check.checksum) throw new Error(`run ${r + 1} differs`);
    }
    const ms = performance.now() - t0;
    process.send!({ id: msg.id, ok: true, ms, ...check });
  } catch (error) {
    process.send!({ id: msg.id, ok: false, error: String((error as Error)?.stack ?? error) });
  }
}
process.on('message', (msg: TaskMessage) => void run(msg));
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
