/** `keys stale` and `keys rotate`: the unused-keys and key-rotation examples as commands. */
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { printObject } from '../output/printer.js';
import { printRows, wholeNumber } from './print-rows.js';
import { rotateServiceAccountKey } from './rotate-key.js';
import { findStaleKeys, staleKeyRows } from './stale-keys.js';

export const keysStale: Command = {
  words: ['keys', 'stale'],
  summary: 'Project and admin API keys not used for N days, or never used, with owner and project.',
  description:
    'Read-only. A key whose last_used_at is null has never been used (verdict "never used"); age_days tells a forgotten key from a new one. ' +
    'Project keys of every owner state are checked, including keys whose owner left the project; archived projects are skipped.',
  positionals: [],
  options: {
    days: { type: 'string', placeholder: 'N', description: 'A key used within N days is in use (default 90).' },
    'project-only': { type: 'boolean', description: 'Only project API keys.' },
    'admin-only': { type: 'boolean', description: 'Only admin API keys.' },
  },
  examples: ['openai-admin keys stale --days 90', 'openai-admin keys stale --days 30 --csv > stale-keys.csv'],
  async run(ctx, values) {
    const days = wholeNumber(values.days, 'days', 90, UsageError);
    if (values['project-only'] && values['admin-only'])
      throw new UsageError('--project-only and --admin-only exclude each other');
    const admin = await ctx.client();
    const keys = await findStaleKeys(admin, {
      days,
      projectKeys: values['admin-only'] !== true,
      adminKeys: values['project-only'] !== true,
      onProject: (n) => ctx.progress(`${n} project(s) checked…`),
    });
    ctx.clearProgress();
    const rows = staleKeyRows(ctx.max === undefined ? keys : keys.slice(0, ctx.max));
    printRows(
      ctx,
      rows,
      ['kind', 'project', 'key_id', 'name', 'owner', 'verdict', 'last_used_at', 'idle_days', 'age_days'],
      `Keys unused for ${days}+ days or never used: ${keys.length}`,
    );
  },
};

export const keysRotate: Command = {
  words: ['keys', 'rotate'],
  summary: "Rotate a service account's API key: create a new key, verify it, then delete the old key(s).",
  description:
    'The service account is given by name (or id). The old keys are deleted only after the new one exists and checks out, so a failure at any ' +
    'step leaves a working key. The new key is printed once, on stdout: store it now.',
  positionals: ['<project-id>', '<service-account-name>'],
  options: {
    'key-name': { type: 'string', placeholder: 'name', description: 'Name of the new key (default rotated-<date>).' },
  },
  examples: [
    'openai-admin keys rotate proj_abc ci-bot',
    'openai-admin keys rotate proj_abc ci-bot --yes --json > new-key.json',
  ],
  notes: ['Destructive (deletes the old keys): asks on a terminal; needs --yes otherwise. --dry-run shows the plan.'],
  async run(ctx, values, positionals) {
    if (positionals.length !== 2)
      throw new UsageError(
        'keys rotate takes <project-id> <service-account-name>',
        'e.g. openai-admin keys rotate proj_abc ci-bot',
      );
    const [projectId, nameOrId] = positionals as [string, string];
    const admin = await ctx.client();
    const accounts = await admin.projects.serviceAccounts.list(projectId, { limit: 100 }).toArray({ max: 10_000 });
    const matches = accounts.filter((a) => a.id === nameOrId || a.name === nameOrId);
    if (matches.length === 0)
      throw new UsageError(
        `no service account named '${nameOrId}' in ${projectId}`,
        accounts.length ? `known: ${accounts.map((a) => a.name).join(', ')}` : undefined,
      );
    if (matches.length > 1)
      throw new UsageError(
        `${matches.length} service accounts are named '${nameOrId}' in ${projectId}`,
        `pass the id instead: ${matches.map((a) => a.id).join(', ')}`,
      );
    const account = matches[0];
    const old = (await admin.projects.apiKeys.list(projectId, { limit: 100 }).toArray({ max: 10_000 })).filter(
      (k) => k.owner.service_account?.id === account.id,
    );
    if (ctx.globals['dry-run']) {
      printObject(ctx.io.stdout, ctx.output.format === 'table' ? { format: 'table' } : ctx.output, {
        project: projectId,
        service_account: account.id,
        create_key: typeof values['key-name'] === 'string' ? values['key-name'] : 'rotated-<date>',
        then_delete: old.map((k) => k.id).join(' ') || '(none)',
      });
      if (ctx.output.format === 'table') ctx.io.stdout.write('(dry run: nothing sent)\n');
      return;
    }
    await ctx.confirm(
      `rotate the key of ${account.name} (${account.id}) in ${projectId}, deleting ${old.length} old key(s)`,
    );
    const result = await rotateServiceAccountKey(admin, {
      projectId,
      serviceAccountId: account.id,
      keyName: values['key-name'] as string | undefined,
    });
    const summary = {
      key_id: result.newKey.id,
      key: result.newKey.value,
      redacted: result.newKey.redacted,
      deleted: result.deleted,
      not_deleted: result.notDeleted,
    };
    if (ctx.output.format !== 'table') printObject(ctx.io.stdout, ctx.output, summary);
    else {
      ctx.io.stdout.write(`New key ${result.newKey.id} (shown once; store it now):\n${result.newKey.value}\n`);
      ctx.io.stderr.write(`Deleted: ${result.deleted.join(', ') || '(none)'}\n`);
      for (const k of result.notDeleted) ctx.io.stderr.write(`NOT deleted ${k.id}: ${k.reason}\n`);
    }
    if (result.notDeleted.length)
      throw new Error(`${result.notDeleted.length} old key(s) could not be deleted; revoke them in the dashboard`);
  },
};
