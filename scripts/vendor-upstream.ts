/**
 * `npm run spec:vendor -- <openai-openapi.yaml> [--commit <sha>] [--date <YYYY-MM-DD>] [--out <file>]`
 *
 * Vendors the admin part of a full upstream OpenAI spec (paths under /organization and /projects and every component
 * they reach) into scripts/upstream/openai-openapi.admin.yaml, the file the spec tests, the Prism drift report and
 * `npm run spec:diff` read: the project never reads an upstream file outside the repository. The output is
 * deterministic (sorted keys, no timestamps); its header records the source repository, commit and date (from the
 * flags: the upstream file does not carry them) and the SHA-256 of the input, so a refresh is a reviewable diff.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { adminSubset } from './lib/admin-subset';
import { operations, type Spec } from './lib/spec';

export const VENDORED_UPSTREAM = join(import.meta.dirname, 'upstream', 'openai-openapi.admin.yaml');

const USAGE = `usage: npm run spec:vendor -- <openai-openapi.yaml> [--commit <sha>] [--date <YYYY-MM-DD>] [--out <file>]
  --commit  the openai/openai-openapi commit the file comes from (recorded in the header)
  --date    that commit's date (recorded in the header)
  --out     where to write (default: scripts/upstream/openai-openapi.admin.yaml)`;

function usage(message: string): never {
  console.error(`spec:vendor: ${message}\n${USAGE}`);
  process.exit(2);
}

function main(argv: string[]) {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return;
    }
    if (['--commit', '--date', '--out'].includes(arg)) {
      const value = argv[++i];
      if (!value) usage(`${arg} needs a value`);
      flags[arg.slice(2)] = value;
    } else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) usage('expected exactly one upstream file');
  if (flags.commit && !/^[0-9a-f]{7,40}$/.test(flags.commit)) usage(`--commit is not a git commit: ${flags.commit}`);
  if (flags.date && !/^\d{4}-\d{2}-\d{2}$/.test(flags.date)) usage(`--date is not YYYY-MM-DD: ${flags.date}`);

  const text = readFileSync(positional[0], 'utf8');
  const full = parse(text) as Spec;
  if (!full?.paths || !full.components) usage('not an OpenAPI document (no paths or components)');
  const subset = adminSubset(full);
  const count = [...operations(subset)].length;
  const kinds = Object.entries(subset.components)
    .map(([kind, nodes]) => `${Object.keys(nodes).length} ${kind}`)
    .join(', ');
  const header = [
    '# The admin part of the official OpenAI OpenAPI spec, vendored: DO NOT EDIT (see scripts/upstream/SOURCE.md).',
    '# Source: https://github.com/openai/openai-openapi (openapi.yaml)',
    `# Commit: ${flags.commit ?? '(not recorded: pass --commit)'}`,
    `# Date: ${flags.date ?? '(not recorded: pass --date)'}`,
    `# Upstream info.version: ${String((full as { info?: { version?: string } }).info?.version ?? '(none)')}`,
    `# Input SHA-256: ${createHash('sha256').update(text).digest('hex')}`,
    `# Contents: ${count} operations under /organization and /projects; components they reach: ${kinds}.`,
    '# Regenerate: npm run spec:vendor -- <openai-openapi.yaml> --commit <sha> --date <YYYY-MM-DD>',
  ].join('\n');
  const out = flags.out ?? VENDORED_UPSTREAM;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${header}\n${stringify(subset, { lineWidth: 0, aliasDuplicateObjects: false })}`);
  console.log(`spec:vendor: ${count} operations, ${kinds} → ${out}`);
}

main(process.argv.slice(2));
