/**
 * `npm run spec:sync -- <upstream.yaml> [--check] [--json] [--curated <file>] [--base <file>]`
 *
 * Brings upstream changes to the admin part into ./openapi.yaml (scripts/lib/sync/sync.ts): new operations,
 * parameters, properties and enum values are imported with the standing curations applied as rules; what no rule
 * decides is flagged with an x-sync-todo on its node (npm run generate refuses until each is settled). Every change is
 * listed. Run it again: a second run changes nothing.
 *
 * --base is the upstream openapi.yaml was last synced with (default: the vendored subset); a documented difference
 * that upstream changed since is flagged as a conflict with its x-curation note. Afterwards vendor the new upstream
 * (npm run spec:vendor) so that the next sync and spec:diff start from it.
 * Exit codes: 0 done (or, with --check, nothing to do), 1 with --check: changes pending, 2 usage error.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { renderChanges, syncSpec } from './lib/sync/sync';
import type { Spec } from './lib/spec';

const VENDORED = join(import.meta.dirname, 'upstream', 'openai-openapi.admin.yaml');
const USAGE = `usage: npm run spec:sync -- <upstream.yaml> [--check] [--json] [--curated <openapi.yaml>] [--base <upstream.yaml>]
  <upstream.yaml> a full upstream spec or its admin subset
  --check      write nothing; exit 1 when the sync would change openapi.yaml
  --json       the change list as JSON
  --curated    the curated spec to update (default: ./openapi.yaml)
  --base       the upstream it was last synced with (default: scripts/upstream/openai-openapi.admin.yaml)
exit codes: 0 done, 1 changes pending (--check), 2 usage error`;

function usage(message: string): never {
  console.error(`spec:sync: ${message}\n${USAGE}`);
  process.exit(2);
}

function load(file: string): Spec {
  if (!existsSync(file)) usage(`no such file: ${file}`);
  let spec: Spec;
  try {
    spec = parse(readFileSync(file, 'utf8')) as Spec;
  } catch (err) {
    usage(`cannot parse ${file}: ${(err as Error).message}`);
  }
  if (!spec?.paths) usage(`not an OpenAPI document (no paths): ${file}`);
  return spec;
}

function main(argv: string[]) {
  const flags = { check: false, json: false, curated: join(import.meta.dirname, '..', 'openapi.yaml'), base: VENDORED };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') flags.check = true;
    else if (arg === '--json') flags.json = true;
    else if (arg === '--curated' || arg === '--base') {
      const value = argv[++i];
      if (!value) usage(`${arg} needs a file`);
      flags[arg.slice(2) as 'curated' | 'base'] = value;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return;
    } else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) usage('expected exactly one upstream file');
  const upstream = load(positional[0]);
  load(flags.curated);
  const base =
    resolve(flags.base) === resolve(positional[0]) ? upstream : existsSync(flags.base) ? load(flags.base) : undefined;
  const text = readFileSync(flags.curated, 'utf8');
  const { text: synced, changes } = syncSpec(text, upstream, { base });
  const todos = changes.filter((c) => c.kind === 'flagged' || c.kind === 'operation added').length;
  if (flags.json) console.log(JSON.stringify({ changes }, null, 2));
  else if (changes.length) {
    console.log(renderChanges(changes));
    console.log(`\n${changes.length} changes${flags.check ? ' pending' : ` written to ${flags.curated}`}.`);
    if (todos)
      console.log(
        'Settle every x-sync-todo (apply it, or record the decision as an x-curation note), delete it, then run npm run generate.',
      );
  } else console.log('spec:sync: openapi.yaml is up to date with upstream; nothing to do.');
  if (flags.check) process.exitCode = changes.length ? 1 : 0;
  else if (synced !== text) writeFileSync(flags.curated, synced);
}

main(process.argv.slice(2));
