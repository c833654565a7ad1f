/**
 * Rotate a service account's API key: create a new key, verify it, then delete the old key(s).
 *
 * Order matters: the old keys are deleted only after the new one exists and checks out, so a failure at any
 * step leaves the service account with at least one working key. `deploy` receives the new key before anything
 * is deleted (write it to a secret store); if it throws, nothing is deleted.
 *
 * The upstream spec says deleting a project API key returns "an error if the key belonged to a service
 * account"; if an organization answers that way, the old keys are reported as not deleted.
 */
import type { OpenAIAdmin } from '../../client.js';
import { APIError } from '../../core/errors.js';

export interface RotateOptions {
  projectId: string;
  serviceAccountId: string;
  /** Name of the new key (default `rotated-<ISO date>`). */
  keyName?: string;
  /** Receives the new key before the old ones are deleted, e.g. to write it to a secret store. Throw to abort. */
  deploy?: (key: { id: string; value: string }) => Promise<void>;
}

export interface RotateResult {
  newKey: { id: string; value: string; redacted: string };
  deleted: string[];
  /** Old keys the API refused to delete, with its message. */
  notDeleted: Array<{ id: string; reason: string }>;
}

export async function rotateServiceAccountKey(admin: OpenAIAdmin, options: RotateOptions): Promise<RotateResult> {
  const { projectId, serviceAccountId } = options;
  // Fails early (404) if the service account does not exist in this project.
  await admin.projects.serviceAccounts.retrieve(projectId, serviceAccountId);

  const oldKeys = [];
  for await (const k of admin.projects.apiKeys.list(projectId, { limit: 100 })) {
    if (k.owner.type === 'service_account' && k.owner.service_account?.id === serviceAccountId) oldKeys.push(k);
  }

  // 1. The new key. Creates are never retried after an ambiguous failure, so this cannot make two keys.
  const created = await admin.projects.serviceAccounts.apiKeys.create(projectId, serviceAccountId, {
    name: options.keyName ?? `rotated-${new Date().toISOString().slice(0, 10)}`,
  });
  if (!created.value)
    throw new Error(`key ${created.id} was created but its value was not returned; delete it and retry`);

  // 2. Verify: the project lists it, it belongs to this service account, and its redacted form matches the value.
  const listed = await admin.projects.apiKeys.retrieve(projectId, created.id);
  if (listed.owner.service_account?.id !== serviceAccountId)
    throw new Error(`new key ${created.id} is not owned by ${serviceAccountId}`);
  if (!matchesRedacted(created.value, listed.redacted_value)) {
    throw new Error(`new key ${created.id}: value does not match its redacted form ${listed.redacted_value}`);
  }
  if (options.deploy) await options.deploy({ id: created.id, value: created.value });

  // 3. Only now retire the old keys.
  const deleted: string[] = [];
  const notDeleted: RotateResult['notDeleted'] = [];
  for (const k of oldKeys) {
    try {
      await admin.projects.apiKeys.delete(projectId, k.id);
      deleted.push(k.id);
    } catch (err) {
      if (!(err instanceof APIError) || err.status === undefined || err.status >= 500) throw err;
      notDeleted.push({ id: k.id, reason: err.message });
    }
  }
  return { newKey: { id: created.id, value: created.value, redacted: listed.redacted_value }, deleted, notDeleted };
}

/** `sk-svcacct-abc...wxyz` (or with `…` / `***`) is a redaction of `value` when both ends match. */
export function matchesRedacted(value: string, redacted: string): boolean {
  const parts = redacted.split(/\.{3}|…|\*{3,}/);
  if (parts.length !== 2) return true; // an unknown redaction format: nothing to compare
  return value.startsWith(parts[0]) && value.endsWith(parts[1]);
}
