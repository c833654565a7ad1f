/**
 * `openai-admin keys stale --days 90`: project API keys and admin API keys not used for N days, or never used,
 * with owner and project. Read-only.
 *
 * `last_used_at` is null for a key never used, so "never used" is its own verdict rather than "unused since
 * 1970"; `age_days` tells a forgotten key from one created yesterday. Project keys of every owner state are
 * checked (`owner_project_access: 'any'`), including keys whose owner left the project — the likeliest to be
 * forgotten. Archived projects are skipped: their keys no longer work.
 *
 * `expiringWithin` (`--expiring 14d`) selects differently: the keys whose `expires_at` (project keys since the
 * September 2026 API change; admin keys) falls within that window from now, soonest first, whether used or not —
 * the keys to rotate before something stops working. A key already past its expiry that the API still lists is
 * shown as "expired".
 */
import type { OpenAIAdmin } from '../../client.js';

const DAY = 86_400;

export interface StaleKeyOptions {
  /** A key used within this many days is in use (default 90). */
  days?: number;
  /** Instead of unused keys: keys expiring within this many seconds from now. */
  expiringWithin?: number;
  /** Unix seconds treated as "now" (tests). */
  now?: number;
  /** Which keys to check (default both). */
  projectKeys?: boolean;
  adminKeys?: boolean;
  /** Called once the projects are known (done 0) and after each project, for progress. */
  onProject?: (done: number, total: number) => void;
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
  verdict: 'never used' | 'unused' | 'expiring' | 'expired';
  /** Whole days since last use (null when never used). */
  idleDays: number | null;
  ageDays: number;
  /** Unix seconds when the key stops working; null: it does not expire (or the API does not say). */
  expiresAt: number | null;
  /** Whole days until expiry (negative once past; null when it does not expire). */
  expiresInDays: number | null;
}

function verdictOf(
  key: { last_used_at?: number | null; created_at: number; expires_at?: number | null },
  now: number,
  expiringMode: boolean,
) {
  const lastUsed = key.last_used_at ?? null;
  const expiresAt = key.expires_at ?? null;
  const verdict: StaleKey['verdict'] = expiringMode
    ? expiresAt !== null && expiresAt <= now
      ? 'expired'
      : 'expiring'
    : lastUsed === null
      ? 'never used'
      : 'unused';
  return {
    lastUsedAt: lastUsed,
    verdict,
    idleDays: lastUsed === null ? null : Math.floor((now - lastUsed) / DAY),
    ageDays: Math.floor((now - key.created_at) / DAY),
    expiresAt,
    expiresInDays: expiresAt === null ? null : Math.floor((expiresAt - now) / DAY),
  };
}

export async function findStaleKeys(admin: OpenAIAdmin, options: StaleKeyOptions = {}): Promise<StaleKey[]> {
  const days = options.days ?? 90;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const cutoff = now - days * DAY;
  const window = options.expiringWithin;
  const expiringMode = window !== undefined;
  const selected = (key: { last_used_at?: number | null; expires_at?: number | null }) =>
    expiringMode
      ? key.expires_at !== null && key.expires_at !== undefined && key.expires_at <= now + window
      : key.last_used_at === null || key.last_used_at === undefined || key.last_used_at < cutoff;
  const found: StaleKey[] = [];

  if (options.projectKeys !== false) {
    let done = 0;
    // Listed first (a few pages at most) so that progress can say how many remain.
    const projects = await admin.projects.list({ limit: 100 }).toArray({ max: 100_000 });
    options.onProject?.(0, projects.length);
    for (const project of projects) {
      for await (const key of admin.projects.apiKeys.list(project.id, { limit: 100, owner_project_access: 'any' })) {
        if (!selected(key)) continue;
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
          ...verdictOf(key, now, expiringMode),
        });
      }
      options.onProject?.(++done, projects.length);
    }
  }
  if (options.adminKeys !== false) {
    for await (const key of admin.adminApiKeys.list({ limit: 100 })) {
      if (!selected(key)) continue;
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
        ...verdictOf(key, now, expiringMode),
      });
    }
  }
  // Expiring: soonest first. Unused: never-used first, then the longest idle; oldest first among equals.
  if (expiringMode) return found.sort((a, b) => a.expiresAt! - b.expiresAt! || a.keyId.localeCompare(b.keyId));
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
    expires_at: k.expiresAt,
    expires_in_days: k.expiresInDays,
  }));
}
