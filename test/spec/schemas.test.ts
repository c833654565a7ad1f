import { resolveRef, type Schema } from '../../scripts/lib/spec';
import * as responses from '../../generated/validators/responses.gen';
import { curatedSpec } from '../support/paths';

const schema = (name: string): Schema => {
  const found = curatedSpec().components.schemas[name];
  if (!found) throw new Error(`no component schema ${name}`);
  return found;
};

/** True when the (resolved) schema admits JSON null, via type, anyOf/oneOf branches or enum. */
function acceptsNull(node: Schema | undefined): boolean {
  const s = resolveRef(curatedSpec(), node);
  if (!s) return false;
  if (s.type === 'null' || (Array.isArray(s.type) && s.type.includes('null'))) return true;
  if (Array.isArray(s.enum) && s.enum.includes(null)) return true;
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(acceptsNull);
}

describe('UsageTimeBucket', () => {
  it('has no discriminator on results (the object const on each variant tells them apart)', () => {
    const results = schema('UsageTimeBucket').properties.results;
    expect(results.discriminator).toBeUndefined();
    expect(results.items?.discriminator).toBeUndefined();
  });
});

describe('values the live API returns as null', () => {
  it('accepts null for every list cursor (first_id, last_id, next, next_page)', () => {
    const cursors: string[] = [];
    const notNullable: string[] = [];
    for (const [name, s] of Object.entries(curatedSpec().components.schemas)) {
      for (const field of ['first_id', 'last_id', 'next', 'next_page']) {
        if (!s.properties?.[field]) continue;
        cursors.push(`${name}.${field}`);
        if (!acceptsNull(s.properties[field])) notNullable.push(`${name}.${field}`);
      }
    }
    expect(cursors.length).toBeGreaterThan(20);
    expect(notNullable).toEqual([]);
  });

  it('accepts null for last_used_at of unused keys', () => {
    const holders = Object.entries(curatedSpec().components.schemas).filter(([, s]) => s.properties?.last_used_at);
    expect(holders.map(([name]) => name)).toEqual(expect.arrayContaining(['AdminApiKey']));
    expect(holders.filter(([, s]) => !acceptsNull(s.properties.last_used_at)).map(([name]) => name)).toEqual([]);
  });

  it('validates a last page with null cursors and an unused key', () => {
    const page = {
      object: 'list',
      data: [
        {
          object: 'organization.admin_api_key',
          id: 'key_abc',
          name: 'ci',
          redacted_value: 'sk-admin...xyz',
          created_at: 1711471533,
          last_used_at: null,
          owner: {
            type: 'service_account',
            object: 'organization.service_account',
            id: 'sa_1',
            name: 'ci',
            created_at: 1711471533,
            role: 'owner',
          },
        },
      ],
      has_more: false,
      first_id: null,
      last_id: null,
    };
    expect(responses.listAdminApiKeys(page)).toBe(true);
  });
});

describe('open enums in responses', () => {
  const auditLogs = (type: string, actorType = 'session') => ({
    object: 'list',
    data: [{ id: 'audit_log-1', type, effective_at: 1711471533, actor: { type: actorType } }],
    has_more: false,
    first_id: 'audit_log-1',
    last_id: 'audit_log-1',
  });
  const invites = (role: string) => ({
    object: 'list',
    data: [
      {
        object: 'organization.invite',
        id: 'invite-1',
        email: 'a@example.com',
        role,
        status: 'pending',
        created_at: 1711471533,
      },
    ],
    has_more: false,
    first_id: 'invite-1',
    last_id: 'invite-1',
  });
  const costs = (quantity_unit: string | null) => ({
    object: 'page',
    data: [
      {
        object: 'bucket',
        start_time: 1730419200,
        end_time: 1730505600,
        results: [
          { object: 'organization.costs.result', amount: { value: 0.06, currency: 'usd' }, quantity: 3, quantity_unit },
        ],
      },
    ],
    has_more: false,
    next_page: null,
  });

  it('accepts known and unknown audit-log event types and actor types', () => {
    expect(responses.listAuditLogs(auditLogs('project.created'))).toBe(true);
    expect(responses.listAuditLogs(auditLogs('some.event.added_next_year'))).toBe(true);
    expect(responses.listAuditLogs(auditLogs('project.created', 'robot'))).toBe(true);
  });

  it('still rejects a non-string event type (open means any string, not anything)', () => {
    expect(responses.listAuditLogs(auditLogs(42 as unknown as string))).toBe(false);
  });

  it('accepts known and unknown invite roles', () => {
    expect(responses.listInvites(invites('owner'))).toBe(true);
    expect(responses.listInvites(invites('billing-admin'))).toBe(true);
  });

  it('accepts known, unknown and null cost quantity units', () => {
    expect(responses.usageCosts(costs('tokens'))).toBe(true);
    expect(responses.usageCosts(costs('petabyte_fortnights'))).toBe(true);
    expect(responses.usageCosts(costs(null))).toBe(true);
  });

  it('keeps the known literals in the schema', () => {
    const role = schema('Invite').properties.role;
    expect(JSON.stringify(role)).toContain('"owner"');
    expect(JSON.stringify(role)).toContain('"reader"');
    expect(JSON.stringify(resolveRef(curatedSpec(), { $ref: '#/components/schemas/AuditLogEventType' }))).toContain(
      '"project.created"',
    );
  });
});

describe('unknown properties in responses', () => {
  it('are accepted at the top level, in list items and in nested objects', () => {
    const page = {
      object: 'list',
      data: [
        {
          object: 'organization.invite',
          id: 'invite-1',
          email: 'a@example.com',
          role: 'reader',
          status: 'pending',
          created_at: 1,
          brand_new: { x: 1 },
        },
      ],
      has_more: false,
      first_id: null,
      last_id: null,
      total_count: 1,
    };
    expect(responses.listInvites(page)).toBe(true);
  });

  it('are accepted on usage buckets (start_time_iso/end_time_iso and future fields)', () => {
    const usage = {
      object: 'page',
      data: [
        {
          object: 'bucket',
          start_time: 1730419200,
          end_time: 1730505600,
          start_time_iso: '2024-11-01T00:00:00Z',
          end_time_iso: '2024-11-02T00:00:00Z',
          future_field: true,
          results: [
            {
              object: 'organization.usage.completions.result',
              input_tokens: 1,
              output_tokens: 2,
              num_model_requests: 1,
              new_metric: 5,
            },
          ],
        },
      ],
      has_more: false,
      next_page: null,
    };
    expect(responses.usageCompletions(usage)).toBe(true);
  });

  it('do not hide a missing required field', () => {
    expect(responses.listInvites({ object: 'list', data: [{ id: 'invite-1' }], has_more: false })).toBe(false);
  });
});
