/**
 * Instructions per warm request, for callgrind: `valgrind --tool=callgrind node --predictable --single-threaded
 * bench/.build/bench/instructions.js KIND TASK WARM N` (KIND raw-http | admin, TASK retrieve | paginate). The bench
 * server runs in a child process, which valgrind does not follow, so only the client's work is counted. Run it
 * twice with different N: the difference over the difference in requests is the cost of one warm request, the
 * start-up and warm-up cancelling out (bench/floor-cost.sh does this). Wall time is not measured here.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { loadClient, type ClientKind } from './clients.js';
import { baseURLFor, expectedProjects, expectedRetrieves } from './common.js';

const [kind, task, warm, n] = process.argv.slice(2) as [ClientKind, 'retrieve' | 'paginate', string, string];
const server = fork(join(import.meta.dirname, 'server.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const port: number = await new Promise((resolve) => server.once('message', (m: any) => resolve(m.port)));
const ITEMS = 2_000;
const client = await loadClient(kind, baseURLFor(port, ITEMS));
const run = async (times: number) => {
  for (let i = 0; i < times; i++) {
    if (task === 'retrieve') {
      const got = await client.retrieve(100);
      if (got.checksum !== expectedRetrieves(100).checksum) throw new Error('wrong answer');
    } else {
      const got = await client.paginate(100);
      if (got.checksum !== expectedProjects(ITEMS).checksum) throw new Error('wrong answer');
    }
  }
};
await run(Number(warm));
await run(Number(n));
server.kill();
process.exit(0);
