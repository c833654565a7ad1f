/**
 * `export`, `plan`, `apply`: the organisation as code (src/org/, docs/org-as-code.md). These definitions are all
 * the CLI loads up front; the work (and the YAML parser) is in org-run.ts, imported when one of them runs.
 */
import type { Command } from '../command.js';

const FILE = {
  type: 'string',
  short: 'f',
  placeholder: 'org.yaml',
  description: 'The org file (YAML or JSON).',
} as const;
const PRUNE = {
  type: 'boolean',
  description:
    'Also remove what the file does not mention, within the sections it has (archive projects, delete groups and service accounts, remove memberships, revoke invites, remove users, delete custom roles and remove role assignments).',
} as const;

export const orgExport: Command = {
  words: ['export'],
  summary: 'The live organisation as one YAML file: natural keys, no ids, no secrets.',
  description:
    'Users, invites, groups and members, projects with their users, groups, service accounts (never their keys) and rate limits, custom roles and role assignments (organisation and project), and the admin API keys (read-only), ' +
    'keyed by email and name so the file applies to another organisation too. Two projects with one name both carry their id. Paced: large organisations take a while, never a 429 storm.',
  positionals: [],
  options: {
    only: {
      type: 'string',
      placeholder: 'users,invites,groups,projects,admin_api_keys',
      description:
        'Export only these sections (also: roles, role_assignments, project_roles, project_role_assignments).',
    },
    'include-archived': {
      type: 'boolean',
      description: 'List archived projects too (as archived: true; default: left out).',
    },
  },
  examples: ['openai-admin export -o org.yaml', 'openai-admin export --only projects,groups > teams.yaml'],
  async run(ctx, values) {
    const { runExport } = await import('./org-run.js');
    await runExport(ctx, values);
  },
};

export const orgPlan: Command = {
  words: ['plan'],
  summary: 'What apply would change to make the organisation match an org file.',
  description:
    'Create, update (field by field, old → new) and delete, grouped by resource; with --json, {"summary":…,"changes":[…]}, which apply --plan takes. ' +
    'The file is checked first (line and field of each problem); nothing is written. --check exits 3 when the organisation differs from the file (CI drift detection).',
  positionals: [],
  options: {
    file: FILE,
    prune: PRUNE,
    check: {
      type: 'boolean',
      description: 'Exit 3 when there is anything to change, 0 when the organisation matches.',
    },
  },
  examples: [
    'openai-admin plan -f org.yaml',
    'openai-admin plan -f org.yaml --prune --json > plan.json',
    'openai-admin plan -f org.yaml --check',
  ],
  async run(ctx, values) {
    const { runPlan } = await import('./org-run.js');
    await runPlan(ctx, values);
  },
};

export const orgApply: Command = {
  words: ['apply'],
  summary: 'Make the organisation match an org file: plan, confirm, then apply in dependency order.',
  description:
    'Prints the plan, then asks on a terminal (listing every destructive change) or needs --yes. Only differing fields are sent; independent changes run concurrently under the client pacing. ' +
    'Killed part-way, run it again: it plans from the live organisation and finishes without duplicates. A created service account key goes to --keys-out (a new file, mode 0600; - for stdout), never into logs. ' +
    'With --plan saved.json: applies a saved plan, refusing if the organisation changed since for any entry in it.',
  positionals: [],
  options: {
    file: FILE,
    plan: {
      type: 'string',
      placeholder: 'plan.json',
      description: 'Apply this saved plan (from plan --json) instead of a file.',
    },
    prune: PRUNE,
    'keys-out': {
      type: 'string',
      placeholder: 'file',
      description:
        'Where keys of created service accounts go, one JSON object per line (a new file, created 0600; - for stdout).',
    },
  },
  examples: [
    'openai-admin apply -f org.yaml',
    'openai-admin apply -f org.yaml --prune --yes --keys-out new-keys.jsonl',
    'openai-admin apply --plan plan.json --yes',
  ],
  async run(ctx, values) {
    const { runApply } = await import('./org-run.js');
    await runApply(ctx, values);
  },
};
