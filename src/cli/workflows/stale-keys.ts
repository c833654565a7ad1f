/**
 * `openai-admin keys stale --days 90`: project API keys and admin API keys not used for N days, or never used,
 * with owner and project. Read-only.
 *
 * `last_used_at` is null for a key never used, so "never used" is its own verdict rather than "unused since
 * 1970"; `age_days` tells a forgotten key from one created yesterday. Project keys of every owner state are
 * checked (`owner_project_access: 'any'`), including keys whose owner left the project — the likeliest to be
 * forgotten. Archived projects are skipped: their keys no longer work.
 */
import type { OpenAIAdmin } from '../../client.js';

const DAY = 86_400;

export interface StaleKeyOptions {
  /** A key used within this many days is in use (default 90). */
  days?: number;
  /** Unix seconds treated as "now" (tests). */
  now?: number;
  /** Which keys to check (default both). */
  projectKeys?: boolean;
  adminKeys?: boolean;
  /** Called after each project, for progress. */
  onProject?: (done: number) => void;
}

export interface StaleKey {
  kind: 'project' | 'admin';
  /** Empty for admin keys. */
  projectId: string;
  projectName: string;
  keyId: string;
  keyName: string | null;
  redacted: string;
  owner: string;
  /** Project keys: whether the owner still has access ('active', 'inactive'); admin keys: ''. */
  ownerAccess: string;
  createdAt: number;
  lastUsedAt: number | null;
  verdict: 'never used' | 'unused';
  /** Whole days since last use (null when never used). */
  idleDays: number | null;
  ageDays: number;
}

function verdictOf(lastUsed: number | null, createdAt: number, now: number) {
  return {
    lastUsedAt: lastUsed,
    verdict: lastUsed === null ? ('never used' as const) : ('unused' as const),
    idleDays: lastUsed === null ? null : Math.floor((now - lastUsed) / DAY),
    ageDays: Math.floor((now - createdAt) / DAY),
  };
}

export async function findStaleKeys(admin: OpenAIAdmin, options: StaleKeyOptions = {}): Promise<StaleKey[]> {
  const days = options.days ?? 90;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const cutoff = now - days * DAY;
  const isStale = (lastUsed: number | null | undefined) =>
    lastUsed === null || lastUsed === undefined || lastUsed < cutoff;
  const found: StaleKey[] = [];

  if (options.projectKeys !== false) {
    let done = 0;
    for await (const project of admin.projects.list({ limit: 100 })) {
      for await (const key of admin.projects.apiKeys.list(project.id, { limit: 100, owner_project_access: 'any' })) {
        if (!isStale(key.last_used_at)) continue;
        const owner =
          key.owner.type === 'service_account'
            ? `service account ${key.owner.service_account?.name ?? key.owner.service_account?.id ?? '?'}`
            : `user ${key.owner.user?.email ?? key.owner.user?.id ?? '?'}`;
        found.push({
          kind: 'project',
          projectId: project.id,
          projectName: project.name ?? project.id,
          keyId: key.id,
          keyName: key.name,
          redacted: key.redacted_value,
          owner,
          ownerAccess: key.owner_project_access,
          createdAt: key.created_at,
          ...verdictOf(key.last_used_at ?? null, key.created_at, now),
        });
      }
      options.onProject?.(++done);
    }
  }
  if (options.adminKeys !== false) {
    for await (const key of admin.adminApiKeys.list({ limit: 100 })) {
      if (!isStale(key.last_used_at)) continue;
      const who = key.owner as { name?: string; id?: string; type?: string } | undefined;
      found.push({
        kind: 'admin',
        projectId: '',
        projectName: '',
        keyId: key.id,
        keyName: key.name ?? null,
        redacted: key.redacted_value,
        owner: `${who?.type ?? 'user'} ${who?.name ?? who?.id ?? '?'}`,
        ownerAccess: '',
        createdAt: key.created_at,
        ...verdictOf(key.last_used_at ?? null, key.created_at, now),
      });
    }
  }
  // Never-used first, then the longest idle; oldest first among equals.
  return found.sort(
    (a, b) =>
      (a.lastUsedAt ?? -Infinity) - (b.lastUsedAt ?? -Infinity) ||
      b.ageDays - a.ageDays ||
      a.keyId.localeCompare(b.keyId),
  );
}

/** The rows the command prints (snake_case columns, the same in every output format). */
export function staleKeyRows(keys: readonly StaleKey[]) {
  return keys.map((k) => ({
    kind: k.kind,
    project: k.projectName,
    project_id: k.projectId,
    key_id: k.keyId,
    name: k.keyName,
    redacted: k.redacted,
    owner: k.owner,
    verdict: k.verdict,
    last_used_at: k.lastUsedAt,
    idle_days: k.idleDays,
    age_days: k.ageDays,
    created_at: k.createdAt,
  }));
}
