import type * as T from '../../../generated/client/types.gen.js';
import { notFound } from '../errors.js';
import { cursorList } from '../pagination.js';
import { found, type EmulatorState } from '../store.js';
import { spendLimitView } from '../views.js';
import { ok, type Handlers } from './types.js';

type Alert = T.OrganizationSpendAlert | T.ProjectSpendAlert;

/** Where spend alerts live: the org's own, or one project's (whose id the audit events carry). */
interface AlertScope<A extends Alert> {
  alerts: Map<string, A>;
  object: A['object'];
  projectId?: string;
}

const orgAlerts = (state: EmulatorState): AlertScope<T.OrganizationSpendAlert> => ({
  alerts: state.orgSpendAlerts,
  object: 'organization.spend_alert',
});

function projectAlerts(state: EmulatorState, projectId: string): AlertScope<T.ProjectSpendAlert> {
  const p = state.activeProject(projectId);
  return { alerts: p.spendAlerts, object: 'project.spend_alert', projectId: p.id };
}

function alertFrom<A extends Alert>(id: string, object: A['object'], body: T.CreateSpendAlertBody): A {
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
  } as A;
}

const alertIn = <A extends Alert>(alerts: Map<string, A>, id: string): A =>
  found(alerts, id, 'spend alert', 'alert_id');

/** Creates (no `id`) or replaces (`id` of an existing alert) an alert in `scope`. */
function putAlert<A extends Alert>(
  state: EmulatorState,
  scope: AlertScope<A>,
  body: T.CreateSpendAlertBody,
  id?: string,
): A {
  const a = alertFrom<A>(
    id === undefined ? state.newId('spend_alert_') : alertIn(scope.alerts, id).id,
    scope.object,
    body,
  );
  scope.alerts.set(a.id, a);
  state.audit('tenant.billing.alerts.updated', { id: a.id, threshold_amount: a.threshold_amount }, scope.projectId);
  return a;
}

function deleteAlert<A extends Alert>(state: EmulatorState, scope: AlertScope<A>, id: string) {
  const a = alertIn(scope.alerts, id);
  scope.alerts.delete(a.id);
  state.audit('tenant.billing.alerts.updated', { id: a.id, deleted: true }, scope.projectId);
  return { id: a.id, object: `${scope.object}.deleted`, deleted: true };
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

  listOrganizationSpendAlerts: ({ state, query }) =>
    ok(cursorList([...state.orgSpendAlerts.values()], query, (a) => ({ ...a }))),

  createOrganizationSpendAlert: ({ state, body }) => ok(putAlert(state, orgAlerts(state), body)),
  retrieveOrganizationSpendAlert: ({ state, path }) => ok(alertIn(state.orgSpendAlerts, path.alert_id)),
  updateOrganizationSpendAlert: ({ state, path, body }) => ok(putAlert(state, orgAlerts(state), body, path.alert_id)),
  deleteOrganizationSpendAlert: ({ state, path }) => ok(deleteAlert(state, orgAlerts(state), path.alert_id)),

  listProjectSpendAlerts: ({ state, path, query }) =>
    ok(cursorList([...state.project(path.project_id).spendAlerts.values()], query, (a) => ({ ...a }))),
  createProjectSpendAlert: ({ state, path, body }) => ok(putAlert(state, projectAlerts(state, path.project_id), body)),
  retrieveProjectSpendAlert: ({ state, path }) =>
    ok(alertIn(state.project(path.project_id).spendAlerts, path.alert_id)),
  updateProjectSpendAlert: ({ state, path, body }) =>
    ok(putAlert(state, projectAlerts(state, path.project_id), body, path.alert_id)),
  deleteProjectSpendAlert: ({ state, path }) =>
    ok(deleteAlert(state, projectAlerts(state, path.project_id), path.alert_id)),
};
