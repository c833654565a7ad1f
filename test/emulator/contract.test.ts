/**
 * Every operation of openapi.yaml, called with plain fetch against the emulator; every 2xx JSON body must
 * validate against the operation's generated response validator (helpers.ts checks each call).
 */
import { operations } from '../../generated/operations.gen.js';
import { DAY, JAN_1_2025, PEM, startApi, type Api } from './helpers.js';

/**
 * Each area's calls load their operations' validators on first use, which on a cold, loaded 2-core machine took the
 * old single 140-call test past jest's 5 s default: every area test has an explicit, generous timeout (AREA_TIMEOUT).
 * One test per area, each independent of the others: what an area needs beyond the shared project and users it
 * creates (and deletes) itself. The last test checks that together they covered every operation.
 */
const AREA_TIMEOUT = 30_000;
let api: Api;
let ok: Api['ok'];
/** A project created for this file (creating it covers create-project), and org users picked from the seed. */
let p: string;
let users: { id: string }[];
beforeAll(async () => {
  api = await startApi({ users: 30 });
  ok = api.ok;
  p = (await ok('POST', '/organization/projects', { name: 'Contract' }, 201)).id;
  users = (await ok('GET', '/organization/users?limit=10')).data;
}, AREA_TIMEOUT);
afterAll(() => api.emu.close());

const alert = { threshold_amount: 100, currency: 'USD', interval: 'month', notification_channel: { type: 'email', recipients: ['ops@example.com'] } };

const usagePaths = [
  'audio_speeches',
  'audio_transcriptions',
  'code_interpreter_sessions',
  'completions',
  'embeddings',
  'file_search_calls',
  'images',
  'moderations',
  'vector_stores',
  'web_search_calls',
];


test('projects and their settings', async () => {
  const projects = await ok('GET', '/organization/projects?limit=2');
  expect(projects.data[0].id).toMatch(/^proj_/);
  await ok('GET', `/organization/projects/${p}`);
  await ok('POST', `/organization/projects/${p}`, { name: 'Contract (renamed)' });
  await ok('GET', `/organization/projects/${p}/data_retention`);
  await ok('POST', `/organization/projects/${p}/data_retention`, { retention_type: 'zero_data_retention' });
  await ok('GET', `/organization/projects/${p}/hosted_tool_permissions`);
  await ok('POST', `/organization/projects/${p}/hosted_tool_permissions`, { web_search: { enabled: false } });
  await ok('GET', `/organization/projects/${p}/model_permissions`);
  await ok('POST', `/organization/projects/${p}/model_permissions`, { mode: 'allow_list', model_ids: ['gpt-4o'] });
  await ok('DELETE', `/organization/projects/${p}/model_permissions`);
  await ok('POST', `/organization/projects/${p}/spend_limit`, { threshold_amount: 500, currency: 'USD', interval: 'month' });
  await ok('GET', `/organization/projects/${p}/spend_limit`);
  await ok('DELETE', `/organization/projects/${p}/spend_limit`);
  const limits = await ok('GET', `/organization/projects/${p}/rate_limits`);
  await ok('POST', `/organization/projects/${p}/rate_limits/${limits.data[0].id}`, { max_requests_per_1_minute: 42 });
  const archived = (await ok('POST', '/organization/projects', { name: 'To archive' }, 201)).id;
  const done = await ok('POST', `/organization/projects/${archived}/archive`);
  expect(done.status).toBe('archived');
}, AREA_TIMEOUT);

test('project members, service accounts, keys and spend alerts', async () => {
  const u = users[9].id;
  await ok('GET', `/organization/projects/${p}/users`);
  await ok('POST', `/organization/projects/${p}/users`, { user_id: u, role: 'member' }, 201);
  await ok('GET', `/organization/projects/${p}/users/${u}`);
  await ok('POST', `/organization/projects/${p}/users/${u}`, { role: 'owner' });
  const sa = await ok('POST', `/organization/projects/${p}/service_accounts`, { name: 'bot' }, 201);
  await ok('GET', `/organization/projects/${p}/service_accounts`);
  await ok('GET', `/organization/projects/${p}/service_accounts/${sa.id}`);
  await ok('POST', `/organization/projects/${p}/service_accounts/${sa.id}`, { name: 'bot-2', role: 'owner' });
  const extraKey = await ok('POST', `/organization/projects/${p}/service_accounts/${sa.id}/api_keys`, { name: 'rotation' });
  const keys = await ok('GET', `/organization/projects/${p}/api_keys`);
  expect(keys.data.map((k: { id: string }) => k.id)).toContain(extraKey.id);
  await ok('GET', `/organization/projects/${p}/api_keys/${extraKey.id}`);
  await ok('DELETE', `/organization/projects/${p}/api_keys/${extraKey.id}`);
  await ok('GET', `/organization/projects/${p}/spend_alerts`);
  const pa = await ok('POST', `/organization/projects/${p}/spend_alerts`, alert);
  await ok('GET', `/organization/projects/${p}/spend_alerts/${pa.id}`);
  await ok('POST', `/organization/projects/${p}/spend_alerts/${pa.id}`, { ...alert, threshold_amount: 200 });
  await ok('DELETE', `/organization/projects/${p}/spend_alerts/${pa.id}`);
  await ok('DELETE', `/organization/projects/${p}/service_accounts/${sa.id}`);
  await ok('DELETE', `/organization/projects/${p}/users/${u}`);
}, AREA_TIMEOUT);

test('org users, invites, admin keys, data retention, spend limit and alerts', async () => {
  const u = users[9].id;
  await ok('GET', `/organization/users/${u}`);
  await ok('POST', `/organization/users/${u}`, { role: 'reader' });
  const invite = await ok('POST', '/organization/invites', { email: 'new.person@example.com', role: 'reader', projects: [{ id: p, role: 'member' }] }, 201);
  await ok('GET', '/organization/invites');
  await ok('GET', `/organization/invites/${invite.id}`);
  await ok('DELETE', `/organization/invites/${invite.id}`);
  const adminKey = await ok('POST', '/organization/admin_api_keys', { name: 'ci' });
  await ok('GET', '/organization/admin_api_keys');
  await ok('GET', `/organization/admin_api_keys/${adminKey.id}`);
  await ok('DELETE', `/organization/admin_api_keys/${adminKey.id}`);
  await ok('GET', '/organization/data_retention');
  await ok('POST', '/organization/data_retention', { retention_type: 'modified_abuse_monitoring' });
  await ok('POST', '/organization/spend_limit', { threshold_amount: 1000, currency: 'USD', interval: 'month' });
  await ok('GET', '/organization/spend_limit');
  await ok('DELETE', '/organization/spend_limit');
  const oa = await ok('POST', '/organization/spend_alerts', alert);
  await ok('GET', '/organization/spend_alerts');
  await ok('GET', `/organization/spend_alerts/${oa.id}`);
  await ok('POST', `/organization/spend_alerts/${oa.id}`, { ...alert, threshold_amount: 300 });
  await ok('DELETE', `/organization/spend_alerts/${oa.id}`);
  await ok('DELETE', `/organization/users/${users[8].id}`);
}, AREA_TIMEOUT);

test('groups, their members, and groups in projects', async () => {
  const u = users[7].id;
  const g = (await ok('POST', '/organization/groups', { name: 'Contract group' })).id;
  await ok('GET', '/organization/groups');
  await ok('GET', `/organization/groups/${g}`);
  await ok('POST', `/organization/groups/${g}`, { name: 'Contract group 2' });
  await ok('POST', `/organization/groups/${g}/users`, { user_id: u });
  await ok('GET', `/organization/groups/${g}/users`);
  await ok('GET', `/organization/groups/${g}/users/${u}`);
  await ok('POST', `/organization/projects/${p}/groups`, { group_id: g, role: 'member' });
  await ok('GET', `/organization/projects/${p}/groups`);
  await ok('GET', `/organization/projects/${p}/groups/${g}`);
  await ok('DELETE', `/organization/projects/${p}/groups/${g}`);
  await ok('DELETE', `/organization/groups/${g}/users/${u}`);
  await ok('DELETE', `/organization/groups/${g}`);
}, AREA_TIMEOUT);

test('roles and role assignments, org and project', async () => {
  const u = users[6].id;
  await ok('POST', `/organization/projects/${p}/users`, { user_id: u, role: 'member' }, 201);
  const g = (await ok('POST', '/organization/groups', { name: 'Role group' })).id;
  await ok('POST', `/organization/projects/${p}/groups`, { group_id: g, role: 'member' });
  const roles = await ok('GET', '/organization/roles');
  const role = await ok('POST', '/organization/roles', { role_name: 'Auditor', permissions: ['api.organization.read'] });
  await ok('GET', `/organization/roles/${role.id}`);
  await ok('POST', `/organization/roles/${role.id}`, { description: 'Reads audit logs' });
  await ok('POST', `/organization/users/${u}/roles`, { role_id: role.id });
  await ok('GET', `/organization/users/${u}/roles`);
  await ok('GET', `/organization/users/${u}/roles/${role.id}`);
  await ok('DELETE', `/organization/users/${u}/roles/${role.id}`);
  await ok('POST', `/organization/groups/${g}/roles`, { role_id: roles.data[0].id });
  await ok('GET', `/organization/groups/${g}/roles`);
  await ok('GET', `/organization/groups/${g}/roles/${roles.data[0].id}`);
  await ok('DELETE', `/organization/groups/${g}/roles/${roles.data[0].id}`);
  const projectRoles = await ok('GET', `/projects/${p}/roles`);
  const pr = await ok('POST', `/projects/${p}/roles`, { role_name: 'Deployer', permissions: ['api.project.write'], description: null });
  await ok('GET', `/projects/${p}/roles/${pr.id}`);
  await ok('POST', `/projects/${p}/roles/${pr.id}`, { permissions: ['api.project.read'] });
  await ok('POST', `/projects/${p}/users/${u}/roles`, { role_id: pr.id });
  await ok('GET', `/projects/${p}/users/${u}/roles`);
  await ok('GET', `/projects/${p}/users/${u}/roles/${pr.id}`);
  await ok('DELETE', `/projects/${p}/users/${u}/roles/${pr.id}`);
  await ok('POST', `/projects/${p}/groups/${g}/roles`, { role_id: projectRoles.data[0].id });
  await ok('GET', `/projects/${p}/groups/${g}/roles`);
  await ok('GET', `/projects/${p}/groups/${g}/roles/${projectRoles.data[0].id}`);
  await ok('DELETE', `/projects/${p}/groups/${g}/roles/${projectRoles.data[0].id}`);
  await ok('DELETE', `/projects/${p}/roles/${pr.id}`);
  await ok('DELETE', `/organization/roles/${role.id}`);
}, AREA_TIMEOUT);

test('certificates, org and project', async () => {
  const cert = await ok('POST', '/organization/certificates', { name: 'mtls', certificate: PEM });
  await ok('GET', '/organization/certificates');
  await ok('GET', `/organization/certificates/${cert.id}?include[]=content`);
  await ok('POST', `/organization/certificates/${cert.id}`, { name: 'mtls-2' });
  await ok('POST', '/organization/certificates/activate', { certificate_ids: [cert.id] });
  await ok('POST', '/organization/certificates/deactivate', { certificate_ids: [cert.id] });
  await ok('GET', `/organization/projects/${p}/certificates`);
  await ok('POST', `/organization/projects/${p}/certificates/activate`, { certificate_ids: [cert.id] });
  await ok('POST', `/organization/projects/${p}/certificates/deactivate`, { certificate_ids: [cert.id] });
  await ok('DELETE', `/organization/certificates/${cert.id}`);
}, AREA_TIMEOUT);

// Usage and costs, grouped so results carry values, one test per kind.
test.each(usagePaths)('usage %s, daily grouped by project and hourly with a limit', async (kind) => {
  const window = `start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 3 * DAY}`;
  const daily = await ok('GET', `/organization/usage/${kind}?${window}&group_by=project_id`);
  expect(daily.data.length).toBeGreaterThan(0);
  const hourly = await ok('GET', `/organization/usage/${kind}?${window}&bucket_width=1h&limit=5`);
  expect(hourly.data).toHaveLength(5);
}, AREA_TIMEOUT);

test('costs grouped by project and line item, and the audit log', async () => {
  const window = `start_time=${JAN_1_2025}&end_time=${JAN_1_2025 + 3 * DAY}`;
  const costs = await ok('GET', `/organization/costs?${window}&group_by=project_id&group_by=line_item`);
  expect(costs.data.length).toBeGreaterThan(0);
  await ok('GET', `/organization/audit_logs?limit=100`);
}, AREA_TIMEOUT);

test('together the tests above answered every operation of the spec with bodies that validate', () => {
  const missing = Object.keys(operations).filter((name) => !api.covered.has(name));
  expect(missing).toEqual([]);
  expect(api.covered.size).toBe(Object.keys(operations).length);
});
