/**
 * Find project API keys not used for N days, or never used at all.
 *
 *   npx tsx examples/unused-api-keys.ts [--days 90]                         # against a local emulator
 *   OPENAI_ADMIN_KEY=sk-admin-… npx tsx examples/unused-api-keys.ts --live --days 90
 *   openai-admin keys stale --days 90                                          # the same as a command (+ admin keys)
 *
 * Read-only: it reports, it does not delete (deleting is `admin.projects.apiKeys.delete(projectId, keyId)`).
 *
 * `last_used_at` is null for a key that has never been used, so "never used" is its own verdict rather than
 * "unused since 1970". A key created yesterday and not used yet is also "never used"; the `age_days` column tells
 * the two cases apart. Keys of every owner state are checked (`owner_project_access: 'any'`), including keys
 * whose owner has left the project ("inactive"), which are the most likely to be forgotten. Archived projects
 * are skipped: their keys no longer work.
 */
import type { OpenAIAdmin } from '../src/index.js';
import { findStaleKeys, type StaleKey } from '../src/cli/workflows/stale-keys.js';
import { exitOnError, isMain, numberFlag, runCli } from './lib/cli.js';
import { printTable } from './lib/print.js';

// The logic is the CLI's (`openai-admin keys stale`, src/cli/workflows/stale-keys.ts); this example shows it
// as a library call. It reports project keys only, as it always has.

export interface UnusedOptions {
  /** A key used within this many days is considered in use (default 90). */
  days?: number;
  /** Unix seconds treated as "now" (tests). */
  now?: number;
}

export type UnusedKey = StaleKey;

export function main(admin: OpenAIAdmin, options: UnusedOptions = {}): Promise<UnusedKey[]> {
  return findStaleKeys(admin, { ...options, adminKeys: false });
}

if (isMain('unused-api-keys')) {
  runCli({ mutating: false }, async ({ admin, live, args }) => {
    const days = numberFlag(args, '--days', 90);
    if (!live) {
      // Demo: one brand-new, never-used key next to the seeded ones (some used long ago, some never).
      const project = (await admin.projects.list({ limit: 1 })).data[0];
      await admin.projects.serviceAccounts.create(project.id, { name: 'new-bot' });
    }
    const keys = await main(admin, { days });
    printTable(
      `Project API keys unused for ${days}+ days or never used (${keys.length})`,
      keys.map((k) => ({
        project: k.projectName,
        key: k.keyId,
        name: k.keyName,
        owner: k.owner,
        access: k.ownerAccess,
        verdict: k.verdict,
        last_used: k.lastUsedAt === null ? 'never' : new Date(k.lastUsedAt * 1000).toISOString().slice(0, 10),
        idle_days: k.idleDays,
        age_days: k.ageDays,
      })),
    );
  }).catch(exitOnError);
}
