/** `keys stale` and `keys rotate`: the unused-keys and key-rotation examples as commands. */
import { closeSync, constants, fsyncSync, lstatSync, openSync, rmSync, writeSync } from 'node:fs';
import type { Command } from '../command.js';
import { parseDuration } from '../duration.js';
import { PartialFailure, UsageError } from '../errors.js';
import { writeConfirmed } from '../io.js';
import { printObject } from '../output/printer.js';
import { printRows, wholeNumber } from './print-rows.js';
import { RotationError, rotateServiceAccountKey } from './rotate-key.js';
import { findStaleKeys, staleKeyRows } from './stale-keys.js';

export const keysStale: Command = {
  words: ['keys', 'stale'],
  summary: 'Project and admin API keys not used for N days, or never used, with owner, project and expiry.',
  description:
    'Read-only. A key whose last_used_at is null has never been used (verdict "never used"); age_days tells a forgotten key from a new one. ' +
    'Project keys of every owner state are checked, including keys whose owner left the project; archived projects are skipped. ' +
    'With --expiring 14d: the keys that expire within 14 days instead, soonest first, used or not.',
  positionals: [],
  options: {
    days: { type: 'string', placeholder: 'N', description: 'A key used within N days is in use (default 90).' },
    expiring: {
      type: 'string',
      placeholder: 'duration',
      description: 'Instead: keys expiring within this window (14d, 2w, 12h), soonest first.',
    },
    'project-only': { type: 'boolean', description: 'Only project API keys.' },
    'admin-only': { type: 'boolean', description: 'Only admin API keys.' },
  },
  examples: [
    'openai-admin keys stale --days 90',
    'openai-admin keys stale --days 30 --csv > stale-keys.csv',
    'openai-admin keys stale --expiring 14d',
  ],
  async run(ctx, values) {
    const days = wholeNumber(values.days, 'days', 90, UsageError);
    const expiring = typeof values.expiring === 'string' ? values.expiring : undefined;
    if (expiring !== undefined && values.days !== undefined)
      throw new UsageError('--days and --expiring choose different keys: give one');
    const expiringWithin = expiring === undefined ? undefined : parseDuration(expiring, '--expiring');
    if (values['project-only'] && values['admin-only'])
      throw new UsageError('--project-only and --admin-only exclude each other');
    const admin = await ctx.client();
    const keys = await findStaleKeys(admin, {
      days,
      ...(expiringWithin !== undefined ? { expiringWithin } : {}),
      projectKeys: values['admin-only'] !== true,
      adminKeys: values['project-only'] !== true,
      onProject: (n, total) =>
        ctx.progress(n < total ? `${n}/${total} projects checked…` : `${total}/${total} projects; admin keys…`),
    });
    ctx.clearProgress();
    const rows = staleKeyRows(ctx.max === undefined ? keys : keys.slice(0, ctx.max));
    await printRows(
      ctx,
      rows,
      expiring === undefined
        ? [
            'kind',
            'project',
            'key_id',
            'name',
            'owner',
            'verdict',
            'last_used_at',
            'idle_days',
            'age_days',
            'expires_at',
          ]
        : ['kind', 'project', 'key_id', 'name', 'owner', 'verdict', 'expires_at', 'expires_in_days', 'last_used_at'],
      expiring === undefined
        ? `Keys unused for ${days}+ days or never used: ${keys.length}`
        : `Keys expiring within ${expiring}: ${keys.length}`,
    );
  },
};

export const keysRotate: Command = {
  words: ['keys', 'rotate'],
  summary: "Rotate a service account's API key: create a new key, store it, verify it, then delete the old key(s).",
  description:
    'The service account is given by name (or id). The new key is written out (stdout, or --key-out FILE) as soon as it is created, ' +
    'before it is verified and before anything is deleted. The old keys are then deleted one by one; the first failure stops the ' +
    'rotation and stderr says which old keys were deleted, which remain and which are unknown (exit code 3).',
  positionals: ['<project-id>', '<service-account-name>'],
  options: {
    'key-name': { type: 'string', placeholder: 'name', description: 'Name of the new key (default rotated-<date>).' },
    'key-out': {
      type: 'string',
      placeholder: 'file',
      description:
        'Write the new key to this new file (mode 0600; an existing file or symlink is refused) instead of stdout.',
    },
    'expires-in': {
      type: 'string',
      placeholder: 'duration',
      description: 'Lifetime of the new key: 90d, 12h, 2w, 1d12h (default: no expiry unless a policy sets one).',
    },
    'keep-old': {
      type: 'boolean',
      description: 'Create and verify the new key, delete nothing (retire the old ones later).',
    },
  },
  examples: [
    'openai-admin keys rotate proj_abc ci-bot',
    'openai-admin keys rotate proj_abc ci-bot --yes --key-out ci-bot.key',
    'openai-admin keys rotate proj_abc ci-bot --yes --json > new-key.json',
  ],
  notes: [
    'Destructive (deletes the old keys): asks on a terminal; needs --yes otherwise. --dry-run shows the plan.',
    'Exit codes: 0 rotated · 1 failed with nothing deleted and no new key delivered · 3 stopped after the new key was created: ' +
      'read stderr before re-running (a re-run would treat the new key as an old one).',
  ],
  async run(ctx, values, positionals) {
    if (positionals.length !== 2)
      throw new UsageError(
        'keys rotate takes <project-id> <service-account-name>',
        'e.g. openai-admin keys rotate proj_abc ci-bot',
      );
    // -o writes only when the command succeeds: a rotation stopped part-way (exit 3) would take the new key's only
    // copy with it. --key-out writes the key as soon as it exists.
    if (ctx.globals.output !== undefined)
      throw new UsageError('keys rotate does not take -o/--output', 'use --key-out <file> for the new key');
    const [projectId, nameOrId] = positionals as [string, string];
    const keyOut = values['key-out'] as string | undefined;
    if (keyOut !== undefined) refuseExisting(keyOut);
    const keepOld = values['keep-old'] === true;
    const expiresIn =
      typeof values['expires-in'] === 'string' ? parseDuration(values['expires-in'], '--expires-in') : undefined;
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
    const old = (
      await admin.projects.apiKeys.list(projectId, { limit: 100, owner_project_access: 'any' }).toArray({ max: 10_000 })
    ).filter((k) => k.owner.service_account?.id === account.id);
    if (ctx.globals['dry-run']) {
      printObject(ctx.io.stdout, ctx.output.format === 'table' ? { format: 'table' } : ctx.output, {
        project: projectId,
        service_account: account.id,
        create_key: typeof values['key-name'] === 'string' ? values['key-name'] : 'rotated-<date>',
        write_key_to: keyOut ?? '(stdout)',
        expires_in_seconds: expiresIn ?? '(no expiry unless a policy sets one)',
        then_delete: keepOld ? '(none: --keep-old)' : old.map((k) => k.id).join(' ') || '(none)',
      });
      if (ctx.output.format === 'table') ctx.io.stdout.write('(dry run: nothing sent)\n');
      return;
    }
    if (!keepOld)
      await ctx.confirm(
        `rotate the key of ${account.name} (${account.id}) in ${projectId}, deleting ${old.length} old key(s)`,
      );
    // Created now (exclusively, 0600) rather than after the create, so that a path that cannot be written stops the
    // rotation before a key exists; removed again if no key was written to it.
    const file = keyOut === undefined ? undefined : openKeyFile(keyOut);
    let written = false;
    try {
      const result = await rotateServiceAccountKey(admin, {
        projectId,
        serviceAccountId: account.id,
        keyName: values['key-name'] as string | undefined,
        ...(expiresIn !== undefined ? { expiresInSeconds: expiresIn } : {}),
        keepOld,
        deploy: async (key) => {
          if (file) {
            writeKeyFile(file.fd, key.value);
            written = true;
            ctx.io.stderr.write(`New key ${key.id} written to ${keyOut} (mode 0600).\n`);
            if (ctx.output.format !== 'table')
              printObject(ctx.io.stdout, ctx.output, { key_id: key.id, key_file: keyOut, expires_at: key.expiresAt });
            return;
          }
          // The only copy of the key: written in one piece and confirmed, so that a closed stdout stops the
          // rotation (nothing deleted, the new key named for deletion) instead of losing the key silently.
          let text = '';
          if (ctx.output.format !== 'table')
            printObject({ write: (t: string) => (text += t) }, ctx.output, {
              key_id: key.id,
              key: key.value,
              expires_at: key.expiresAt,
            });
          else text = `New key ${key.id} (shown once; store it now):\n${key.value}\n`;
          await writeConfirmed(ctx.io.stdout, text);
        },
        onOldKey: (id, outcome) => ctx.io.stderr.write(`${outcome === 'deleted' ? 'Deleted' : 'Kept'} old key ${id}\n`),
      });
      ctx.io.stderr.write(
        `Rotated: ${result.newKey.id} (${result.newKey.redacted}) verified, ` +
          (result.newKey.expiresAt === null
            ? 'no expiry; '
            : `expires ${new Date(result.newKey.expiresAt * 1000).toISOString()}; `) +
          (keepOld
            ? `${result.kept.length} old key(s) kept (--keep-old)\n`
            : `${result.deleted.length} old key(s) deleted\n`),
      );
    } catch (err) {
      if (!(err instanceof RotationError)) throw err;
      ctx.io.stderr.write(rotationReport(err, projectId, keyOut));
      if (!err.delivered) throw new Error(`key rotation failed at ${err.stage}; no old key was deleted`);
      throw new PartialFailure(
        `key rotation stopped at ${err.stage}: ${err.deleted.length} old key(s) deleted, ` +
          `${err.remaining.length} remain, ${err.unknown.length} unknown`,
      );
    } finally {
      if (file) {
        closeSync(file.fd);
        if (!written) rmSync(keyOut!, { force: true });
      }
    }
  },
};

/** What a stopped rotation leaves, one fact per line, on stderr (ids only: the key's value never). */
function rotationReport(err: RotationError, projectId: string, keyOut: string | undefined): string {
  const list = (ids: readonly string[]) => (ids.length ? ids.join(', ') : '(none)');
  const newKey =
    err.newKey === null
      ? err.createOutcomeUnknown
        ? 'unknown: the create may have been carried out, but no value arrived; list the project keys to check'
        : 'not created'
      : err.delivered
        ? `${err.newKey.id}, written to ${keyOut ?? 'stdout'}${err.stage === 'verify' ? ' (not verified)' : ''}`
        : `${err.newKey.id} was created but its value could not be stored: delete it ` +
          `(openai-admin projects api-keys delete ${projectId} ${err.newKey.id})`;
  const lines = [
    `Key rotation stopped at ${err.stage}: ${err.reason}`,
    `  new key:            ${newKey}`,
    `  old keys deleted:   ${list(err.deleted)}`,
    `  old keys remaining: ${list(err.remaining)}`,
    `  old keys unknown:   ${list(err.unknown)}${err.unknown.length ? ' (check: openai-admin projects api-keys retrieve)' : ''}`,
  ];
  if (err.delivered && (err.remaining.length || err.unknown.length))
    lines.push(
      `  to finish, delete the old keys that remain (openai-admin projects api-keys delete ${projectId} <key-id>); ` +
        'do not re-run keys rotate, which would treat the new key as an old one',
    );
  return `${lines.join('\n')}\n`;
}

/** `--key-out` must name a new file: an existing file (or a symlink, even a dangling one) is never overwritten. */
function refuseExisting(path: string): void {
  let exists = true;
  try {
    lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') exists = false;
    else throw new UsageError(`--key-out ${path}: cannot use it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (exists)
    throw new UsageError(`--key-out ${path} already exists`, 'name a new file: the key is never written over another');
}

/** Creates the key file: exclusively (no existing file, no symlink followed), readable by its owner only. */
function openKeyFile(path: string): { fd: number } {
  try {
    return {
      fd: openSync(
        path,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
        0o600,
      ),
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(
      code === 'EEXIST' ? `--key-out ${path} already exists` : `--key-out ${path}: cannot create it (${code})`,
    );
  }
}

function writeKeyFile(fd: number, value: string): void {
  writeSync(fd, `${value}\n`);
  fsyncSync(fd);
}
