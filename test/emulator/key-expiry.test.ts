/**
 * Key expiry in the emulator (the API change of September 2026, openapi.yaml's x-curation notes): service-account
 * creation and service-account key creation take expires_in_seconds, project keys carry expires_at, and a key past
 * its expiry is gone — not listed, not found, not deletable. The clock is injected (state.now).
 */
import { startApi, type Api } from './helpers.js';

let api: Api;
let clock: number;
beforeEach(async () => {
  api = await startApi();
  clock = 1_800_000_000;
  api.emu.state.now = () => clock;
});
afterEach(() => api.emu.close());

const firstProject = () => [...api.emu.state.projects.keys()][0];
const keyIds = async (p: string) =>
  (
    (await api.ok('GET', `/organization/projects/${p}/api_keys?limit=100&owner_project_access=any`)).data as Array<{
      id: string;
      expires_at: number | null;
    }>
  ).map((k) => [k.id, k.expires_at]);

describe('expires_in_seconds', () => {
  test('a service account created with expires_in_seconds gets a key with expires_at = now + seconds, listed with it', async () => {
    const p = firstProject();
    const sa = await api.ok('POST', `/organization/projects/${p}/service_accounts`, {
      name: 'short-lived',
      expires_in_seconds: 3600,
    });
    expect(sa.api_key.expires_at).toBe(clock + 3600);
    expect(await keyIds(p)).toContainEqual([sa.api_key.id, clock + 3600]);
    const plain = await api.ok('POST', `/organization/projects/${p}/service_accounts`, { name: 'forever' });
    expect(plain.api_key.expires_at).toBeNull();
  });

  test('a service-account key created with expires_in_seconds carries expires_at', async () => {
    const p = firstProject();
    const sa = [...api.emu.state.serviceAccounts.values()].find((s) => s.projectId === p)!;
    const key = await api.ok('POST', `/organization/projects/${p}/service_accounts/${sa.id}/api_keys`, {
      name: 'ci',
      expires_in_seconds: 90 * 86_400,
    });
    expect(key.expires_at).toBe(clock + 90 * 86_400);
    expect((await api.ok('GET', `/organization/projects/${p}/api_keys/${key.id}`)).expires_at).toBe(
      clock + 90 * 86_400,
    );
  });

  test('expires_in_seconds with create_service_account_only: true is a 400 naming both fields, and nothing is created', async () => {
    const p = firstProject();
    const before = api.emu.state.serviceAccounts.size;
    const r = await api.call('POST', `/organization/projects/${p}/service_accounts`, {
      name: 'both',
      create_service_account_only: true,
      expires_in_seconds: 60,
    });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({
      message: "Invalid request: 'create_service_account_only' and 'expires_in_seconds' cannot be used together.",
      type: 'invalid_request_error',
      param: 'create_service_account_only',
    });
    expect(api.emu.state.serviceAccounts.size).toBe(before);
    // Either alone, or with a null / false partner, is fine.
    await api.ok('POST', `/organization/projects/${p}/service_accounts`, {
      name: 'a',
      create_service_account_only: true,
      expires_in_seconds: null,
    });
    await api.ok('POST', `/organization/projects/${p}/service_accounts`, {
      name: 'b',
      create_service_account_only: false,
      expires_in_seconds: 60,
    });
  });

  test.each([0, -5, 1.5, '60'])(
    'expires_in_seconds %p is a 400 (a whole number of seconds ≥ 1, or null)',
    async (value) => {
      const r = await api.call('POST', `/organization/projects/${firstProject()}/service_accounts`, {
        name: 'bad',
        expires_in_seconds: value,
      });
      expect(r.status).toBe(400);
      expect(r.json.error.param).toBe('expires_in_seconds');
    },
  );
});

describe('an expired key', () => {
  test('is no longer listed, retrieved or deletable once its expires_at has passed', async () => {
    const p = firstProject();
    const sa = await api.ok('POST', `/organization/projects/${p}/service_accounts`, {
      name: 'brief',
      expires_in_seconds: 60,
    });
    const id = sa.api_key.id as string;
    clock += 59;
    expect((await api.ok('GET', `/organization/projects/${p}/api_keys/${id}`)).id).toBe(id);
    clock += 1; // expires_at reached
    expect((await keyIds(p)).map(([k]) => k)).not.toContain(id);
    expect((await api.call('GET', `/organization/projects/${p}/api_keys/${id}`)).status).toBe(404);
    expect((await api.call('DELETE', `/organization/projects/${p}/api_keys/${id}`)).status).toBe(404);
  });
});
