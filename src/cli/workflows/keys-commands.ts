/** `keys stale` and `keys rotate`: the unused-keys and key-rotation examples as commands. */
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from '../command.js';
import { parseDuration } from '../duration.js';
import { PartialFailure, UsageError } from '../errors.js';
import { writeConfirmed } from '../io.js';
import { printObject } from '../output/printer.js';
import { readUserFile } from '../user-file.js';
import { printRows, wholeNumber } from './print-rows.js';
import type { Context } from '../context.js';
import { crashPoints, dieNow } from './audit-delivery.js';
import { RotationError, rotateServiceAccountKey } from './rotate-key.js';
import {
  defaultJournalPath,
  readJournal,
  removeJournal,
  stageOf,
  uniqueKeyName,
  writeJournal,
  type RotationRecord,
} from './rotation-journal.js';
import { resumeRotation } from './rotation-resume.js';
import { lockState } from './state-lock.js';
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
    'rotation and stderr says which old keys were deleted, which remain and which are unknown (exit code 3). ' +
    'Each step is recorded in a journal first, so a run that was stopped or killed at any point is finished by running the same ' +
    'command again: it says what it found, creates no second key once one was delivered, and never deletes that one.',
  positionals: ['<project-id>', '<service-account-name>'],
  options: {
    'key-name': {
      type: 'string',
      placeholder: 'name',
      description: 'Name of the new key (default rotated-<date>); a random suffix -r<8 hex> is added.',
    },
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
    journal: {
      type: 'string',
      placeholder: 'file',
      description:
        'Where the rotation records its steps (default $XDG_STATE_HOME/openai-admin/rotate-<project>-<account>.json).',
    },
  },
  examples: [
    'openai-admin keys rotate proj_abc ci-bot',
    'openai-admin keys rotate proj_abc ci-bot --yes --key-out ci-bot.key',
    'openai-admin keys rotate proj_abc ci-bot --yes --json > new-key.json',
  ],
  notes: [
    'Destructive (deletes the old keys): asks on a terminal; needs --yes otherwise. --dry-run shows the plan.',
    'Exit codes: 0 rotated · 1 failed with nothing deleted and no new key delivered · 3 stopped after the new key was delivered: ' +
      'read stderr; running the same command again finishes the rotation (it resumes from the journal).',
    'Interrupted (killed, power cut, exit 1 or 3): run the same command again. A key created but never delivered is deleted and ' +
      'a fresh rotation starts; a delivered key is kept and the old keys it replaces are deleted. One rotation per account ' +
      'at a time (<journal>.lock). With stdout redirected to a file, re-run with >> or another file: > would empty the ' +
      'file that holds the delivered key.',
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
    const journalFlag = typeof values.journal === 'string' ? resolve(values.journal) : undefined;
    // An existing --key-out is refused before anything is sent, unless a journal names it (an interrupted run's).
    if (keyOut !== undefined) refuseExisting(keyOut, journalFlag ?? journalDir(ctx));
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
    const journalPath = journalFlag ?? defaultJournalPath(ctx.io.env, projectId, account.id);
    const pending = readJournal(journalPath, projectId, account.id);
    const old = (
      await admin.projects.apiKeys.list(projectId, { limit: 100, owner_project_access: 'any' }).toArray({ max: 10_000 })
    ).filter((k) => k.owner.service_account?.id === account.id);
    if (ctx.globals['dry-run']) {
      printObject(ctx.io.stdout, ctx.output.format === 'table' ? { format: 'table' } : ctx.output, {
        project: projectId,
        service_account: account.id,
        ...(pending
          ? { resume_interrupted: `${journalPath} (${stageOf(pending)}: settled first, see docs/cli.md)` }
          : {}),
        create_key: `${typeof values['key-name'] === 'string' ? values['key-name'] : 'rotated-<date>'}-r<8 hex>`,
        write_key_to: keyOut ?? '(stdout)',
        expires_in_seconds: expiresIn ?? '(no expiry unless a policy sets one)',
        then_delete: keepOld ? '(none: --keep-old)' : old.map((k) => k.id).join(' ') || '(none)',
        journal: journalPath,
      });
      if (ctx.output.format === 'table') ctx.io.stdout.write('(dry run: nothing sent)\n');
      return;
    }
    // Settling an interrupted rotation deletes keys too (an undelivered one, or the old ones), unless it only
    // has to verify a delivered key and keep the old ones (--keep-old).
    if (pending && !(keepOld && stageOf(pending) === 'delivered'))
      await ctx.confirm(
        `finish the interrupted rotation of ${account.name} (${account.id}) in ${projectId} (journal ${journalPath})`,
      );
    else if (!keepOld)
      await ctx.confirm(
        `rotate the key of ${account.name} (${account.id}) in ${projectId}, deleting ${old.length} old key(s)`,
      );
    // One rotation per account at a time: two would each create a key and delete the other's as old.
    const release = lockState(journalPath, {
      names: {
        label: `rotation journal ${journalPath}`,
        command: `keys rotate of ${account.id} in ${projectId}`,
        risk: "two rotations at once would each create a key and delete the other's as old",
      },
      onStale: (o) => ctx.debug(`taking over the lock of a run that is gone (pid ${o.pid}, since ${o.since})`),
    });
    try {
      // Read again under the lock: another run may have finished (or started) one since.
      const record = readJournal(journalPath, projectId, account.id);
      if (record) {
        const resumed = await resumeRotation(admin, {
          record,
          journalPath,
          keepOld,
          ...(keyOut !== undefined ? { keyOut: resolve(keyOut) } : {}),
          say: (l) => ctx.io.stderr.write(`${l}\n`),
        }).catch((err: unknown) => {
          if (err instanceof RotationError)
            throw stoppedRotation(ctx, err, projectId, record.key_out ?? undefined, journalPath);
          throw err;
        });
        if (resumed.next === 'done') {
          if (keyOut !== undefined && resolve(keyOut) !== resumed.deliveredTo)
            ctx.io.stderr.write(`Nothing written to ${keyOut}: the key was delivered before the interruption.\n`);
          if (ctx.output.format !== 'table')
            printObject(ctx.io.stdout, ctx.output, {
              key_id: resumed.keyId,
              delivered_to: resumed.deliveredTo,
              resumed: true,
            });
          ctx.io.stderr.write(
            `Rotated (resumed): ${resumed.keyId} (${resumed.redacted}) verified; ` +
              (keepOld
                ? `${resumed.kept.length} old key(s) kept (--keep-old)\n`
                : `${resumed.deleted.length} more old key(s) deleted\n`),
          );
          return;
        }
      }
      if (keyOut !== undefined) refuseExisting(keyOut);
      await rotateFresh(ctx, admin, {
        projectId,
        serviceAccountId: account.id,
        keyName: uniqueKeyName(
          typeof values['key-name'] === 'string'
            ? values['key-name']
            : `rotated-${new Date().toISOString().slice(0, 10)}`,
        ),
        oldKeys: old.map((k) => k.id),
        keyOut,
        keepOld,
        expiresIn,
        journalPath,
      });
    } finally {
      release();
    }
  },
};

/** `OPENAI_ADMIN_TEST_CRASH_AT` points of a rotation (tests only; see audit-delivery.ts `crashPoints`). */
type RotateCrashPoint =
  'after-intent' | 'after-create' | 'after-created' | 'after-write' | 'after-delivery' | 'after-delete';

async function rotateFresh(
  ctx: Context,
  admin: Awaited<ReturnType<Context['client']>>,
  o: {
    projectId: string;
    serviceAccountId: string;
    keyName: string;
    oldKeys: string[];
    keyOut: string | undefined;
    keepOld: boolean;
    expiresIn: number | undefined;
    journalPath: string;
  },
): Promise<void> {
  const { keyOut, keepOld, journalPath } = o;
  const record: RotationRecord = {
    version: 1,
    kind: 'openai-admin keys rotate',
    project: o.projectId,
    service_account: o.serviceAccountId,
    started_at: new Date().toISOString(),
    new_key: { name: o.keyName, id: null, delivered_to: null },
    key_out: keyOut === undefined ? null : resolve(keyOut),
    old_keys: o.oldKeys,
    deleted: [],
  };
  // The journal first, then the key file: a kill in between leaves a journal that names the (empty) file.
  writeJournal(journalPath, record, true);
  const save = () => writeJournal(journalPath, record, false);
  const crashAt = crashPoints<RotateCrashPoint>(ctx.io.env);
  // Created now (exclusively, 0600) rather than after the create, so that a path that cannot be written stops the
  // rotation before a key exists; removed again if no key was written to it.
  let file: { fd: number } | undefined;
  try {
    file = keyOut === undefined ? undefined : openKeyFile(keyOut);
  } catch (err) {
    removeJournal(journalPath);
    throw err;
  }
  let written = false;
  try {
    const result = await rotateServiceAccountKey(admin, {
      projectId: o.projectId,
      serviceAccountId: o.serviceAccountId,
      keyName: o.keyName,
      ...(o.expiresIn !== undefined ? { expiresInSeconds: o.expiresIn } : {}),
      keepOld,
      journal: {
        intent: ({ oldKeys }) => {
          record.old_keys = [...oldKeys];
          save();
          if (crashAt('after-intent', 1)) dieNow();
        },
        created: ({ id }) => {
          if (crashAt('after-create', 1)) dieNow();
          record.new_key.id = id;
          save();
          if (crashAt('after-created', 1)) dieNow();
        },
        delivered: () => {
          if (crashAt('after-write', 1)) dieNow();
          record.new_key.delivered_to = record.key_out ?? 'stdout';
          save();
          if (crashAt('after-delivery', 1)) dieNow();
        },
        deleted: (id) => {
          record.deleted.push(id);
          save();
          if (crashAt('after-delete', record.deleted.length)) dieNow();
        },
      },
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
    removeJournal(journalPath);
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
    if (err.newKey === null && !err.createOutcomeUnknown)
      removeJournal(journalPath); // nothing was created
    else if (err.delivered && record.new_key.delivered_to === null) {
      // Delivered, but recording it failed: one more try, since a journal saying "not delivered" would make a
      // re-run delete the key the user now has.
      try {
        record.new_key.delivered_to = record.key_out ?? 'stdout';
        save();
      } catch {
        ctx.io.stderr.write(
          `The journal ${journalPath} could not record that the key was delivered: delete it before running again.\n`,
        );
      }
    }
    throw stoppedRotation(ctx, err, o.projectId, keyOut, existsSync(journalPath) ? journalPath : undefined);
  } finally {
    if (file) {
      closeSync(file.fd);
      if (!written) rmSync(keyOut!, { force: true });
    }
  }
}

/** Reports a stopped rotation on stderr and returns the error to exit with (1: nothing delivered; 3: delivered). */
function stoppedRotation(
  ctx: Context,
  err: RotationError,
  projectId: string,
  keyOut: string | undefined,
  journal: string | undefined,
): Error {
  ctx.io.stderr.write(rotationReport(err, projectId, keyOut, journal));
  if (!err.delivered) return new Error(`key rotation failed at ${err.stage}; no old key was deleted`);
  return new PartialFailure(
    `key rotation stopped at ${err.stage}: ${err.deleted.length} old key(s) deleted, ` +
      `${err.remaining.length} remain, ${err.unknown.length} unknown`,
  );
}

/** What a stopped rotation leaves, one fact per line, on stderr (ids only: the key's value never). */
function rotationReport(
  err: RotationError,
  projectId: string,
  keyOut: string | undefined,
  journal: string | undefined,
): string {
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
  if (journal && err.delivered && (err.remaining.length || err.unknown.length || err.stage === 'verify'))
    lines.push(
      `  to finish, run the same command again: the journal ${journal} makes it delete the old keys that remain, ` +
        'never the new one, and create no other key',
    );
  else if (err.delivered && (err.remaining.length || err.unknown.length))
    lines.push(
      `  to finish, delete the old keys that remain (openai-admin projects api-keys delete ${projectId} <key-id>); ` +
        'do not re-run keys rotate without the journal, which would treat the new key as an old one',
    );
  else if (journal && !err.delivered)
    lines.push(
      `  journal:            ${journal}: running the same command again deletes what this run created and starts afresh`,
    );
  return `${lines.join('\n')}\n`;
}

/** Where the default journals live (the directory), for finding one that names a --key-out file. */
function journalDir(ctx: Context): string | undefined {
  try {
    return dirname(defaultJournalPath(ctx.io.env, 'p', 's'));
  } catch {
    return undefined;
  }
}

/**
 * `--key-out` must name a new file: an existing file (or a symlink, even a dangling one) is never overwritten.
 * Exception: an existing regular file that a rotation journal names as its `--key-out` (in `journals`: a journal
 * file, or the directory of the default ones) is left for the resume to settle.
 */
function refuseExisting(path: string, journals?: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UsageError(`--key-out ${path}: cannot use it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (journals !== undefined && stat.isFile() && journalNames(journals, resolve(path))) return;
  throw new UsageError(`--key-out ${path} already exists`, 'name a new file: the key is never written over another');
}

/** True when a journal (the file `where`, or one of the default journals in the directory `where`) names `keyOut`. */
function journalNames(where: string, keyOut: string): boolean {
  let files: string[];
  try {
    files = lstatSync(where).isDirectory()
      ? readdirSync(where)
          .filter((f) => /^rotate-.*\.json$/.test(f))
          .map((f) => join(where, f))
      : [where];
  } catch {
    return false;
  }
  return files.some((f) => {
    try {
      const text = readUserFile(f, { flag: 'rotation journal', limit: 256 * 1024, noSymlink: true }).bytes;
      const r = JSON.parse(text.toString('utf8')) as Partial<RotationRecord> | null;
      return r?.key_out === keyOut;
    } catch {
      return false;
    }
  });
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
