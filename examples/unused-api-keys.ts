/**
 * Find project API keys not used for N days, or never used at all.
 *
 *   npx tsx examples/unused-api-keys.ts [--days 90]                         # against a local emulator
 *   OPENAI_ADMIN_KEY=sk-admin-… npx tsx examples/unused-api-keys.ts --live --days 90
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
import { exitOnError, isMain, numberFlag, runCli } from './lib/cli.js';
import { printTable } from './lib/print.js';

const DAY = 86_400;

export interface UnusedOptions {
  /** A key used within this many days is considered in use (default 90). */
  days?: number;
  /** Unix seconds treated as "now" (tests). */
  now?: number;
}

export interface UnusedKey {
  projectId: string;
  projectName: string;
  keyId: string;
  keyName: string | null;
  redacted: string;
  owner: string;
  ownerAccess: string;
  createdAt: number;
  lastUsedAt: number | null;
  verdict: 'never used' | 'unused';
  /** Whole days since last use (null when never used). */
  idleDays: number | null;
  ageDays: number;
}

export async function main(admin: OpenAIAdmin, options: UnusedOptions = {}): Promise<UnusedKey[]> {
  const days = options.days ?? 90;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const cutoff = now - days * DAY;
  const found: UnusedKey[] = [];

  for await (const project of admin.projects.list({ limit: 100 })) {
    for await (const key of admin.projects.apiKeys.list(project.id, { limit: 100, owner_project_access: 'any' })) {
      const lastUsed = key.last_used_at ?? null;
      if (lastUsed !== null && lastUsed >= cutoff) continue; // in use
      const owner = key.owner.type === 'service_account'
        ? `service account ${key.owner.service_account?.name ?? key.owner.service_account?.id ?? '?'}`
        : `user ${key.owner.user?.email ?? key.owner.user?.id ?? '?'}`;
      found.push({
        projectId: project.id,
        projectName: project.name ?? project.id,
        keyId: key.id,
        keyName: key.name,
        redacted: key.redacted_value,
        owner,
        ownerAccess: key.owner_project_access,
        createdAt: key.created_at,
        lastUsedAt: lastUsed,
        verdict: lastUsed === null ? 'never used' : 'unused',
        idleDays: lastUsed === null ? null : Math.floor((now - lastUsed) / DAY),
        ageDays: Math.floor((now - key.created_at) / DAY),
      });
    }
  }
  // Never-used first, then the longest idle.
  return found.sort((a, b) => (a.lastUsedAt ?? -Infinity) - (b.lastUsedAt ?? -Infinity) || b.ageDays - a.ageDays);
}

if (isMain('unused-api-keys')) {
  runCli({ mutating: false }, async ({ admin, live, args }) => {
    const days = numberFlag(args, '--days', 90);
    if (!live) {
      // Demo: one brand-new, never-used key next to the seeded ones (some used long ago, some never).
      const project = (await admin.projects.list({ limit: 1 })).data[0]!;
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
