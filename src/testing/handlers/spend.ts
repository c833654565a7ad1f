import type * as T from '../../../generated/client/types.gen.js';
import { notFound } from '../errors.js';
import { cursorList } from '../pagination.js';
import type { EmulatorState } from '../store.js';
import { spendLimitView } from '../views.js';
import { ok, type Handlers } from './types.js';

type Alert = T.OrganizationSpendAlert | T.ProjectSpendAlert;

function alertFrom(state: EmulatorState, id: string, object: Alert['object'], body: T.CreateSpendAlertBody): Alert {
  return {
    id,
    object,
    threshold_amount: body.threshold_amount,
    currency: body.currency,
    interval: body.interval,
    notification_channel: {
      type: body.notification_channel.type,
      recipients: [...body.notification_channel.recipients],
      subject_prefix: body.notification_channel.subject_prefix ?? null,
    },
  } as Alert;
}

function alertIn<A extends Alert>(alerts: Map<string, A>, id: string): A {
  const a = alerts.get(id);
  if (!a) throw notFound('spend alert', id, 'alert_id');
  return a;
}

/** Org spend limit and spend alerts, org-wide and per project. */
export const spendHandlers: Handlers<
  | 'retrieveOrganizationSpendLimit'
  | 'updateOrganizationSpendLimit'
  | 'deleteOrganizationSpendLimit'
  | 'listOrganizationSpendAlerts'
  | 'createOrganizationSpendAlert'
  | 'retrieveOrganizationSpendAlert'
  | 'updateOrganizationSpendAlert'
  | 'deleteOrganizationSpendAlert'
  | 'listProjectSpendAlerts'
  | 'createProjectSpendAlert'
  | 'retrieveProjectSpendAlert'
  | 'updateProjectSpendAlert'
  | 'deleteProjectSpendAlert'
> = {
  retrieveOrganizationSpendLimit: ({ state }) => {
    if (!state.orgSpendLimit) throw notFound('spend limit', 'organization');
    return ok(state.orgSpendLimit);
  },

  updateOrganizationSpendLimit: ({ state, body }) => {
    state.orgSpendLimit = spendLimitView('organization.spend_limit', body);
    state.audit('tenant.billing.overage_limit.updated', { id: 'org', threshold_amount: body.threshold_amount });
    return ok(state.orgSpendLimit);
  },

  deleteOrganizationSpendLimit: ({ state }) => {
    if (!state.orgSpendLimit) throw notFound('spend limit', 'organization');
    state.orgSpendLimit = null;
    state.audit('tenant.billing.overage_limit.updated', { id: 'org', threshold_amount: null });
    return ok({ object: 'organization.spend_limit.deleted', deleted: true });
  },

  listOrganizationSpendAlerts: ({ state, query }) => ok(cursorList([...state.orgSpendAlerts.values()], query, (a) => ({ ...a }))),

  createOrganizationSpendAlert: ({ state, body }) => {
    const a = alertFrom(state, state.newId('spend_alert_'), 'organization.spend_alert', body) as T.OrganizationSpendAlert;
    state.orgSpendAlerts.set(a.id, a);
    state.audit('tenant.billing.alerts.updated', { id: a.id, threshold_amount: a.threshold_amount });
    return ok(a);
  },

  retrieveOrganizationSpendAlert: ({ state, path }) => ok(alertIn(state.orgSpendAlerts, path.alert_id)),

  updateOrganizationSpendAlert: ({ state, path, body }) => {
    const old = alertIn(state.orgSpendAlerts, path.alert_id);
    const a = alertFrom(state, old.id, 'organization.spend_alert', body) as T.OrganizationSpendAlert;
    state.orgSpendAlerts.set(a.id, a);
    state.audit('tenant.billing.alerts.updated', { id: a.id, threshold_amount: a.threshold_amount });
    return ok(a);
  },

  deleteOrganizationSpendAlert: ({ state, path }) => {
    const a = alertIn(state.orgSpendAlerts, path.alert_id);
    state.orgSpendAlerts.delete(a.id);
    state.audit('tenant.billing.alerts.updated', { id: a.id, deleted: true });
    return ok({ id: a.id, object: 'organization.spend_alert.deleted', deleted: true });
  },

  listProjectSpendAlerts: ({ state, path, query }) =>
    ok(cursorList([...state.project(path.project_id).spendAlerts.values()], query, (a) => ({ ...a }))),

  createProjectSpendAlert: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const a = alertFrom(state, state.newId('spend_alert_'), 'project.spend_alert', body) as T.ProjectSpendAlert;
    p.spendAlerts.set(a.id, a);
    state.audit('tenant.billing.alerts.updated', { id: a.id, threshold_amount: a.threshold_amount }, p.id);
    return ok(a);
  },

  retrieveProjectSpendAlert: ({ state, path }) => ok(alertIn(state.project(path.project_id).spendAlerts, path.alert_id)),

  updateProjectSpendAlert: ({ state, path, body }) => {
    const p = state.activeProject(path.project_id);
    const old = alertIn(p.spendAlerts, path.alert_id);
    const a = alertFrom(state, old.id, 'project.spend_alert', body) as T.ProjectSpendAlert;
    p.spendAlerts.set(a.id, a);
    state.audit('tenant.billing.alerts.updated', { id: a.id, threshold_amount: a.threshold_amount }, p.id);
    return ok(a);
  },

  deleteProjectSpendAlert: ({ state, path }) => {
    const p = state.activeProject(path.project_id);
    const a = alertIn(p.spendAlerts, path.alert_id);
    p.spendAlerts.delete(a.id);
    state.audit('tenant.billing.alerts.updated', { id: a.id, deleted: true }, p.id);
    return ok({ id: a.id, object: 'project.spend_alert.deleted', deleted: true });
  },
};
