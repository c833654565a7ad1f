/**
 * Every operation of openapi.yaml, called with plain fetch against the emulator; every 2xx JSON body must
 * validate against the operation's generated response validator (helpers.ts checks each call). Each call is the
 * operation's example (test/support/example-calls.ts, shared with the naming and Prism suites) with the real ids
 * of what this file created; a body or query is written out only where the emulator needs a particular one.
 */
import { operations } from '../../generated/operations.gen.js';
import { exampleCalls, exampleRequest } from '../support/example-calls.js';
import { DAY, JAN_1_2025, startApi, type Api } from './helpers.js';

/**
 * Each area's calls load their operations' validators on first use, which on a cold, loaded 2-core machine took the
 * old single 140-call test past jest's 5 s default: every area test has an explicit, generous timeout (AREA_TIMEOUT).
 * One test per area, each independent of the others: what an area needs beyond the shared project and users it
 * creates (and deletes) itself. The last test checks that together they covered every operation.
 */
const AREA_TIMEOUT = 30_000;
let api: Api;
let ok: Api['ok'];
/** One operation's example request with these ids (path parameters and top-level id fields of the body). */
const run = (
  name: string,
  ids: Record<string, string> = {},
  overrides: { body?: unknown; query?: string } = {},
  expected?: number,
) => ok(...exampleRequest(name, ids, overrides), expected);
/** A project created for this file (creating it covers create-project), and org users picked from the seed. */
let p: string;
let users: { id: string }[];
beforeAll(async () => {
  api = await startApi({ users: 30 });
  ok = api.ok;
  p = (await run('createProject', {}, {}, 201)).id;
  users = (await run('listUsers', {}, { query: 'limit=10' })).data;
}, AREA_TIMEOUT);
afterAll(() => api.emu.close());

/** The usage operations, by the last segment of their path (`audio_speeches`, …). */
const usageKinds = exampleCalls()
  .filter((c) => c.path.startsWith('/organization/usage/'))
  .map((c) => [c.path.split('/').pop()!, c.name] as const);

test(
  'projects and their settings',
  async () => {
    const project = { project_id: p };
    const projects = await run('listProjects', {}, { query: 'limit=2' });
    expect(projects.data[0].id).toMatch(/^proj_/);
    await run('retrieveProject', project);
    await run('updateProject', project);
    await run('retrieveProjectDataRetention', project);
    await run('updateProjectDataRetention', project);
    await run('retrieveProjectHostedToolPermissions', project);
    await run('updateProjectHostedToolPermissions', project);
    await run('retrieveProjectModelPermissions', project);
    await run('updateProjectModelPermissions', project);
    await run('deleteProjectModelPermissions', project);
    await run('updateProjectSpendLimit', project);
    await run('retrieveProjectSpendLimit', project);
    await run('deleteProjectSpendLimit', project);
    const limits = await run('listProjectRateLimits', project);
    await run('updateProjectRateLimit', { ...project, rate_limit_id: limits.data[0].id });
    const archived = (await run('createProject', {}, {}, 201)).id;
    const done = await run('archiveProject', { project_id: archived });
    expect(done.status).toBe('archived');
  },
  AREA_TIMEOUT,
);

test(
  'project members, service accounts, keys and spend alerts',
  async () => {
    const ids = { project_id: p, user_id: users[9].id };
    await run('listProjectUsers', ids);
    await run('createProjectUser', ids, {}, 201);
    await run('retrieveProjectUser', ids);
    await run('updateProjectUser', ids);
    const sa = await run('createProjectServiceAccount', ids, {}, 201);
    const withSa = { ...ids, service_account_id: sa.id };
    await run('listProjectServiceAccounts', ids);
    await run('retrieveProjectServiceAccount', withSa);
    await run('updateProjectServiceAccount', withSa);
    const extraKey = await run('createProjectServiceAccountApiKey', withSa);
    const keys = await run('listProjectApiKeys', ids);
    expect(keys.data.map((k: { id: string }) => k.id)).toContain(extraKey.id);
    await run('retrieveProjectApiKey', { ...ids, api_key_id: extraKey.id });
    await run('deleteProjectApiKey', { ...ids, api_key_id: extraKey.id });
    await run('listProjectSpendAlerts', ids);
    const pa = await run('createProjectSpendAlert', ids);
    await run('retrieveProjectSpendAlert', { ...ids, alert_id: pa.id });
    await run('updateProjectSpendAlert', { ...ids, alert_id: pa.id });
    await run('deleteProjectSpendAlert', { ...ids, alert_id: pa.id });
    await run('deleteProjectServiceAccount', withSa);
    await run('deleteProjectUser', ids);
  },
  AREA_TIMEOUT,
);

test(
  'org users, invites, admin keys, data retention, spend limit and alerts',
  async () => {
    const user = { user_id: users[9].id };
    await run('retrieveUser', user);
    await run('updateUser', user);
    // An invite that also adds the person to a project: the emulator checks the project exists.
    const invite = await run(
      'createInvite',
      {},
      { body: { email: 'new.person@example.com', role: 'reader', projects: [{ id: p, role: 'member' }] } },
      201,
    );
    await run('listInvites');
    await run('retrieveInvite', { invite_id: invite.id });
    await run('deleteInvite', { invite_id: invite.id });
    const adminKey = await run('createAdminApiKey');
    await run('listAdminApiKeys');
    await run('retrieveAdminApiKey', { key_id: adminKey.id });
    await run('deleteAdminApiKey', { key_id: adminKey.id });
    await run('retrieveOrganizationDataRetention');
    await run('updateOrganizationDataRetention');
    await run('updateOrganizationSpendLimit');
    await run('retrieveOrganizationSpendLimit');
    await run('deleteOrganizationSpendLimit');
    const oa = await run('createOrganizationSpendAlert');
    await run('listOrganizationSpendAlerts');
    await run('retrieveOrganizationSpendAlert', { alert_id: oa.id });
    await run('updateOrganizationSpendAlert', { alert_id: oa.id });
    await run('deleteOrganizationSpendAlert', { alert_id: oa.id });
    await run('deleteUser', { user_id: users[8].id });
  },
  AREA_TIMEOUT,
);

test(
  'groups, their members, and groups in projects',
  async () => {
    const g = (await run('createGroup')).id;
    const ids = { group_id: g, user_id: users[7].id, project_id: p };
    await run('listGroups');
    await run('retrieveGroup', ids);
    await run('updateGroup', ids);
    await run('addGroupUser', ids);
    await run('listGroupUsers', ids);
    await run('retrieveGroupUser', ids);
    await run('addProjectGroup', ids, { body: { group_id: g, role: 'member' } });
    await run('listProjectGroups', ids);
    await run('retrieveProjectGroup', ids);
    await run('removeProjectGroup', ids);
    await run('removeGroupUser', ids);
    await run('deleteGroup', ids);
  },
  AREA_TIMEOUT,
);

test(
  'roles and role assignments, org and project',
  async () => {
    const u = users[6].id;
    await run('createProjectUser', { project_id: p, user_id: u }, {}, 201);
    const g = (await run('createGroup')).id;
    await run('addProjectGroup', { project_id: p }, { body: { group_id: g, role: 'member' } });
    const roles = await run('listRoles');
    const role = await run('createRole');
    const org = { user_id: u, group_id: g, role_id: role.id };
    await run('retrieveRole', org);
    await run('updateRole', org);
    await run('assignUserRole', org);
    await run('listUserRoleAssignments', org);
    await run('retrieveUserRole', org);
    await run('unassignUserRole', org);
    const seeded = { group_id: g, role_id: roles.data[0].id };
    await run('assignGroupRole', seeded);
    await run('listGroupRoleAssignments', seeded);
    await run('retrieveGroupRole', seeded);
    await run('unassignGroupRole', seeded);
    const projectRoles = await run('listProjectRoles', { project_id: p });
    // A nullable field sent as null is accepted.
    const pr = await run(
      'createProjectRole',
      { project_id: p },
      { body: { role_name: 'Deployer', permissions: ['api.project.write'], description: null } },
    );
    const project = { project_id: p, user_id: u, group_id: g, role_id: pr.id };
    await run('retrieveProjectRole', project);
    await run('updateProjectRole', project);
    await run('assignProjectUserRole', project);
    await run('listProjectUserRoleAssignments', project);
    await run('retrieveProjectUserRole', project);
    await run('unassignProjectUserRole', project);
    const projectSeeded = { ...project, role_id: projectRoles.data[0].id };
    await run('assignProjectGroupRole', projectSeeded);
    await run('listProjectGroupRoleAssignments', projectSeeded);
    await run('retrieveProjectGroupRole', projectSeeded);
    await run('unassignProjectGroupRole', projectSeeded);
    await run('deleteProjectRole', project);
    await run('deleteRole', org);
  },
  AREA_TIMEOUT,
);

test(
  'certificates, org and project',
  async () => {
    const cert = await run('uploadOrganizationCertificate');
    const ids = { certificate_id: cert.id, project_id: p };
    const these = { body: { certificate_ids: [cert.id] } };
    await run('listOrganizationCertificates');
    await run('retrieveOrganizationCertificate', ids, { query: 'include[]=content' });
    await run('updateOrganizationCertificate', ids);
    await run('activateOrganizationCertificates', ids, these);
    await run('deactivateOrganizationCertificates', ids, these);
    await run('listProjectCertificates', ids);
    await run('activateProjectCertificates', ids, these);
    await run('deactivateProjectCertificates', ids, these);
    await run('deleteOrganizationCertificate', ids);
  },
  AREA_TIMEOUT,
);

// Usage and costs, grouped so results carry values, one test per kind.
test.each(usageKinds)(
  'usage %s, daily grouped by project and hourly with a limit',
  async (_kind, name) => {
    const window = `start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 3 * DAY}`;
    const daily = await run(name, {}, { query: `${window}&group_by=project_id` });
    expect(daily.data.length).toBeGreaterThan(0);
    const hourly = await run(name, {}, { query: `${window}&bucket_width=1h&limit=5` });
    expect(hourly.data).toHaveLength(5);
  },
  AREA_TIMEOUT,
);

test(
  'costs grouped by project and line item, and the audit log',
  async () => {
    const window = `start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 3 * DAY}`;
    const costs = await run('usageCosts', {}, { query: `${window}&group_by=project_id&group_by=line_item` });
    expect(costs.data.length).toBeGreaterThan(0);
    await run('listAuditLogs', {}, { query: 'limit=100' });
  },
  AREA_TIMEOUT,
);

test('together the tests above answered every operation of the spec with bodies that validate', () => {
  const missing = Object.keys(operations).filter((name) => !api.covered.has(name));
  // A new operation lands here (CONTRIBUTING.md, "Add an operation"): the emulator needs real ids, so say where to call it.
  if (missing.length)
    throw new Error(
      `no area test above calls ${missing.join(', ')}: add \`await run('<name>', ids)\` to the area test that creates what it needs (ids by path parameter name)`,
    );
  expect(missing).toEqual([]);
  expect(api.covered.size).toBe(Object.keys(operations).length);
});
