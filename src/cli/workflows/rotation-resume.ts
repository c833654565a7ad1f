/**
 * Settling a `keys rotate` that was killed part-way, from its journal (rotation-journal.ts). What the journal
 * says decides, never a guess:
 *
 * - intent (no key id): the create may or may not have happened. A key of the account with the recorded name
 *   (random suffix) that is not an old key is that create's: nobody ever received its value, so it is deleted.
 *   Then a fresh rotation starts.
 * - created (id, not delivered): the value existed only in the killed process, so the key is useless: deleted,
 *   then a fresh rotation. Exception: with `--key-out`, a kill between writing the file and recording it leaves
 *   the key in the file; a file holding exactly this key (its redacted form matches) counts as delivered.
 * - delivered: the user has this key, so no other is created and this one is never deleted: it is verified,
 *   and the old keys not yet gone are deleted (or kept, `--keep-old`).
 *
 * An empty `--key-out` file the journal names (created just before the create, never written) is removed.
 * Every finding goes to stderr, one line each.
 */
import type { OpenAIAdmin } from '../../client.js';
import { NotFoundError } from '../../core/base/errors.js';
import { PartialFailure } from '../errors.js';
import { readUserFile } from '../user-file.js';
import { lstatSync, rmSync } from 'node:fs';
import { deleteAndSettle, matchesRedacted, RotationError } from './rotate-key.js';
import { removeJournal, stageOf, writeJournal, type RotationRecord } from './rotation-journal.js';

export type ResumeOutcome =
  | { next: 'fresh' }
  | { next: 'done'; keyId: string; redacted: string; deliveredTo: string; deleted: string[]; kept: string[] };

export interface ResumeOptions {
  record: RotationRecord;
  journalPath: string;
  keepOld: boolean;
  /** This run's `--key-out`, absolute: only a file it names is ever removed. */
  keyOut?: string;
  say: (line: string) => void;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const list = (ids: readonly string[]) => (ids.length ? ids.join(', ') : '(none)');

export async function resumeRotation(admin: OpenAIAdmin, options: ResumeOptions): Promise<ResumeOutcome> {
  const { record, journalPath, say } = options;
  const { project } = record;
  const stage = stageOf(record);
  say(
    `Found an interrupted keys rotate of ${record.service_account} in ${project} (journal ${journalPath}, ` +
      `started ${record.started_at}): ${describe(record)}.`,
  );
  const save = () => writeJournal(journalPath, record, false);

  if (stage === 'intent') {
    const keys = await admin.projects.apiKeys
      .list(project, { limit: 100, owner_project_access: 'any' })
      .toArray({ max: 10_000 });
    const orphans = keys.filter(
      (k) =>
        k.owner.service_account?.id === record.service_account &&
        k.name === record.new_key.name &&
        !record.old_keys.includes(k.id),
    );
    if (orphans.length === 0) say(`  No key named ${record.new_key.name} exists: the create never happened.`);
    for (const k of orphans) await deleteOrphan(admin, record, k.id, say);
    settleKeyOut(record, options.keyOut, say);
    removeJournal(journalPath);
    say('  Starting a fresh rotation.');
    return { next: 'fresh' };
  }

  const id = record.new_key.id!;
  if (stage === 'created') {
    if (keyFileHolds(record, await redactedOf(admin, project, id))) {
      record.new_key.delivered_to = record.key_out;
      save();
      say(`  ${record.key_out} holds the new key ${id}: it was delivered before the interruption.`);
    } else {
      await deleteOrphan(
        admin,
        record,
        id,
        say,
        record.key_out
          ? 'its value never written to the key file'
          : 'its delivery never recorded (if it was printed just before the interruption, that copy no longer works)',
      );
      settleKeyOut(record, options.keyOut, say);
      removeJournal(journalPath);
      say('  Starting a fresh rotation.');
      return { next: 'fresh' };
    }
  }
  return finishDelivered(admin, options);
}

/** The delivered key stays; the old keys not yet gone are deleted one by one, each recorded. */
async function finishDelivered(admin: OpenAIAdmin, options: ResumeOptions): Promise<ResumeOutcome> {
  const { record, journalPath, say } = options;
  const id = record.new_key.id!;
  const deliveredTo = record.new_key.delivered_to!;
  const remaining = () => record.old_keys.filter((k) => !record.deleted.includes(k) && k !== id);
  let listed;
  try {
    listed = await admin.projects.apiKeys.retrieve(record.project, id);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    removeJournal(journalPath);
    throw new PartialFailure(
      `the key ${id} that the interrupted rotation delivered to ${deliveredTo} no longer exists (deleted or ` +
        `expired), so no old key is deleted: old keys deleted before the interruption: ${list(record.deleted)}; ` +
        `remaining: ${list(remaining())}. The journal is removed: run again to rotate afresh`,
    );
  }
  if (listed.owner.service_account?.id !== record.service_account)
    throw new Error(`the key ${id} named by the journal ${journalPath} is not owned by ${record.service_account}`);
  say(`  Not creating another key: ${id} (${listed.redacted_value}), delivered to ${deliveredTo}, still exists.`);
  if (options.keepOld) {
    removeJournal(journalPath);
    for (const k of remaining()) say(`Kept old key ${k}`);
    return { next: 'done', keyId: id, redacted: listed.redacted_value, deliveredTo, deleted: [], kept: remaining() };
  }
  const deletedNow: string[] = [];
  for (const k of remaining()) {
    const outcome = await deleteAndSettle(admin, record.project, k);
    if (outcome.state !== 'deleted') {
      const why =
        outcome.state === 'unknown'
          ? `deleting ${k} failed (${messageOf(outcome.error)}) and reading it back failed too (${messageOf(outcome.readError)})`
          : `deleting ${k} failed (${messageOf(outcome.error)}); it still exists`;
      const unknown = outcome.state === 'unknown' ? [k] : [];
      throw new RotationError(
        'delete',
        { id },
        true,
        record.deleted,
        remaining().filter((r) => !unknown.includes(r)),
        unknown,
        why,
        outcome.error,
      );
    }
    record.deleted.push(k);
    writeJournal(journalPath, record, false);
    deletedNow.push(k);
    say(`Deleted old key ${k}`);
  }
  removeJournal(journalPath);
  return { next: 'done', keyId: id, redacted: listed.redacted_value, deliveredTo, deleted: deletedNow, kept: [] };
}

/** A key the interrupted run created and never delivered: deleted, or the resume stops (journal kept). */
async function deleteOrphan(
  admin: OpenAIAdmin,
  record: RotationRecord,
  id: string,
  say: (l: string) => void,
  why = 'its value never delivered (no copy of it exists)',
) {
  const outcome = await deleteAndSettle(admin, record.project, id);
  if (outcome.state !== 'deleted')
    throw new Error(
      `the interrupted rotation created ${id}, whose value nobody received, and deleting it failed ` +
        `(${messageOf(outcome.error)}); the journal is kept: run again to retry, or delete it yourself ` +
        `(openai-admin projects api-keys delete ${record.project} ${id})`,
    );
  say(`  Deleted ${id}: created by the interrupted run, ${why}.`);
}

/** The key's redacted form, or null when it is gone. */
async function redactedOf(admin: OpenAIAdmin, project: string, id: string): Promise<string | null> {
  try {
    return (await admin.projects.apiKeys.retrieve(project, id)).redacted_value;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

/** True when the journal's `--key-out` file holds one key whose redacted form is `redacted`. */
function keyFileHolds(record: RotationRecord, redacted: string | null): boolean {
  if (!record.key_out || redacted === null) return false;
  let text: string;
  try {
    const file = readUserFile(record.key_out, { flag: '--key-out', limit: 4096, noSymlink: true, missingOk: true });
    if (!file) return false;
    text = file.bytes.toString('utf8');
  } catch {
    return false;
  }
  const value = text.endsWith('\n') ? text.slice(0, -1) : text;
  return /^sk-\S+$/.test(value) && /\.{3}|…|\*{3,}/.test(redacted) && matchesRedacted(value, redacted);
}

/**
 * The `--key-out` file the interrupted run created before its key existed: removed if still empty and this run
 * names it too (a path read from the journal alone is never acted on: only the file the user names now).
 */
function settleKeyOut(record: RotationRecord, keyOut: string | undefined, say: (l: string) => void): void {
  const path = record.key_out;
  if (!path) return;
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return; // never created, or already removed
  }
  if (stat.isFile() && stat.size === 0 && path === keyOut) {
    rmSync(path, { force: true });
    say(`  Removed ${path}: the interrupted run created it empty and never wrote a key to it.`);
  } else if (stat.isFile() && stat.size === 0)
    say(`  Left ${path}: the interrupted run created it empty (it holds no key); delete it.`);
  else say(`  Left ${path} as it is: it is not the empty file the interrupted run created.`);
}

function describe(record: RotationRecord): string {
  const { id, name, delivered_to } = record.new_key;
  switch (stageOf(record)) {
    case 'intent':
      return `it was about to create ${name}; whether the create happened is not recorded`;
    case 'created':
      return `it created ${id} (${name}) but did not record delivering it`;
    default:
      return (
        `it delivered ${id} to ${delivered_to}; old keys deleted: ${list(record.deleted)}, not yet: ` +
        list(record.old_keys.filter((k) => !record.deleted.includes(k) && k !== id))
      );
  }
}
