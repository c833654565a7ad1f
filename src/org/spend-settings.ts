/**
 * Spend limits, spend alerts (organisation and project) and the organisation's data retention in an org file:
 * reading them, writing them to the file, planning and applying their changes. plan.ts, read.ts, export.ts,
 * apply.ts and validate.ts call in here, one line each, so these types stay out of the shared modules.
 *
 * Keys (no ids in the file): a spend limit is one per organisation or project; a spend alert is keyed by its
 * threshold, currency and interval ("the 50.00 USD/month alert"), with its `id` only when two share a threshold;
 * the data retention is one per organisation.
 *
 * What each change means against the API:
 * - spend limit: create and update are the same call (create or replace: the whole body is sent, the plan lists
 *   the fields that differ); `spend_limit: null` removes the limit, but only with --prune (removing a cap is
 *   the kind of change --prune exists for); without it, a note says so.
 * - spend alert: create; update of its notification channel (recipients, subject prefix) or, for an entry keyed
 *   by id, its threshold (the whole body is sent); with --prune, alerts the file does not list are deleted.
 * - data retention: update only (there is no default to reset to, so --prune leaves it alone).
 */
import type { OpenAIAdmin } from '../client.js';
import { collect } from './collect.js';
import { NotFoundError, type UpdateOrganizationDataRetentionBody } from '../index.js';
import type {
  LiveOrg,
  LiveProject,
  LiveSpendAlert,
  LiveSpendLimit,
  LiveSpendSettings,
  OrgFile,
  OrgFileProject,
  OrgFileSpendAlert,
  OrgFileSpendLimit,
  OrgFileSpendSettings,
} from './model.js';
import type { ChangeLike, IssueLike, PlanContext, SettingsTarget, TargetLike } from './settings-types.js';

export type { SettingsTarget };

export const SETTINGS_TYPES = ['data_retention', 'spend_limit', 'spend_alert'] as const;
export type SettingsChangeType = (typeof SETTINGS_TYPES)[number];

const PAGE = { limit: 100 } as const;

// ---------------------------------------------------------------- reading

/** A spend limit read, or null where there is none (the API answers 404). */
async function limitOrNull(read: () => Promise<LiveSpendLimit>): Promise<LiveSpendLimit | null> {
  try {
    const l = await read();
    return { threshold_amount: l.threshold_amount, currency: l.currency, interval: l.interval };
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

const liveAlert = (a: {
  id: string;
  threshold_amount: number;
  currency: string;
  interval: string;
  notification_channel: { type: string; recipients: string[]; subject_prefix?: string | null };
}): LiveSpendAlert => ({
  id: a.id,
  threshold_amount: a.threshold_amount,
  currency: a.currency,
  interval: a.interval,
  notification_channel: {
    type: a.notification_channel.type,
    recipients: [...a.notification_channel.recipients],
    subject_prefix: a.notification_channel.subject_prefix ?? null,
  },
});

/**
 * Reads the organisation's settings the sections ask for into `live`.
 *
 * @example
 * ```ts
 * await readOrgSettings(admin, live, (s) => sections.includes(s));
 * ```
 */
export async function readOrgSettings(
  admin: OpenAIAdmin,
  live: LiveOrg,
  wants: (section: 'spend_limit' | 'spend_alerts' | 'data_retention') => boolean,
): Promise<void> {
  if (wants('spend_limit')) live.spendLimit = await limitOrNull(() => admin.spendLimit.retrieve());
  if (wants('spend_alerts'))
    live.spendAlerts = (await collect(admin.spendAlerts.list(PAGE), 'spend alerts')).map(liveAlert);
  if (wants('data_retention')) live.dataRetention = (await admin.dataRetention.retrieve()).type;
}

/**
 * Reads an active project's spend limit and alerts into `project`.
 *
 * @example
 * ```ts
 * await readProjectSettings(admin, project);
 * ```
 */
export async function readProjectSettings(admin: OpenAIAdmin, project: LiveProject): Promise<void> {
  const [limit, alerts] = await Promise.all([
    limitOrNull(() => admin.projects.spendLimit.retrieve(project.id)),
    collect(admin.projects.spendAlerts.list(project.id, PAGE), `project ${project.id}'s spend alerts`),
  ]);
  project.spendLimit = limit;
  project.spendAlerts = alerts.map(liveAlert);
}

// ---------------------------------------------------------------- the file

const alertKeyOf = (a: { threshold_amount: number; currency: string; interval: string }) =>
  `${a.threshold_amount} ${a.currency}/${a.interval}`;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The spend settings of the live organisation or project as file entries: what was read, sorted (alerts by
 * threshold; recipients by address), ids only where two alerts share a threshold. Pure.
 *
 * @example
 * ```ts
 * Object.assign(entry, spendSettingsToFile(liveProject));
 * ```
 */
export function spendSettingsToFile(live: LiveSpendSettings): OrgFileSpendSettings {
  const out: OrgFileSpendSettings = {};
  if (live.spendLimit !== undefined)
    out.spend_limit = live.spendLimit && {
      threshold_amount: live.spendLimit.threshold_amount,
      currency: live.spendLimit.currency as 'USD',
      interval: live.spendLimit.interval as 'month',
    };
  if (live.spendAlerts !== undefined) {
    const count = new Map<string, number>();
    for (const a of live.spendAlerts) count.set(alertKeyOf(a), (count.get(alertKeyOf(a)) ?? 0) + 1);
    out.spend_alerts = live.spendAlerts
      .map((a): OrgFileSpendAlert => ({
        threshold_amount: a.threshold_amount,
        currency: a.currency as 'USD',
        interval: a.interval as 'month',
        ...((count.get(alertKeyOf(a)) ?? 0) > 1 ? { id: a.id } : {}),
        notification_channel: {
          type: a.notification_channel.type as 'email',
          recipients: [...a.notification_channel.recipients].sort(byText),
          subject_prefix: a.notification_channel.subject_prefix,
        },
      }))
      .sort(
        (a, b) =>
          a.threshold_amount - b.threshold_amount ||
          byText(alertKeyOf(a), alertKeyOf(b)) ||
          byText(a.id ?? '', b.id ?? ''),
      );
  }
  return out;
}

/**
 * The organisation's own settings as top-level file sections (those that were read). Pure.
 *
 * @example
 * ```ts
 * Object.assign(file, orgSettingsToFile(live));
 * ```
 */
export function orgSettingsToFile(live: LiveOrg): Pick<OrgFile, 'spend_limit' | 'spend_alerts' | 'data_retention'> {
  return {
    ...spendSettingsToFile(live),
    ...(live.dataRetention !== undefined ? { data_retention: live.dataRetention } : {}),
  };
}

/**
 * Duplicate alert keys within the file (two entries for one threshold, neither with an id). Pure.
 *
 * @example
 * ```ts
 * issues.push(...checkSettingsReferences(file));
 * ```
 */
export function checkSettingsReferences(file: OrgFile): IssueLike[] {
  const issues: IssueLike[] = [];
  const check = (alerts: OrgFileSpendAlert[] | undefined, path: IssueLike['path']) => {
    const seen = new Map<string, number>();
    (alerts ?? []).forEach((a, i) => {
      const k = a.id ?? alertKeyOf(a);
      if (seen.has(k))
        issues.push({
          path: [...path, i, a.id ? 'id' : 'threshold_amount'],
          message: `an alert at ${alertLabel(a)} is listed twice (also entry ${seen.get(k)}); for two alerts with one threshold, give each its id`,
        });
      else seen.set(k, i);
    });
  };
  check(file.spend_alerts, ['spend_alerts']);
  (file.projects ?? []).forEach((p, i) => check(p.spend_alerts, ['projects', i, 'spend_alerts']));
  return issues;
}

// ---------------------------------------------------------------- planning

export type SettingsPlanContext = PlanContext<SettingsChangeType>;

const alertLabel = (a: { threshold_amount: number; currency: string; interval: string }) =>
  `${(a.threshold_amount / 100).toFixed(2)} ${a.currency}/${a.interval}`;

/**
 * The changes to the organisation's own settings (the top-level `spend_limit`, `spend_alerts`, `data_retention`).
 * Pure.
 *
 * @example
 * ```ts
 * planOrgSettings(desired, live, { add, problems, notes, prune, count });
 * ```
 */
export function planOrgSettings(desired: OrgFile, live: LiveOrg, cx: SettingsPlanContext): void {
  const label = 'organisation';
  if (desired.data_retention !== undefined) {
    if (desired.data_retention !== live.dataRetention)
      cx.add({
        action: 'update',
        type: 'data_retention',
        key: `${label} › data retention`,
        fields: { data_retention: { old: live.dataRetention ?? null, new: desired.data_retention } },
        before: { data_retention: live.dataRetention ?? null },
        target: { settings: { retention: desired.data_retention } },
      });
    else cx.count();
  }
  planSpendSettings(desired, live, {}, label, cx);
}

/**
 * The changes to a project's spend limit and alerts (`projects[].spend_limit`, `.spend_alerts`); `l` is null for a
 * project this plan creates. Pure.
 *
 * @example
 * ```ts
 * planProjectSettings(p, l, { project: key, projectName: p.name, projectId: l?.id }, 'project "Research"', cx);
 * ```
 */
export function planProjectSettings(
  p: OrgFileProject,
  l: LiveProject | null,
  base: TargetLike,
  label: string,
  cx: SettingsPlanContext,
): void {
  planSpendSettings(p, l ?? { spendLimit: null, spendAlerts: [] }, base, label, cx);
}

function planSpendSettings(
  file: OrgFileSpendSettings,
  live: LiveSpendSettings,
  base: TargetLike,
  label: string,
  cx: SettingsPlanContext,
): void {
  if (file.spend_limit !== undefined) planLimit(file.spend_limit, live.spendLimit ?? null, base, label, cx);
  if (file.spend_alerts !== undefined) planAlerts(file.spend_alerts, live.spendAlerts ?? [], base, label, cx);
}

const LIMIT_FIELDS = ['threshold_amount', 'currency', 'interval'] as const;

function planLimit(
  wanted: OrgFileSpendLimit | null,
  l: LiveSpendLimit | null,
  base: TargetLike,
  label: string,
  cx: SettingsPlanContext,
): void {
  const key = `${label} › spend limit`;
  if (wanted === null) {
    if (l === null) return cx.count();
    if (!cx.prune)
      return void cx.notes.push(
        `${key}: the file says none, the live limit (${alertLabel(l)}) stays: it is removed with --prune only`,
      );
    return cx.add({
      action: 'delete',
      type: 'spend_limit',
      key,
      meaning: 'remove the hard spend limit (spend is no longer capped)',
      fields: Object.fromEntries(LIMIT_FIELDS.map((f) => [f, { old: l[f], new: null }])),
      before: l,
      target: { ...base },
    });
  }
  const limit = { threshold_amount: wanted.threshold_amount, currency: wanted.currency, interval: wanted.interval };
  const fields: ChangeLike['fields'] = {};
  for (const f of LIMIT_FIELDS) if (l?.[f] !== wanted[f]) fields[f] = { old: l?.[f] ?? null, new: wanted[f] };
  if (!Object.keys(fields).length) return cx.count();
  cx.add({
    action: l ? 'update' : 'create',
    type: 'spend_limit',
    key,
    meaning: l ? 'replace the hard spend limit (the API takes the whole limit)' : 'set a hard spend limit',
    fields,
    before: l,
    target: { ...base, settings: { limit } },
  });
}

/** Recipients compared as a set of addresses (the API keeps them in the order sent; the file sorts them). */
const recipientsOf = (r: string[]) => [...new Set(r.map((e) => e.toLowerCase()))].sort(byText);

function planAlerts(
  wanted: OrgFileSpendAlert[],
  live: LiveSpendAlert[],
  base: TargetLike,
  label: string,
  cx: SettingsPlanContext,
): void {
  const kept = new Set<string>();
  for (const a of wanted) {
    const aKey = `${label} › spend alert ${alertLabel(a)}${a.id ? ` (${a.id})` : ''}`;
    let l: LiveSpendAlert | undefined;
    if (a.id) {
      l = live.find((x) => x.id === a.id);
      if (!l) {
        cx.problems.push(`${aKey}: no spend alert with this id (remove the id to create the alert by threshold)`);
        continue;
      }
    } else {
      const same = live.filter((x) => alertKeyOf(x) === alertKeyOf(a));
      if (same.length > 1) {
        cx.problems.push(
          `${aKey}: there are ${same.length} alerts at this threshold (${same.map((x) => x.id).join(', ')}); give the entry the id of the one it means`,
        );
        continue;
      }
      l = same[0];
    }
    const channel = {
      type: a.notification_channel.type,
      recipients: recipientsOf(a.notification_channel.recipients),
      // Left out of the file: not managed, so the live prefix is sent back unchanged.
      subject_prefix:
        a.notification_channel.subject_prefix !== undefined
          ? a.notification_channel.subject_prefix
          : (l?.notification_channel.subject_prefix ?? null),
    };
    const alert = { threshold_amount: a.threshold_amount, currency: a.currency, interval: a.interval };
    const body = { ...alert, notification_channel: channel };
    if (!l) {
      cx.add({
        action: 'create',
        type: 'spend_alert',
        key: aKey,
        fields: {
          ...Object.fromEntries(LIMIT_FIELDS.map((f) => [f, { old: null, new: alert[f] }])),
          recipients: { old: null, new: channel.recipients },
          ...(channel.subject_prefix !== null ? { subject_prefix: { old: null, new: channel.subject_prefix } } : {}),
        },
        before: null,
        target: { ...base, settings: { alert: body } },
      });
      continue;
    }
    kept.add(l.id);
    const fields: ChangeLike['fields'] = {};
    for (const f of LIMIT_FIELDS) if (l[f] !== alert[f]) fields[f] = { old: l[f], new: alert[f] };
    const liveRecipients = recipientsOf(l.notification_channel.recipients);
    if (JSON.stringify(liveRecipients) !== JSON.stringify(channel.recipients))
      fields.recipients = { old: liveRecipients, new: channel.recipients };
    if (l.notification_channel.subject_prefix !== channel.subject_prefix)
      fields.subject_prefix = { old: l.notification_channel.subject_prefix, new: channel.subject_prefix };
    if (!Object.keys(fields).length) {
      cx.count();
      continue;
    }
    cx.add({
      action: 'update',
      type: 'spend_alert',
      key: aKey,
      meaning: 'replace the alert (the API takes the whole alert)',
      fields,
      before: l,
      target: { ...base, settings: { alert: body, alertId: l.id } },
    });
  }
  if (!cx.prune) return;
  const count = new Map<string, number>();
  for (const l of live) count.set(alertKeyOf(l), (count.get(alertKeyOf(l)) ?? 0) + 1);
  for (const l of live)
    if (!kept.has(l.id))
      cx.add({
        action: 'delete',
        type: 'spend_alert',
        key: `${label} › spend alert ${alertLabel(l)}${(count.get(alertKeyOf(l)) ?? 0) > 1 ? ` (${l.id})` : ''}`,
        meaning: 'delete the spend alert',
        fields: { threshold_amount: { old: l.threshold_amount, new: null } },
        before: l,
        target: { ...base, settings: { alertId: l.id } },
      });
}

// ---------------------------------------------------------------- applying

/** Whether a change is one of this module's (apply hands those to {@link applySettingsChange}). */
export const isSettingsChange = (c: ChangeLike): boolean => (SETTINGS_TYPES as readonly string[]).includes(c.type);

type RetentionType = UpdateOrganizationDataRetentionBody['retention_type'];

/**
 * Carries out one settings change. `projectId` resolves the project of a project-level change (created earlier
 * in the run, perhaps); organisation-level changes have no `target.project`. A delete that finds nothing to
 * delete is done (a resumed run, or someone else was quicker).
 *
 * @example
 * ```ts
 * if (isSettingsChange(c)) return applySettingsChange(admin, c, () => this.project(c));
 * ```
 */
export async function applySettingsChange(admin: OpenAIAdmin, c: ChangeLike, projectId: () => string): Promise<void> {
  const s = c.target.settings ?? {};
  const project = c.target.project !== undefined ? projectId() : null;
  const gone = async (send: () => Promise<unknown>) => {
    try {
      await send();
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  };
  switch (`${c.type}:${c.action}`) {
    case 'data_retention:update':
      return void (await admin.dataRetention.update({ retention_type: s.retention as RetentionType }));
    case 'spend_limit:create':
    case 'spend_limit:update':
      return void (await (project === null
        ? admin.spendLimit.update(s.limit!)
        : admin.projects.spendLimit.update(project, s.limit!)));
    case 'spend_limit:delete':
      return gone(() => (project === null ? admin.spendLimit.delete() : admin.projects.spendLimit.delete(project)));
    case 'spend_alert:create':
      return void (await (project === null
        ? admin.spendAlerts.create(alertBody(s))
        : admin.projects.spendAlerts.create(project, alertBody(s))));
    case 'spend_alert:update':
      return void (await (project === null
        ? admin.spendAlerts.update(s.alertId!, alertBody(s))
        : admin.projects.spendAlerts.update(project, s.alertId!, alertBody(s))));
    case 'spend_alert:delete':
      return gone(() =>
        project === null
          ? admin.spendAlerts.delete(s.alertId!)
          : admin.projects.spendAlerts.delete(project, s.alertId!),
      );
    default:
      throw new Error(`${c.key}: apply does not know how to ${c.action} a ${c.type}`);
  }
}

function alertBody(s: SettingsTarget) {
  const a = s.alert!;
  return {
    threshold_amount: a.threshold_amount,
    currency: a.currency,
    interval: a.interval,
    notification_channel: {
      type: a.notification_channel.type,
      recipients: a.notification_channel.recipients,
      // null is sent, not left out: the alert is replaced whole, and null clears a prefix it had.
      subject_prefix: a.notification_channel.subject_prefix ?? null,
    },
  };
}
