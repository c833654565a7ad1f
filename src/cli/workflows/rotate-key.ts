/**
 * Rotate a service account's API key: create a new key, hand it over, verify it, then delete the old key(s).
 *
 * Order matters, and every step can fail:
 * - The new key's value exists only in the create response, so it is handed to `deploy` (the CLI writes it to
 *   stdout or a 0600 file) the moment it arrives — before it is verified and before anything is deleted. A
 *   failing verification read or a failing delete can then no longer cost the user the key.
 * - The old keys are deleted one at a time, and the first failure stops the rotation: the caller learns exactly
 *   which old keys were deleted, which remain and which are unknown ({@link RotationError}).
 * - A delete answered 5xx or lost to a connection failure may still have been carried out, so it is settled by a
 *   read (404: deleted; 200: remains) before it is reported; only when that read fails too is the key unknown.
 *
 * The upstream spec says deleting a project API key returns "an error if the key belonged to a service
 * account"; if an organization answers that way, the rotation stops with the old keys remaining.
 *
 * The new key's value never appears in an error or a {@link RotationError}: only its id.
 *
 * A process killed part-way (SIGKILL, power cut) reports nothing, so a caller that must recover from that passes
 * a {@link RotationJournal}: each step is recorded before the next effect, and a later run can tell from it which
 * key was created, whether it was handed over, and which old keys are gone (the CLI keeps one per service
 * account: rotation-journal.ts).
 */
import type { OpenAIAdmin } from '../../client.js';
import { APIError, NotFoundError } from '../../core/base/errors.js';
import { keyNeedles, scrubString } from '../../core/base/scrub.js';

export interface RotateOptions {
  projectId: string;
  serviceAccountId: string;
  /** Name of the new key (default `rotated-<ISO date>`). */
  keyName?: string;
  /** The new key's lifetime in seconds (`expires_in_seconds`; default: no expiry unless a policy sets one). */
  expiresInSeconds?: number;
  /**
   * Receives the new key as soon as it is created, before it is verified and before anything is deleted: store it
   * (a secret store, a file, stdout). Throw to abort: nothing is deleted, and the new key is left in place.
   */
  deploy?: (key: { id: string; value: string; expiresAt: number | null }) => void | Promise<void>;
  /** Create and verify the new key but delete nothing (both keys stay valid; retire the old ones later). */
  keepOld?: boolean;
  /** Called after each old key is settled, for progress. */
  onOldKey?: (id: string, outcome: 'deleted' | 'kept') => void;
  /** Records each step before the next effect, so that a killed rotation can be resumed (default: none). */
  journal?: RotationJournal;
}

/**
 * Where a rotation records its steps. Each call must be durable when it returns; a call that throws stops the
 * rotation at stage `record` (after the create: the key is reported as not stored; after `deploy`: delivered).
 */
export interface RotationJournal {
  /** Before the create: the exact name of the key about to be created, and the old keys that will be deleted. */
  intent(plan: { name: string; oldKeys: readonly string[] }): void | Promise<void>;
  /** The create answered: the new key's id (its value is never passed). */
  created(key: { id: string }): void | Promise<void>;
  /** `deploy` returned: the key was handed over. */
  delivered(key: { id: string }): void | Promise<void>;
  /** An old key is gone (deleted now, or found gone). */
  deleted(id: string): void | Promise<void>;
}

export interface RotateResult {
  /** `expiresAt`: Unix seconds, or null when the key does not expire (or the API did not say). */
  newKey: { id: string; value: string; redacted: string; expiresAt: number | null };
  /** Old keys deleted (including those a 5xx or reset answered and a read then showed gone). */
  deleted: string[];
  /** Old keys left in place on purpose (`keepOld`). */
  kept: string[];
}

/** The step a rotation stopped at. */
export type RotationStage = 'record' | 'create' | 'deploy' | 'verify' | 'delete';

/**
 * A rotation stopped part-way. Says what exists now: whether a new key was created and handed over (by id; the
 * value is never in here), which old keys were deleted, which remain and which are unknown.
 */
export class RotationError extends Error {
  override name = 'RotationError';
  constructor(
    readonly stage: RotationStage,
    /** The new key, when one was created (null: none was, or the create's outcome is unknown). */
    readonly newKey: { id: string } | null,
    /** Whether `deploy` received the new key. */
    readonly delivered: boolean,
    readonly deleted: readonly string[],
    readonly remaining: readonly string[],
    /** Old keys whose delete failed ambiguously and whose state a read could not establish. */
    readonly unknown: readonly string[],
    readonly reason: string,
    cause: unknown,
  ) {
    super(`key rotation stopped at ${stage}: ${reason}`);
    (this as { cause?: unknown }).cause = cause;
  }

  /** True when the create itself may have made a key nobody received (a create whose outcome is unknown). */
  get createOutcomeUnknown(): boolean {
    return this.stage === 'create' && this.newKey === null && isAmbiguous(this.cause);
  }
}

/** A failure after which the request may or may not have been carried out. */
function isAmbiguous(err: unknown): boolean {
  if (!(err instanceof APIError)) return true; // not an answer from the server: nothing is known
  return err.status === undefined || err.status === 408 || err.status >= 500;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Rotates one service account's key (see the top of this file for the order and why).
 *
 * @example
 * const result = await rotateServiceAccountKey(admin, {
 *   projectId: 'proj_abc',
 *   serviceAccountId: 'svc_acct_abc',
 *   deploy: (key) => secrets.put('ci-bot', key.value),
 *   journal: myJournal, // optional: intent / created / delivered / deleted, each durable before the next step
 * });
 */
export async function rotateServiceAccountKey(admin: OpenAIAdmin, options: RotateOptions): Promise<RotateResult> {
  const { projectId, serviceAccountId } = options;
  // Fails early (404) if the service account does not exist in this project.
  await admin.projects.serviceAccounts.retrieve(projectId, serviceAccountId);

  const oldKeys: string[] = [];
  for await (const k of admin.projects.apiKeys.list(projectId, { limit: 100, owner_project_access: 'any' })) {
    if (k.owner.type === 'service_account' && k.owner.service_account?.id === serviceAccountId) oldKeys.push(k.id);
  }
  const known: { secret?: string } = {}; // the new key's value, once known: cut out of every reason reported
  const stop = (
    stage: RotationStage,
    newKey: { id: string } | null,
    delivered: boolean,
    deleted: string[],
    unknown: string[],
    reason: string,
    cause: unknown,
  ): never => {
    const remaining = oldKeys.filter((id) => !deleted.includes(id) && !unknown.includes(id));
    const needles = keyNeedles(known.secret);
    const safeReason = needles ? scrubString(reason, needles) : reason;
    throw new RotationError(stage, newKey, delivered, deleted, remaining, unknown, safeReason, cause);
  };

  const journal = options.journal;
  const name = options.keyName ?? `rotated-${new Date().toISOString().slice(0, 10)}`;
  if (journal) {
    try {
      await journal.intent({ name, oldKeys });
    } catch (err) {
      return stop('record', null, false, [], [], `could not record the rotation: ${messageOf(err)}`, err);
    }
  }

  // 1. The new key. Creates are never retried after an ambiguous failure, so this cannot make two keys.
  let created;
  try {
    created = await admin.projects.serviceAccounts.apiKeys.create(projectId, serviceAccountId, {
      name,
      ...(options.expiresInSeconds !== undefined ? { expires_in_seconds: options.expiresInSeconds } : {}),
    });
  } catch (err) {
    return stop('create', null, false, [], [], messageOf(err), err);
  }
  const newKey = { id: created.id };
  const expiresAt = created.expires_at ?? null;
  known.secret = created.value || undefined;
  if (!created.value)
    return stop('create', newKey, false, [], [], `key ${created.id} was created but its value was not returned`, null);
  if (journal) {
    try {
      await journal.created(newKey);
    } catch (err) {
      return stop(
        'record',
        newKey,
        false,
        [],
        [],
        `could not record the new key ${created.id}: ${messageOf(err)}`,
        err,
      );
    }
  }

  // 2. Hand it over before anything else can fail.
  if (options.deploy) {
    try {
      await options.deploy({ id: created.id, value: created.value, expiresAt });
    } catch (err) {
      return stop('deploy', newKey, false, [], [], messageOf(err), err);
    }
  }
  if (journal) {
    try {
      await journal.delivered(newKey);
    } catch (err) {
      return stop(
        'record',
        newKey,
        true,
        [],
        [],
        `could not record that ${created.id} was delivered: ${messageOf(err)}`,
        err,
      );
    }
  }

  // 3. Verify: the project lists it, it belongs to this service account, and its redacted form matches the value.
  let redacted: string;
  try {
    const listed = await admin.projects.apiKeys.retrieve(projectId, created.id);
    if (listed.owner.service_account?.id !== serviceAccountId)
      throw new Error(`the new key ${created.id} is not owned by ${serviceAccountId}`);
    if (!matchesRedacted(created.value, listed.redacted_value))
      throw new Error(`the new key ${created.id} does not match its redacted form ${listed.redacted_value}`);
    redacted = listed.redacted_value;
  } catch (err) {
    return stop('verify', newKey, true, [], [], messageOf(err), err);
  }

  // 4. Only now retire the old keys, stopping at the first that is not provably gone.
  const deleted: string[] = [];
  if (options.keepOld) {
    for (const id of oldKeys) options.onOldKey?.(id, 'kept');
    return { newKey: { id: created.id, value: created.value, redacted, expiresAt }, deleted, kept: oldKeys };
  }
  for (const id of oldKeys) {
    const outcome = await deleteAndSettle(admin, projectId, id);
    if (outcome.state === 'deleted') {
      deleted.push(id);
      if (journal) {
        try {
          await journal.deleted(id);
        } catch (err) {
          return stop(
            'record',
            newKey,
            true,
            deleted,
            [],
            `could not record that ${id} was deleted: ${messageOf(err)}`,
            err,
          );
        }
      }
      options.onOldKey?.(id, 'deleted');
      continue;
    }
    const why =
      outcome.state === 'unknown'
        ? `deleting ${id} failed (${messageOf(outcome.error)}) and reading it back failed too (${messageOf(outcome.readError)})`
        : `deleting ${id} failed (${messageOf(outcome.error)}); it still exists`;
    return stop('delete', newKey, true, deleted, outcome.state === 'unknown' ? [id] : [], why, outcome.error);
  }
  return { newKey: { id: created.id, value: created.value, redacted, expiresAt }, deleted, kept: [] };
}

export type DeleteOutcome =
  | { state: 'deleted' }
  | { state: 'remains'; error: unknown }
  | { state: 'unknown'; error: unknown; readError: unknown };

/**
 * Deletes one key and says what became of it. A 404 means it is gone (an earlier attempt, or someone else,
 * deleted it). A definite refusal (4xx) leaves it in place. Anything ambiguous (5xx, reset, timeout) is
 * settled by reading the key back.
 */
export async function deleteAndSettle(admin: OpenAIAdmin, projectId: string, id: string): Promise<DeleteOutcome> {
  try {
    await admin.projects.apiKeys.delete(projectId, id);
    return { state: 'deleted' };
  } catch (error) {
    if (error instanceof NotFoundError) return { state: 'deleted' };
    if (!isAmbiguous(error)) return { state: 'remains', error };
    try {
      await admin.projects.apiKeys.retrieve(projectId, id);
      return { state: 'remains', error };
    } catch (readError) {
      if (readError instanceof NotFoundError) return { state: 'deleted' };
      return { state: 'unknown', error, readError };
    }
  }
}

/** `sk-svcacct-abc...wxyz` (or with `…` / `***`) is a redaction of `value` when both ends match. */
export function matchesRedacted(value: string, redacted: string): boolean {
  const parts = redacted.split(/\.{3}|…|\*{3,}/);
  if (parts.length !== 2) return true; // an unknown redaction format: nothing to compare
  return value.startsWith(parts[0]) && value.endsWith(parts[1]);
}
