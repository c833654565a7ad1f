/**
 * Upstream drift report (never fails on drift): the same realistic call per curated operation, sent by the client
 * to Prism serving the admin subset of the upstream OpenAI spec. Anything upstream disagrees with — a route it
 * lacks, a request it rejects, a violation it reports, a response our strict validation rejects, operations only
 * upstream has — is printed in the CI log and written to test-results/upstream-drift.txt.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAIAdmin, ResponseValidationError } from '../../../src/index';
import { operations as specOperations } from '../../../scripts/lib/spec';
import { ROOT } from '../../support/paths';
import { startPrism, type Prism } from '../support/prism';
import { exampleCalls, invoke } from '../../support/example-calls';
import { writeUpstreamSubset } from './upstream-subset';

const calls = exampleCalls();
let prism: Prism | undefined;
let tmp: string | undefined;
let upstreamOps: Map<string, string> = new Map(); // 'GET /path' → upstream operationId
const drift: string[] = [];

beforeAll(async () => {
  const { file, spec, dir } = writeUpstreamSubset();
  tmp = dir;
  upstreamOps = new Map(
    [...specOperations(spec)].map(({ method, path, op }) => [`${method.toUpperCase()} ${path}`, op.operationId]),
  );
  prism = await startPrism(file);
}, 180_000);

afterAll(async () => {
  await prism?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  const report = [
    `upstream drift: ${drift.length} difference(s) between the client/curated spec and upstream's admin subset`,
    ...drift.map((d) => `  - ${d}`),
  ].join('\n');
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', 'upstream-drift.txt'), `${report}\n`);
  process.stdout.write(`\n${report}\n`);
});

test('upstream admin subset: every curated operation is called, differences are reported (not failed)', async () => {
  // Operations are matched by method and path: the curated spec renames some operationIds (x-curation).
  const curated = new Map(calls.map((c) => [`${c.method} ${c.path}`, c.operationId]));
  for (const [key, id] of upstreamOps)
    if (!curated.has(key)) drift.push(`${key} (${id}): only upstream has this operation`);
  for (const [key, id] of curated)
    if (!upstreamOps.has(key)) drift.push(`${key} (${id}): upstream no longer has this operation`);
  const renamed = [...curated].filter(([key, id]) => upstreamOps.has(key) && upstreamOps.get(key) !== id).length;

  const admin = new OpenAIAdmin({
    apiKey: 'sk-admin-drift-report',
    baseURL: prism!.baseURL,
    maxRetries: 0,
    logger: { warn: () => {} },
  });
  let called = 0;
  for (const call of calls) {
    if (!call.friendly) continue;
    called++;
    try {
      const { response } = await invoke(admin, call, { validate: 'strict' }).withResponse();
      const violations = response.headers.get('sl-violations');
      if (violations) drift.push(`${call.operationId}: upstream reports ${violations.slice(0, 300)}`);
    } catch (error) {
      const e = error as Error & {
        status?: number;
        error?: { validation?: Array<{ location: string[]; message: string }> };
      };
      if (error instanceof ResponseValidationError) {
        drift.push(
          `${call.operationId}: upstream's response fails the curated schema: ${error.issues
            .slice(0, 3)
            .map((i) => `${i.path} ${i.message}`)
            .join('; ')}`,
        );
      } else if (e.status === 404) {
        drift.push(`${call.operationId}: upstream has no route ${call.method} ${call.path}`);
      } else if (e.error?.validation) {
        drift.push(
          `${call.operationId}: upstream rejects the request: ${e.error.validation
            .map((v) => `${v.location.join('.')} ${v.message}`)
            .join('; ')
            .slice(0, 300)}`,
        );
      } else {
        drift.push(`${call.operationId}: ${e.name}: ${e.message.slice(0, 200)}`);
      }
    }
  }
  expect(called).toBe(calls.length);
  process.stdout.write(
    `\nupstream drift: ${upstreamOps.size} upstream admin operations, ${curated.size} curated, ${renamed} operationIds renamed by curation (not drift)\n`,
  );
});
