import { OrgPlanError, phaseOf, planOrg, staleEntries, type LiveOrg, type OrgFile } from '../../src/org/index.js';

/** A small live organisation: two members, one pending invite, one group, one project with a member, an account and a limit. */
function live(): LiveOrg {
  return {
    sections: ['users', 'invites', 'groups', 'projects'],
    users: [
      { id: 'user_ada', email: 'ada@example.com', role: 'owner' },
      { id: 'user_bob', email: 'bob@example.com', role: 'reader' },
    ],
    invites: [
      { id: 'invite-1', email: 'cy@example.com', role: 'reader', projects: [{ id: 'proj_r', role: 'member' }] },
    ],
    groups: [{ id: 'group_e', name: 'Engineering', members: [{ id: 'user_ada', email: 'ada@example.com' }] }],
    projects: [
      {
        id: 'proj_r',
        name: 'Research',
        archived: false,
        external_key_id: null,
        dataRetention: 'organization_default',
        users: [{ id: 'user_ada', email: 'ada@example.com', role: 'owner' }],
        groups: [],
        serviceAccounts: [{ id: 'svc_acct_1', name: 'ci-bot', role: 'member' }],
        rateLimits: [{ id: 'rl-gpt-4o', model: 'gpt-4o', max_requests_per_1_minute: 10, max_tokens_per_1_minute: 100 }],
      },
    ],
    adminApiKeys: [],
    notes: [],
  };
}

const keys = (file: OrgFile, prune = false, org = live()) =>
  planOrg(file, org, { prune }).changes.map((c) => `${c.action} ${c.key}`);

describe('planOrg', () => {
  test('the file exported from an organisation plans no change against it', () => {
    const file: OrgFile = {
      version: 1,
      users: [
        { email: 'ada@example.com', role: 'owner' },
        { email: 'bob@example.com', role: 'reader' },
      ],
      invites: [{ email: 'cy@example.com', role: 'reader', projects: [{ project: 'Research', role: 'member' }] }],
      groups: [{ name: 'Engineering', members: ['ada@example.com'] }],
      projects: [
        {
          name: 'Research',
          users: [{ email: 'ada@example.com', role: 'owner' }],
          groups: [],
          service_accounts: [{ name: 'ci-bot', role: 'member' }],
          rate_limits: [{ model: 'gpt-4o', max_requests_per_1_minute: 10, max_tokens_per_1_minute: 100 }],
        },
      ],
    };
    expect(planOrg(file, live(), { prune: true })).toMatchObject({
      changes: [],
      summary: { create: 0, update: 0, delete: 0, unchanged: 9 },
    });
  });

  test('without prune an empty section removes nothing; with prune it removes everything in it, and only in it', () => {
    expect(keys({ version: 1, groups: [], projects: [{ name: 'Research', users: [] }] })).toEqual([]);
    expect(keys({ version: 1, groups: [], projects: [{ name: 'Research', users: [] }] }, true)).toEqual([
      'delete group "Engineering"',
      'delete project "Research" › user ada@example.com',
    ]);
  });

  test('fields left out are not managed; fields given are compared one by one', () => {
    const plan = planOrg(
      {
        version: 1,
        projects: [{ name: 'Research', rate_limits: [{ model: 'gpt-4o', max_tokens_per_1_minute: 200 }] }],
      },
      live(),
    );
    expect(plan.changes).toMatchObject([
      { action: 'update', type: 'rate_limit', fields: { max_tokens_per_1_minute: { old: 100, new: 200 } } },
    ]);
    expect(Object.keys(plan.changes[0].fields)).toEqual(['max_tokens_per_1_minute']);
  });

  test('project data retention is compared and updated on its own, before what is inside projects', () => {
    const plan = planOrg(
      { version: 1, projects: [{ name: 'Research', data_retention: 'zero_data_retention' }] },
      live(),
    );
    expect(plan.changes).toMatchObject([
      {
        action: 'update',
        type: 'project',
        fields: { data_retention: { old: 'organization_default', new: 'zero_data_retention' } },
      },
    ]);
    expect(phaseOf(plan.changes[0])).toBe(1);
    expect(
      planOrg({ version: 1, projects: [{ name: 'Research', data_retention: 'organization_default' }] }, live()).changes,
    ).toEqual([]);
  });

  test('a person the organisation lacks is invited, with the projects the file gives them', () => {
    const plan = planOrg(
      {
        version: 1,
        users: [{ email: 'dee@example.com', role: 'reader' }],
        projects: [{ name: 'Research', users: [{ email: 'dee@example.com', role: 'member' }] }],
      },
      live(),
    );
    expect(plan.changes).toMatchObject([
      {
        action: 'create',
        type: 'invite',
        key: 'invite dee@example.com',
        target: { projects: [{ project: 'Research', role: 'member' }] },
      },
    ]);
  });

  test('a pending invite with other projects is revoked and sent again (an invite cannot be changed)', () => {
    const plan = planOrg({ version: 1, invites: [{ email: 'cy@example.com', role: 'reader', projects: [] }] }, live());
    expect(plan.changes).toMatchObject([
      { action: 'update', type: 'invite', meaning: expect.stringContaining('revoke the invite and send a new one') },
    ]);
  });

  test('group memberships of invited people wait, with a note', () => {
    const plan = planOrg(
      {
        version: 1,
        users: [{ email: 'dee@example.com', role: 'reader' }],
        groups: [{ name: 'Engineering', members: ['ada@example.com', 'dee@example.com'] }],
      },
      live(),
    );
    expect(plan.changes.map((c) => c.type)).toEqual(['invite']);
    expect(plan.notes).toEqual([
      'group "Engineering" › member dee@example.com: invited, added once they accept (run apply again then)',
    ]);
  });

  test('references that resolve to nothing are all reported, and nothing is planned', () => {
    const file: OrgFile = {
      version: 1,
      projects: [
        {
          name: 'Research',
          users: [{ email: 'ghost@example.com', role: 'member' }],
          groups: [{ group: 'Nobody' }],
          rate_limits: [{ model: 'gpt-5-imaginary' }],
        },
      ],
    };
    expect(() => planOrg(file, live())).toThrow(OrgPlanError);
    try {
      planOrg(file, live());
    } catch (err) {
      expect((err as OrgPlanError).problems).toEqual([
        `project "Research" › users: 'ghost@example.com' is not in the organisation, and the file neither lists them under users nor invites them`,
        `project "Research" › groups: no group 'Nobody' in the organisation or the file`,
        'project "Research" › rate limit gpt-5-imaginary: the project has no rate limit for this model (the API keeps one per model it serves; none can be created) (models it has: gpt-4o)',
      ]);
    }
  });

  test('two active projects with one name: the entry must give an id; with it, that one is meant', () => {
    const org = live();
    org.projects.push({ ...org.projects[0], id: 'proj_r2', users: [] });
    expect(() => planOrg({ version: 1, projects: [{ name: 'Research', users: [] }] }, org)).toThrow(
      /2 active projects with this name \(proj_r, proj_r2\)/,
    );
    expect(
      keys(
        {
          version: 1,
          projects: [{ name: 'Research', id: 'proj_r2', users: [{ email: 'bob@example.com', role: 'member' }] }],
        },
        false,
        org,
      ),
    ).toEqual(['create project "Research" (proj_r2) › user bob@example.com']);
  });

  test('pruning projects archives them, and archiving is destructive', () => {
    const plan = planOrg({ version: 1, projects: [] }, live(), { prune: true });
    expect(plan.changes).toMatchObject([
      { action: 'delete', type: 'project', destructive: true, meaning: expect.stringContaining('archive') },
    ]);
  });

  test('apply phases: containers before what is in them, removals after, and archiving/deleting containers last', () => {
    const plan = planOrg(
      {
        version: 1,
        users: [{ email: 'ada@example.com', role: 'owner' }],
        groups: [{ name: 'Platform', members: ['ada@example.com'] }],
        projects: [{ name: 'New', users: [{ email: 'ada@example.com', role: 'owner' }] }],
      },
      live(),
      { prune: true },
    );
    const phase = (key: string) => phaseOf(plan.changes.find((c) => c.key === key)!);
    expect(phase('group "Platform"')).toBeLessThan(phase('group "Platform" › member ada@example.com'));
    expect(phase('project "New"')).toBeLessThan(phase('project "New" › user ada@example.com'));
    expect(phase('project "New" › user ada@example.com')).toBeLessThan(phase('group "Engineering"'));
    expect(phase('project "Research"')).toBe(4);
  });

  test('a saved plan is stale when an entry it changes looks different now, or is already done', () => {
    const file: OrgFile = { version: 1, users: [{ email: 'bob@example.com', role: 'owner' }] };
    const saved = planOrg(file, live());
    expect(staleEntries(saved, planOrg(file, live()))).toEqual([]);
    const moved = live();
    moved.users[1].role = 'owner';
    expect(staleEntries(saved, planOrg(file, moved))).toEqual(['user bob@example.com']);
  });
});
