/**
 * Rotate a service account's API key: create a new key, verify it, then delete the old key(s).
 *
 *   npx tsx examples/rotate-service-account-key.ts                          # against a local emulator
 *   OPENAI_ADMIN_KEY=sk-admin-… npx tsx examples/rotate-service-account-key.ts --live --allow-writes \
 *     --project proj_… --service-account svc_acct_…
 *
 * As a command: openai-admin keys rotate proj_… <service-account-name>
 *
 * MUTATING: with --live it creates a key and deletes the service account's other keys, hence --allow-writes.
 *
 * Order matters: the new key is handed to the `deploy` hook (your secret store, a deploy) the moment it is created,
 * before it is verified and before anything is deleted; if the hook throws, nothing is deleted. The old keys are
 * deleted only after the new one checks out, and the first failure stops the rotation with a `RotationError` that
 * says which old keys were deleted, which remain and which are unknown.
 *
 * The upstream spec says deleting a project API key returns "an error if the key belonged to a service account";
 * if your organization answers that way, the rotation stops with the old keys remaining (revoke them in the
 * dashboard, or rotate by replacing the service account).
 */
import type { OpenAIAdmin } from '../src/index.js';
import {
  matchesRedacted,
  rotateServiceAccountKey,
  RotationError,
  type RotateOptions,
  type RotateResult,
} from '../src/cli/workflows/rotate-key.js';
import { exitOnError, flag, isMain, runCli } from './lib/cli.js';
import { printTable, redact } from './lib/print.js';

// The logic is the CLI's (`openai-admin keys rotate <project-id> <service-account-name>`,
// src/cli/workflows/rotate-key.ts); this example shows it as a library call with a `deploy` hook.
export { matchesRedacted, RotationError, type RotateOptions, type RotateResult };

export function main(admin: OpenAIAdmin, options: RotateOptions): Promise<RotateResult> {
  return rotateServiceAccountKey(admin, options);
}

if (isMain('rotate-service-account-key')) {
  runCli({ mutating: true }, async ({ admin, live, args }) => {
    let projectId = flag(args, '--project');
    let serviceAccountId = flag(args, '--service-account');
    if (!live && (!projectId || !serviceAccountId)) {
      // Demo: the seeded 'ci-bot' of the first project.
      projectId = (await admin.projects.list({ limit: 1 })).data[0].id;
      serviceAccountId = (await admin.projects.serviceAccounts.list(projectId, { limit: 1 })).data[0].id;
    }
    if (!projectId || !serviceAccountId) throw new Error('--project and --service-account are required with --live');

    let result: RotateResult;
    try {
      result = await main(admin, { projectId, serviceAccountId });
    } catch (err) {
      if (!(err instanceof RotationError)) throw err;
      printTable(`Rotation stopped at ${err.stage}: ${err.reason}`, [
        ...err.deleted.map((id) => ({ id, outcome: 'deleted' })),
        ...err.remaining.map((id) => ({ id, outcome: 'remains' })),
        ...err.unknown.map((id) => ({ id, outcome: 'unknown' })),
      ]);
      process.exitCode = 2;
      return;
    }
    console.log(`\nNew key ${result.newKey.id}: ${redact(result.newKey.value)} — shown once; store it now`);
    printTable(
      'Old keys',
      result.deleted.map((id) => ({ id, outcome: 'deleted' })),
    );
    const remaining = await admin.projects.apiKeys.list(projectId, { limit: 100 }).toArray();
    printTable(
      `Keys of ${serviceAccountId} now`,
      remaining
        .filter((k) => k.owner.service_account?.id === serviceAccountId)
        .map((k) => ({ id: k.id, name: k.name, redacted: k.redacted_value })),
    );
  }).catch(exitOnError);
}
