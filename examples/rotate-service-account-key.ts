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
 * Order matters: the old key is deleted only after the new one exists and checks out, so a failure at any step
 * leaves the service account with at least one working key. Hand the new key to whatever uses it (your secret
 * store, a deploy) in the `deploy` hook, which runs before anything is deleted; if it throws, nothing is deleted.
 *
 * The upstream spec says deleting a project API key returns "an error if the key belonged to a service account";
 * if your organization answers that way, the old keys are reported as not deleted (revoke them in the dashboard,
 * or rotate by replacing the service account).
 */
import type { OpenAIAdmin } from '../src/index.js';
import {
  matchesRedacted,
  rotateServiceAccountKey,
  type RotateOptions,
  type RotateResult,
} from '../src/cli/workflows/rotate-key.js';
import { exitOnError, flag, isMain, runCli } from './lib/cli.js';
import { printTable, redact } from './lib/print.js';

// The logic is the CLI's (`openai-admin keys rotate <project-id> <service-account-name>`,
// src/cli/workflows/rotate-key.ts); this example shows it as a library call with a `deploy` hook.
export { matchesRedacted, type RotateOptions, type RotateResult };

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

    const result = await main(admin, { projectId, serviceAccountId });
    console.log(`\nNew key ${result.newKey.id}: ${redact(result.newKey.value)} — shown once; store it now`);
    printTable('Old keys', [
      ...result.deleted.map((id) => ({ id, outcome: 'deleted' })),
      ...result.notDeleted.map((k) => ({ id: k.id, outcome: `NOT deleted: ${k.reason}` })),
    ]);
    const remaining = await admin.projects.apiKeys.list(projectId, { limit: 100 }).toArray();
    printTable(
      `Keys of ${serviceAccountId} now`,
      remaining
        .filter((k) => k.owner.service_account?.id === serviceAccountId)
        .map((k) => ({ id: k.id, name: k.name, redacted: k.redacted_value })),
    );
    if (result.notDeleted.length) process.exitCode = 2;
  }).catch(exitOnError);
}
