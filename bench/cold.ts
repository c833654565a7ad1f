/**
 * One cold start, in a fresh `node` process: import the client, construct it, make the first request
 * (retrieve a project). Prints one JSON line: the in-script time (import + construct + first request) and the
 * time since the process started (adds Node's own bootstrap, the same for every client).
 *   node cold.js <raw|admin|openai> <port>
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { API_KEY, PROJECT_EPOCH, baseURLFor } from './common.js';
import { loadOpenAI } from './openai-package.js';

const [kind, port] = process.argv.slice(2);
const baseURL = baseURLFor(Number(port), 1000);
const t0 = performance.now();
let created: number;
if (kind === 'admin') {
  const { OpenAIAdmin } = await import(join(import.meta.dirname, '..', 'src', 'index.js'));
  const admin = new OpenAIAdmin({ apiKey: API_KEY, baseURL });
  created = (await admin.projects.retrieve('proj_00000042')).created_at;
} else if (kind === 'openai') {
  const OpenAI = await loadOpenAI();
  const client = new OpenAI({ adminAPIKey: API_KEY, apiKey: null, baseURL });
  created = (await client.admin.organization.projects.retrieve('proj_00000042')).created_at;
} else {
  const res = await fetch(`${baseURL}/organization/projects/proj_00000042`, {
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  created = (await res.json()).created_at;
}
const t1 = performance.now();
if (created !== PROJECT_EPOCH + 42) throw new Error(`wrong answer ${created}`);
process.stdout.write(
  `${JSON.stringify({ ms: t1 - t0, sinceProcessStart: t1, rssMB: process.memoryUsage.rss() / 2 ** 20 })}\n`,
);
// Keep-alive sockets would hold the process open.
process.exit(0);
