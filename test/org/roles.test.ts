/** Custom roles and role assignments in org files: plan rules (pure) and what apply sends (against the emulator). */
import {
  applyPlan,
  exportOrg,
  OrgPlanError,
  parseOrgFile,
  phaseOf,
  planOrg,
  readOrg,
  sectionsOf,
  stringifyOrgFile,
  type LiveOrg,
  type OrgFile,
} from '../../src/org/index.js';
import type { Emulator } from '../../src/testing/index.js';
import { clientOn, useSourceAndTarget, writes } from './support';

const role = (id: string, name: string, permissions: string[], predefined = false) => ({
  id,
  name,
  permissions,
  description: null,
  predefined,
});

/** Two members, one group, one project (ada is its member, Engineering has access), roles of both kinds. */
function live(): LiveOrg {
  return {
    sections: ['roles', 'role_assignments', 'project_roles', 'project_role_assignments'],
    users: [
      { id: 'user_ada', email: 'ada@example.com', role: 'owner' },
      { id: 'user_bob', email: 'bob@example.com', role: 'reader' },
    ],
    invites: [],
    groups: [],
    projects: [],
    adminApiKeys: [],
    notes: [],
    roles: {
      org: [role('role_owner', 'Owner', ['*'], true), role('role_aud', 'Auditor', ['read.a', 'read.b'])],
      orgAssignments: [
        { principal: 'user', principalId: 'user_ada', who: 'ada@example.com', roleId: 'role_aud', role: 'Auditor' },
      ],
      groups: [{ id: 'group_e', name: 'Engineering' }],
      projects: [
        {
          id: 'proj_r',
          name: 'Research',
          archived: false,
          roles: [role('role_pm', 'member', ['x'], true), role('role_dep', 'Deployer', ['deploy'])],
          assignments: [],
          users: [{ id: 'user_ada', email: 'ada@example.com' }],
          groupIds: ['group_e'],
        },
      ],
    },
  };
}

const keys = (file: Omit<OrgFile, 'version'>, prune = false) =>
  planOrg({ version: 1, ...file }, live(), { prune }).changes.map((c) => `${c.action} ${c.key}`);
const problems = (file: Omit<OrgFile, 'version'>) => {
  try {
    planOrg({ version: 1, ...file }, live());
  } catch (e) {
    return (e as OrgPlanError).problems;
  }
  return [];
};

describe('planning custom roles and assignments', () => {
  test('permissions are compared as a set, field by field; a role left out is deleted only with prune', () => {
    const file = { roles: [{ name: 'Auditor', permissions: ['read.b', 'read.a'] }] };
    expect(keys(file)).toEqual([]);
    const plan = planOrg(
      { version: 1, roles: [{ name: 'Auditor', permissions: ['read.a'], description: 'R' }] },
      live(),
    );
    expect(plan.changes.map((c) => [c.action, c.key, c.fields])).toEqual([
      [
        'update',
        'role "Auditor"',
        { permissions: { old: ['read.a', 'read.b'], new: ['read.a'] }, description: { old: null, new: 'R' } },
      ],
    ]);
    expect(keys({ roles: [] })).toEqual([]);
    expect(keys({ roles: [] }, true)).toEqual(['delete role "Auditor"']);
  });

  test('with prune, the project sections cover every active project: one they do not name loses its custom roles', () => {
    expect(keys({ project_roles: [] })).toEqual([]);
    expect(keys({ project_roles: [] }, true)).toEqual(['delete project "Research" › role "Deployer"']);
  });

  test('predefined roles are never deleted, and a file that defines one is refused', () => {
    expect(
      keys({ roles: [], project_roles: [{ project: 'Research', name: 'Deployer', permissions: ['deploy'] }] }, true),
    ).toEqual(['delete role "Auditor"']);
    expect(problems({ roles: [{ name: 'Owner', permissions: [] }] })).toEqual([
      `role "Owner": a predefined role (OpenAI's): it cannot be defined or changed; leave it out (assignments may name it)`,
    ]);
  });

  test('assignments are keyed by role name and email or group name; predefined roles can be assigned', () => {
    const file = {
      role_assignments: [
        { role: 'Auditor', user: 'ADA@example.com' },
        { role: 'Owner', group: 'Engineering' },
      ],
      project_role_assignments: [{ project: 'Research', role: 'Deployer', group: 'Engineering' }],
    };
    expect(keys(file)).toEqual([
      'create assignment "Owner" → group "Engineering"',
      'create project "Research" › assignment "Deployer" → group "Engineering"',
    ]);
    expect(keys({ role_assignments: [] }, true)).toEqual(['delete assignment "Auditor" → user ada@example.com']);
  });

  test('references that resolve to nothing are errors with a "did you mean", and nothing is planned', () => {
    expect(
      problems({
        role_assignments: [
          { role: 'Auditer', user: 'ada@example.com' },
          { role: 'Auditor', user: 'zed@example.com' },
          { role: 'Auditor', group: 'Enginering' },
        ],
        project_roles: [{ project: 'Reserch', name: 'X', permissions: [] }],
        project_role_assignments: [{ project: 'Research', role: 'Deployer', user: 'bob@example.com' }],
      }),
    ).toEqual([
      `assignment "Auditer" → user ada@example.com: no role 'Auditer' in the organisation or the file (did you mean 'Auditor'?)`,
      `assignment "Auditor" → user zed@example.com: 'zed@example.com' is not in the organisation, and the file neither lists them under users nor invites them`,
      `assignment "Auditor" → group "Enginering": no group 'Enginering' in the organisation or the file (did you mean 'Engineering'?)`,
      `project "Reserch": no project 'Reserch' in the organisation or the file (did you mean 'Research'?)`,
      `project "Research" › assignment "Deployer" → user bob@example.com: 'bob@example.com' is not a member of the project (list them under the project's users)`,
    ]);
  });

  test('apply order: roles before their assignments, project roles after projects, removals after adds', () => {
    const plan = planOrg(
      {
        version: 1,
        roles: [{ name: 'New', permissions: [] }],
        role_assignments: [{ role: 'New', user: 'bob@example.com' }],
        project_roles: [{ project: 'Research', name: 'Tester', permissions: [] }],
        project_role_assignments: [{ project: 'Research', role: 'Tester', user: 'ada@example.com' }],
      },
      live(),
      { prune: true },
    );
    expect(plan.changes.map((c) => `${phaseOf(c)} ${c.action} ${c.type}`)).toEqual([
      '1 create role',
      '3 delete role',
      '3 create role_assignment',
      '3 delete role_assignment',
      '2 create project_role',
      '3 delete project_role',
      '3 create project_role_assignment',
    ]);
  });
});

describe('custom roles against the emulator', () => {
  let source: Emulator;
  let target: Emulator;
  useSourceAndTarget((orgs) => ({ source, target } = orgs));

  test('apply --prune makes the roles and assignments equal to the source, each removal in its own way', async () => {
    const exported = await exportOrg(clientOn(source));
    expect(exported.roles!.map((r) => r.name)).toEqual(['Auditor', 'Billing']);
    expect(exported.project_role_assignments).toHaveLength(2);
    const admin = clientOn(target);
    const desired = parseOrgFile(await stringifyOrgFile(exported), 'org.yaml');
    const plan = planOrg(desired, await readOrg(admin, { only: sectionsOf(desired) }), { prune: true });
    const roleChanges = plan.changes.filter((c) => /role/.test(c.type)).map((c) => `${c.action} ${c.key}`);
    expect(roleChanges).toEqual(
      expect.arrayContaining([
        'update role "Auditor"',
        'create role "Billing"',
        'delete role "Old role"',
        expect.stringMatching(/^delete assignment "Old role" → user \S+@example\.com$/),
        'delete project "Default project" › role "Stale"',
      ]),
    );
    const result = await applyPlan(admin, plan, { onKey: () => undefined });
    expect(result.failed).toEqual([]);
    const after = await exportOrg(admin);
    for (const s of ['roles', 'role_assignments', 'project_roles', 'project_role_assignments'] as const)
      expect([s, after[s]]).toEqual([s, exported[s]]);
    // Predefined roles are still there, untouched.
    const predefined = [...target.state.roles.values()].filter((r) => r.predefined);
    expect(predefined.length).toBeGreaterThan(0);
    expect(predefined.every((r) => r.created_at === r.updated_at)).toBe(true);
  });

  test('a role update sends only the fields that differ', async () => {
    const mark = target.requests.length;
    const admin = clientOn(target);
    const desired = parseOrgFile(
      'version: 1\nroles:\n  - name: Auditor\n    permissions: [api.organization.read]\n    description: Reads\n',
      'org.yaml',
    );
    const plan = planOrg(desired, await readOrg(admin, { only: sectionsOf(desired) }));
    expect(plan.changes.map((c) => Object.keys(c.fields))).toEqual([['description']]);
    expect((await applyPlan(admin, plan)).failed).toEqual([]);
    const sent = writes(target, mark);
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toMatch(/^\/v1\/organization\/roles\/role_/);
  });
});
