/**
 * `npm run generate`: openapi.yaml → generated/. Deterministic; CI reruns it and fails on any diff.
 *   1. @hey-api/openapi-ts (config in openapi-ts.config.ts): fetch client, types, SDK functions.
 *   2. Open enums: hey-api writes `'a' | 'b' | string`, which TypeScript collapses to `string`;
 *      rewriting the catch-all to `(string & {})` keeps the literals for autocompletion.
 *   3. The operations table src/ reads (method, path, parameters, pagination, retry safety), the type map
 *      keyed by operation name, and the friendly resource tree with its names (x-friendly-name, x-example).
 *   4. Precompiled ajv validators (standalone code, bundled, no eval at runtime).
 *   5. cli.gen.ts: summaries, parameter and body-field facts the command line derives its flags and help from.
 *   6. CURATION.md: every x-curation note in the spec, in one list.
 *   7. The resource table in README.md (between its markers), linking each resource to the API reference, and the
 *      README's "all N operations" count.
 */
import { createClient } from '@hey-api/openapi-ts';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import config from '../openapi-ts.config';
import { buildOperationsTable } from './lib/operations-table';
import { buildCliMetadata } from './lib/cli-metadata';
import { buildOperationTypes } from './lib/operation-types-gen';
import { buildResources, resourceTable, withOperationCount, withResourceTable } from './lib/resources-gen';
import { NamingError } from './lib/friendly-names';
import { buildValidators } from './lib/validators';
import { listCurations, renderCurations } from './lib/curations';
import { loadSpec, operations } from './lib/spec';
import { assertNoSyncTodos, SyncTodoError } from './lib/sync/todos';

const root = join(import.meta.dirname, '..');
const out = join(root, 'generated');

async function main() {
  const started = Date.now();
  const spec = loadSpec(join(root, 'openapi.yaml'));
  // What spec:sync left for a person (x-sync-todo) is settled before anything is generated from it.
  assertNoSyncTodos(spec);
  // Names first: a missing or clashing x-friendly-name fails before anything is written.
  const { resources, names } = buildResources(spec);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await createClient(await config);
  openEnumTypes(join(out, 'client', 'types.gen.ts'));

  writeFileSync(join(out, 'operations.gen.ts'), buildOperationsTable(spec));
  writeFileSync(join(out, 'cli.gen.ts'), buildCliMetadata(spec));
  writeFileSync(
    join(out, 'operation-types.gen.ts'),
    buildOperationTypes(spec, readFileSync(join(out, 'client', 'types.gen.ts'), 'utf8')),
  );
  writeFileSync(join(out, 'resources.gen.ts'), resources);
  writeFileSync(join(out, 'friendly-names.gen.ts'), names);
  const validators = await buildValidators(spec);
  mkdirSync(join(out, 'validators'), { recursive: true });
  for (const [name, code] of Object.entries(validators)) writeFileSync(join(out, 'validators', `${name}.gen.ts`), code);
  writeFileSync(join(out, 'CURATION.md'), renderCurations(listCurations(spec)));
  // The README's resource table follows the spec too (CI's diff check covers README.md as well).
  const readmeFile = join(root, 'README.md');
  const readme = readFileSync(readmeFile, 'utf8');
  const updated = withOperationCount(withResourceTable(readme, resourceTable(spec)), [...operations(spec)].length);
  if (updated !== readme) writeFileSync(readmeFile, updated);
  writeFileSync(join(out, 'README.md'), README);
  console.log(`generated/ written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const OPEN_UNION = /^(\s*(?:readonly )?['\w]+\??: |export type \w+ = )(.+);$/;

function openEnumTypes(file: string) {
  const source = readFileSync(file, 'utf8');
  // Type aliases that are pure literal unions (e.g. AuditLogEventType) count as literals too.
  const literalAliases = new Set(
    [...source.matchAll(/^export type (\w+) = ('[^']*'(?: \| '[^']*')*);$/gm)].map((m) => m[1]),
  );
  const lines = source.split('\n').map((line) => {
    const match = OPEN_UNION.exec(line);
    if (!match) return line;
    const members = match[2].split(' | ');
    const hasLiteral = members.some((m) => m.startsWith("'") || literalAliases.has(m));
    if (!hasLiteral || !members.includes('string')) return line;
    const rewritten = [...new Set(members.map((m) => (m === 'string' ? '(string & {})' : m)))];
    // Keep `null` last so the nullable reading stays obvious.
    rewritten.sort((a, b) => Number(a === 'null') - Number(b === 'null'));
    return `${match[1]}${rewritten.join(' | ')};`;
  });
  writeFileSync(file, lines.join('\n'));
}

const README = `# generated/ — do not edit

Everything in this folder is produced from \`../openapi.yaml\` by \`npm run generate\`
(\`scripts/generate.ts\`, configured by \`../openapi-ts.config.ts\`). Edits here are lost on the next run and
CI fails when this folder differs from a fresh generation.

- \`client/\` — @hey-api/openapi-ts output: the bundled fetch client, types (\`types.gen.ts\`) and SDK functions
  (\`sdk.gen.ts\`), published as \`openai-admin/generated\`.
- \`operations.gen.ts\` — one row per operation: method, path, parameters, pagination style, retry safety
  (the row's type, \`OperationSpec\`, is defined in \`src/core/types/operation.ts\`).
- \`operation-types.gen.ts\` — per operation, named types (\`CreateProjectBody\`, \`ListAuditLogsQuery\`,
  \`ListProjectsResponse\`, \`ListProjectsItem\`) and the \`OperationTypes\` map the core is typed against.
- \`resources.gen.ts\` — the friendly resource tree (\`admin.projects.users.create(…)\`), from \`x-friendly-name\`,
  \`x-example\` and \`x-resources\` in the spec; \`friendly-names.gen.ts\` — the name of every operation.
- \`validators/\` — \`requests.gen.ts\`: the request schema of every operation as data, checked by
  \`src/core/validation/schema-check.ts\`; \`responses.gen.ts\`: ajv response validators compiled ahead of time to plain
  functions. Neither uses \`eval\` at runtime.
- \`CURATION.md\` — every deviation of \`openapi.yaml\` from the upstream spec, with its reason.

To change anything here, change \`openapi.yaml\` (or the config) and run \`npm run generate\`.
`;

main().catch((err) => {
  console.error(err instanceof NamingError || err instanceof SyncTodoError ? err.message : err);
  process.exit(1);
});
