/**
 * The key scrub on hostile error bodies (issue 21 §5), in a fresh `node` process: a 16 MB body that once cost about
 * a minute (one character repeated), or overflowed the regex stack (a base64-alphabet run), or nests encodings as
 * deep as the scrub follows them ('V' decodes to 'U' at every base64 offset), each the body of a 500 that the client
 * turns into an error (parse, scrub of message, stack and body). Prints one JSON line: the slowest body's time and
 * its throughput, and each body's.
 *   node scrub.js [MB]
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';

const MB = Number(process.argv[2] ?? 16);
const SIZE = MB * 1024 * 1024;
const KEY = 'sk-admin-BENCH-0123456789abcdefXYZ';

function base64Run(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const chars = new Array<string>(length);
  for (let i = 0, seed = 21; i < length; i++) chars[i] = alphabet[(seed = (seed * 1103515245 + 12345) >>> 0) >>> 26];
  return chars.join('');
}
const BODIES: Record<string, () => string> = {
  'one character': () => 'a'.repeat(SIZE),
  'base64 run': () => base64Run(SIZE),
  'nested encodings': () => 'V'.repeat(SIZE),
};

const { OpenAIAdmin } = await import(join(import.meta.dirname, '..', 'src', 'index.js'));
const results: Record<string, number> = {};
for (const [name, make] of Object.entries(BODIES)) {
  const text = JSON.stringify({ error: { message: make(), type: 'server_error' } });
  const admin = new OpenAIAdmin({
    apiKey: KEY,
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    fetch: async () => new Response(text, { status: 500, headers: { 'content-type': 'application/json' } }),
  });
  const t0 = performance.now();
  const error = await admin.projects.retrieve('proj_1').then(
    () => undefined,
    (e: unknown) => e,
  );
  results[name] = performance.now() - t0;
  if ((error as { status?: number } | undefined)?.status !== 500) throw new Error(`${name}: no 500 error: ${error}`);
}
const worst = Math.max(...Object.values(results));
process.stdout.write(`${JSON.stringify({ mb: MB, ms: worst, mbPerSec: MB / (worst / 1000), bodies: results })}\n`);
