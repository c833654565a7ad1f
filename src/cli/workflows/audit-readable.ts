/**
 * `audit-logs list` as a person reads it: when (UTC, ISO-8601), who (an email, or an API key by its name), what
 * (the event type) and on what (a name, not only an id), plus the project; `--summary` counts events by type and
 * actor over the whole range instead.
 *
 * Names are looked up through the client's public API, once per distinct id (cached, so a page of 100 events on
 * one project costs one lookup), and a lookup that fails (a deleted project, a key of another project, no
 * permission) falls back to what the event itself says: the id, or a name the event carries (`data.name`,
 * `group_name`, an invite's email). An event is never dropped for a name that could not be found.
 */
import type { OpenAIAdmin } from '../../client.js';

/** The parts of an audit event this reads (the API sends more). */
export interface AuditEvent {
  id: string;
  type: string;
  effective_at: number;
  project?: { id?: string; name?: string } | null;
  actor?: {
    type?: string;
    session?: { user?: { id?: string; email?: string } };
    api_key?: {
      id?: string;
      type?: string;
      user?: { id?: string; email?: string };
      service_account?: { id?: string };
    };
  };
  [details: string]: unknown;
}

export interface ReadableAuditRow {
  time: string;
  event: string;
  actor: string;
  target: string;
  project: string;
  id: string;
}

/** Unix seconds as `2026-11-29T14:05:00Z`. Pure. */
export const isoUtc = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Lookup = (id: string) => Promise<string | undefined>;

/** What an event's details say about its target: its id and any name they carry. Pure. */
export function targetOf(event: AuditEvent): { id?: string; name?: string } {
  const details = event[event.type] as Record<string, unknown> | undefined;
  if (!details || typeof details !== 'object') return {};
  const data = (details.data ?? details.changes_requested ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const name = text(data.name) ?? text(data.group_name) ?? text(data.title) ?? text(details.email) ?? text(data.email);
  return { ...(text(details.id) ? { id: text(details.id) } : {}), ...(name ? { name } : {}) };
}

export class AuditNames {
  readonly #cache = new Map<string, Promise<string | undefined>>();
  #adminKeys: Promise<Map<string, string>> | undefined;

  constructor(private readonly admin: OpenAIAdmin) {}

  /** One lookup per kind and id; a failure is remembered as "unknown" (not retried within the command). */
  #once(kind: string, id: string, lookup: Lookup): Promise<string | undefined> {
    const key = `${kind}:${id}`;
    let found = this.#cache.get(key);
    if (!found) {
      found = lookup(id).catch(() => undefined);
      this.#cache.set(key, found);
    }
    return found;
  }

  /** Admin keys by id → name: one list for the whole command (organisations have a handful). */
  #adminKeyName(id: string): Promise<string | undefined> {
    this.#adminKeys ??= this.admin.adminApiKeys
      .list({ limit: 100 })
      .toArray({ max: 1_000 })
      .then((keys) => new Map(keys.map((k) => [k.id, k.name ?? k.id])))
      .catch(() => new Map<string, string>());
    return this.#adminKeys.then((m) => m.get(id));
  }

  /**
   * The actor, short enough for a column: a session's user email; a user's API key as the email, with the key's
   * name when it resolves (`ada@example.com via "Deploy bot"`); another key by its name, else by what it is.
   */
  async actor(event: AuditEvent): Promise<string> {
    const actor = event.actor;
    if (actor?.session) return actor.session.user?.email ?? actor.session.user?.id ?? 'session';
    const key = actor?.api_key;
    if (!key) return actor?.type ?? '';
    const name = key.id ? await this.#adminKeyName(key.id) : undefined;
    if (key.user?.email) return name ? `${key.user.email} via "${name}"` : key.user.email;
    if (name) return `key "${name}"`;
    if (key.service_account?.id) return `service account ${key.service_account.id}`;
    return `key ${key.id ?? '?'}`;
  }

  /** The target's name where the event type says what kind of object it is; else what the event carries. */
  async target(event: AuditEvent): Promise<string> {
    const { id, name } = targetOf(event);
    if (name) return id ? `${name} (${id})` : name;
    if (!id) return '';
    const kind = event.type.split('.')[0];
    const projectId = event.project?.id;
    const looked = await (kind === 'project'
      ? this.#once('project', id, (i) => this.admin.projects.retrieve(i).then((p) => p.name ?? undefined))
      : kind === 'user'
        ? this.#once('user', id, (i) => this.admin.users.retrieve(i).then((u) => u.email ?? undefined))
        : kind === 'group'
          ? this.#once('group', id, (i) => this.admin.groups.retrieve(i).then((g) => g.name))
          : kind === 'service_account' && projectId
            ? this.#once('sa', `${projectId}/${id}`, () =>
                this.admin.projects.serviceAccounts.retrieve(projectId, id).then((s) => s.name),
              )
            : kind === 'api_key'
              ? this.#adminKeyName(id).then(
                  (n) =>
                    n ??
                    (projectId
                      ? this.#once('key', `${projectId}/${id}`, () =>
                          this.admin.projects.apiKeys.retrieve(projectId, id).then((k) => k.name ?? undefined),
                        )
                      : undefined),
                )
              : Promise.resolve(undefined));
    return looked ? `${looked} (${id})` : id;
  }

  /** One event as a readable row. */
  async row(event: AuditEvent): Promise<ReadableAuditRow> {
    const [actor, target] = await Promise.all([this.actor(event), this.target(event)]);
    return {
      time: isoUtc(event.effective_at),
      event: event.type,
      actor,
      target,
      project: event.project?.name ?? event.project?.id ?? '',
      id: event.id,
    };
  }
}

/** Counts by event type and actor (most frequent first; then by event and actor, so equal counts keep an order). */
export class AuditSummary {
  readonly #counts = new Map<string, { event: string; actor: string; count: number }>();
  first: number | undefined;
  last: number | undefined;
  total = 0;

  add(event: string, actor: string, at: number): void {
    const key = JSON.stringify([event, actor]);
    const entry = this.#counts.get(key) ?? { event, actor, count: 0 };
    entry.count++;
    this.#counts.set(key, entry);
    this.total++;
    this.first = Math.min(this.first ?? at, at);
    this.last = Math.max(this.last ?? at, at);
  }

  rows(): Array<{ event: string; actor: string; count: number }> {
    return [...this.#counts.values()].sort(
      (a, b) => b.count - a.count || a.event.localeCompare(b.event) || a.actor.localeCompare(b.actor),
    );
  }

  /** `42 events from 2026-11-01T… to 2026-11-29T…`. */
  title(): string {
    if (this.total === 0) return '0 events';
    return `${this.total} event(s) from ${isoUtc(this.first!)} to ${isoUtc(this.last!)}`;
  }
}
