/**
 * `npm run spec:diff -- [<upstream.yaml>] [--full] [--json] [--verbose] [--curated <file>]`
 *
 * Without a file it compares the vendored admin subset (scripts/upstream/openai-openapi.admin.yaml); pass a newer
 * full upstream file (or its vendored subset) to see drift before refreshing.
 *
 * Compares the admin part (/organization*, /projects*) of an upstream OpenAI OpenAPI file with ./openapi.yaml.
 * Every difference is either documented (an x-curation note sits on the curated node where it occurs) or unexplained.
 * By default it prints a short summary (counts by kind, every unexplained difference in full); --full lists them all.
 * Exit codes: 0 no drift, 1 drift (at least one unexplained difference), 2 usage error.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { diffSpecs, renderReport, renderSummary } from './lib/spec-diff-core';
import { loadSpec, type Spec } from './lib/spec';
import { listSyncTodos } from './lib/sync/todos';

const USAGE = `usage: npm run spec:diff -- [<upstream.yaml>] [--full] [--json] [--verbose] [--curated <openapi.yaml>]
  <upstream.yaml> a full upstream spec or its admin subset (default: scripts/upstream/openai-openapi.admin.yaml)
  --full       list every difference, documented ones too (default: counts by kind and the unexplained ones)
  --json       machine-readable output (summary + every difference)
  --verbose    also print the x-curation notes that document each difference
  --curated    the curated spec to compare (default: ./openapi.yaml)
exit codes: 0 no unexplained difference, 1 drift, 2 usage error`;

function usage(message: string): never {
  console.error(`spec:diff: ${message}\n${USAGE}`);
  process.exit(2);
}

function main(argv: string[]) {
  let json = false;
  let verbose = false;
  let full = false;
  let curatedFile = join(import.meta.dirname, '..', 'openapi.yaml');
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--verbose' || arg === '-v') verbose = true;
    else if (arg === '--full') full = true;
    else if (arg === '--curated') {
      const value = argv[++i];
      if (!value) usage('--curated needs a file');
      curatedFile = value;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length > 1) usage('expected at most one upstream file');
  const [upstreamFile = join(import.meta.dirname, 'upstream', 'openai-openapi.admin.yaml')] = positional;
  for (const file of [upstreamFile, curatedFile]) if (!existsSync(file)) usage(`no such file: ${file}`);

  let upstream: Spec;
  let curated: Spec;
  try {
    upstream = loadSpec(upstreamFile);
    curated = loadSpec(curatedFile);
  } catch (err) {
    usage(`cannot parse spec: ${(err as Error).message}`);
  }
  if (!upstream?.paths || !curated?.paths) usage('not an OpenAPI document (no paths)');

  const result = diffSpecs(upstream, curated);
  if (json) {
    const { differences, ...summary } = result;
    console.log(JSON.stringify({ ...summary, drift: result.unexplained > 0, differences }, null, 2));
  } else {
    console.log((full ? renderReport : renderSummary)(result, { verbose }));
    const todos = listSyncTodos(curated).length;
    if (todos)
      console.log(
        `${todos} x-sync-todo left by spec:sync in ${curatedFile}: npm run generate refuses until each is settled`,
      );
  }
  // exitCode rather than process.exit(): exiting at once can cut off a large --json output still in a pipe.
  process.exitCode = result.unexplained > 0 ? 1 : 0;
}

main(process.argv.slice(2));
