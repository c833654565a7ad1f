/**
 * Where the live API differs from its spec, openapi.yaml follows the API: these bodies are what the API sends
 * (sources in the x-curation notes), checked with the generated validators that `validate: 'strict'` uses.
 */
import * as responses from '../../generated/validators/responses.gen';
import { createProject } from '../../generated/operations.gen';
import { requestValidator } from '../../src/core/validation/validation';

const costsPage = (value: unknown) => ({
  object: 'page',
  data: [
    {
      object: 'bucket',
      start_time: 0,
      end_time: 86400,
      results: [
        { object: 'organization.costs.result', amount: { value, currency: 'usd' }, line_item: null, project_id: null },
      ],
    },
  ],
  has_more: false,
  next_page: null,
});

describe('costs amount.value', () => {
  it('is accepted as a JSON number or as a decimal string with more places than a double holds', () => {
    for (const value of [0.0042, 12, '0.0042', '0.0123456789012345678', '1250', '-0.5', '1e-7']) {
      expect({ value, ok: responses.usageCosts(costsPage(value)) }).toEqual({ value, ok: true });
    }
  });

  it('is refused when the string is not a decimal number', () => {
    for (const value of ['', 'abc', '0.1.2', '$5', true])
      expect({ value, ok: responses.usageCosts(costsPage(value)) }).toEqual({ value, ok: false });
  });
});

describe('API key owners', () => {
  const projectKey = (owner: unknown) => ({
    object: 'organization.project.api_key',
    redacted_value: 'sk-abc...def',
    name: 'Secret key',
    created_at: 1711471533,
    last_used_at: null,
    id: 'key_abc',
    owner_project_access: 'active',
    owner,
  });

  it('project keys: the owner nests the user or the service account under its type', () => {
    const user = {
      type: 'user',
      user: { id: 'user_1', email: 'a@example.com', name: 'A', created_at: 1, role: 'owner' },
    };
    const sa = {
      type: 'service_account',
      service_account: { id: 'svc_acct_1', name: 'bot', created_at: 1, role: 'member' },
    };
    expect(responses.retrieveProjectApiKey(projectKey(user))).toBe(true);
    expect(responses.retrieveProjectApiKey(projectKey(sa))).toBe(true);
    expect(responses.retrieveProjectApiKey(projectKey({ user: user.user }))).toBe(false); // type is required
  });

  it('admin keys: the owner is flat, and its name may be null like any user name', () => {
    const adminKey = (owner: unknown) => ({
      object: 'organization.admin_api_key',
      id: 'key_1',
      name: 'ci',
      redacted_value: 'sk-admin...x',
      created_at: 1,
      owner,
    });
    expect(
      responses.retrieveAdminApiKey(
        adminKey({
          type: 'user',
          object: 'organization.user',
          id: 'user_1',
          name: 'Ada',
          created_at: 1,
          role: 'owner',
        }),
      ),
    ).toBe(true);
    expect(
      responses.retrieveAdminApiKey(
        adminKey({ type: 'user', object: 'organization.user', id: 'user_1', name: null, created_at: 1, role: 'owner' }),
      ),
    ).toBe(true);
  });
});

describe('project residency', () => {
  const project = (residency: unknown) => ({
    id: 'proj_1',
    object: 'organization.project',
    name: 'P',
    created_at: 1,
    status: 'active',
    residency,
  });

  it('a project in a region newer than the spec still validates', () => {
    expect(responses.retrieveProject(project('AU_STORAGE_PROCESSING'))).toBe(true);
    expect(responses.retrieveProject(project('XX_STORAGE_ADDED_NEXT_YEAR'))).toBe(true);
  });

  it('create takes `residency`, the newer regions included; an unknown region is refused before sending', async () => {
    const validate = await requestValidator(createProject);
    for (const residency of [
      'EU_STORAGE_PROCESSING',
      'JP_STORAGE_PROCESSING',
      'IN_STORAGE_PROCESSING',
      'AU_STORAGE_PROCESSING',
      null,
    ]) {
      expect({ residency, ok: validate({ path: {}, query: {}, body: { name: 'P', residency } }) }).toEqual({
        residency,
        ok: true,
      });
    }
    expect(validate({ path: {}, query: {}, body: { name: 'P', residency: 'MOON_STORAGE' } })).toBe(false);
  });
});
