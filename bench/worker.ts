/**
 * A warm worker process for one client: loads it once, then runs tasks on request over IPC and replies with
 * the time measured inside the process (no IPC in the timing) plus the count and checksum to check.
 * Exits when the orchestrator disconnects.
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
}

const [kind, port] = process.argv.slice(2) as [ClientKind, string];
const clients = new Map<number, Awaited<ReturnType<typeof loadClient>>>();
const clientFor = async (n: number) => {
  let c = clients.get(n);
  if (!c) clients.set(n, (c = await loadClient(kind, baseURLFor(Number(port), n))));
  return c;
};

async function run(msg: TaskMessage): Promise<void> {
  try {
    const client = await clientFor(msg.n);
    const t0 = performance.now();
    const check =
      msg.task === 'retrieve'
        ? await client.retrieve(msg.times!)
        : msg.task === 'paginate'
          ? await client.paginate(msg.limit!, undefined, msg.strict)
          : await client.usageExport();
    const ms = performance.now() - t0;
    process.send!({ id: msg.id, ok: true, ms, ...check });
  } catch (error) {
    process.send!({ id: msg.id, ok: false, error: String((error as Error)?.stack ?? error) });
  }
}
process.on('message', (msg: TaskMessage) => void run(msg));
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
