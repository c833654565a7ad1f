/**
 * The fan-out task of issue 11, one run per fresh process (a fresh client: nothing learned beforehand):
 * list the first page of API keys of N projects against the rate-limited server (C requests per P ms per route,
 * 429s stating the wait only in the message), sequentially or with Promise.all. Prints one JSON line:
 * { ms, completed, errors, errorNames }.
 *
 *   node fanout.js <admin|openai> <port> <sequential|parallel> <N> <C> <P>
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { API_KEY, projectId } from './common.js';
import { loadOpenAI } from './openai-package.js';

const [kind, port, mode, n, capacity, periodMs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const N = Number(n);
const baseURL = `http://127.0.0.1:${port}/rl/${capacity}/${periodMs}/n/${N}/v1`;
const ids = Array.from({ length: N }, (_, i) => projectId(i));

async function lister(): Promise<(id: string) => Promise<string | undefined>> {
  if (kind === 'admin') {
    const { OpenAIAdmin } = await import(join(import.meta.dirname, '..', 'src', 'index.js'));
    const admin = new OpenAIAdmin({ apiKey: API_KEY, baseURL });
    return async (id) => (await admin.projects.apiKeys.list(id)).data[0]?.id;
  }
  // The official SDK, defaults as a user gets them (maxRetries 2, its own backoff).
  const OpenAI = await loadOpenAI();
  const client = new OpenAI({ adminAPIKey: API_KEY, apiKey: null, baseURL });
  return async (id) => (await client.admin.organization.projects.apiKeys.list(id)).data[0]?.id;
}

const list = await lister();
let completed = 0;
const errorNames: Record<string, number> = {};
const one = async (id: string) => {
  try {
    if ((await list(id)) === `key_${id}`) completed++;
  } catch (error) {
    const name = (error as Error)?.constructor?.name ?? 'Error';
    errorNames[name] = (errorNames[name] ?? 0) + 1;
  }
};
const t0 = performance.now();
if (mode === 'sequential') for (const id of ids) await one(id);
else await Promise.all(ids.map(one));
const ms = performance.now() - t0;
console.log(
  JSON.stringify({ ms, completed, errors: Object.values(errorNames).reduce((a, b) => a + b, 0), errorNames }),
);
