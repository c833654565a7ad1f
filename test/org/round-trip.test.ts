import {
  applyPlan,
  exportOrg,
  parseOrgFile,
  planOrg,
  readOrg,
  sectionsOf,
  stringifyOrgFile,
  type CreatedKey,
} from '../../src/org/index.js';
import type { Emulator } from '../../src/testing/index.js';
import { asMembers, clientOn, startTarget, useSourceAndTarget, withoutPendingGroupMembers, writes } from './support';

describe('org as code: export → apply --prune → export', () => {
  let source: Emulator;
  let target: Emulator;
  useSourceAndTarget((orgs) => ({ source, target } = orgs));

  async function applyFile(text: string, prune: boolean) {
    const admin = clientOn(target);
    const desired = parseOrgFile(text, 'org.yaml');
    const plan = planOrg(desired, await readOrg(admin, { only: sectionsOf(desired) }), { prune });
    const keys: CreatedKey[] = [];
    const result = await applyPlan(admin, plan, { onKey: (k) => void keys.push(k) });
    return { plan, result, keys, desired };
  }

  test('a differently seeded organisation ends equal to the exported one; missing users are invited instead', async () => {
    const exported = await exportOrg(clientOn(source));
    const text = await stringifyOrgFile(exported);
    const { plan, result } = await applyFile(text, true);
    expect(result.failed).toEqual([]);
    expect(plan.summary.delete).toBeGreaterThan(0);

    const after = await exportOrg(clientOn(target));
    // Six of the source's users are not in the target: they are invited (users cannot be created).
    expect(after.invites!.map((i) => i.email)).toHaveLength(6);
    expect(after.invites!.map((i) => i.email)).not.toContain('stranger@example.com');
    expect(asMembers(after)).toEqual(withoutPendingGroupMembers(exported, after));
  });

  test('with --prune, what the file leaves out is removed, each type in its own way', async () => {
    const admin = clientOn(target);
    const { plan, result } = await applyFile(await stringifyOrgFile(await exportOrg(clientOn(source))), true);
    expect(result.failed).toEqual([]);
    const deletes = plan.changes.filter((c) => c.action === 'delete').map((c) => `${c.type}: ${c.meaning}`);
    expect(deletes).toEqual(
      expect.arrayContaining([
        'user: remove from the organisation (and from every project and group)',
        'invite: revoke the invite',
        'group: delete the group (its members stay in the organisation)',
        'project: archive (projects cannot be deleted; archiving cannot be undone: its keys stop working)',
        'service_account: delete the service account and its API keys',
      ]),
    );
    const legacy = [...target.state.projects.values()].find((p) => p.name === 'Legacy')!;
    expect(legacy.archived_at).not.toBeNull();
    expect([...target.state.groups.values()].map((g) => g.name)).not.toContain('Contractors');
    expect((await admin.users.list({ limit: 100 })).data.map((u) => u.email)).not.toContain(
      'extra.person12@example.com',
    );
  });

  test('without --prune nothing is removed, archived or revoked', async () => {
    const before = writes(target).length;
    const { plan, result } = await applyFile(await stringifyOrgFile(await exportOrg(clientOn(source))), false);
    expect(result.failed).toEqual([]);
    expect(plan.changes.filter((c) => c.action === 'delete')).toEqual([]);
    const sent = writes(target, 0).slice(before);
    expect(sent.filter((r) => r.method === 'DELETE' || r.url.endsWith('/archive'))).toEqual([]);
    expect([...target.state.projects.values()].find((p) => p.name === 'Legacy')!.archived_at).toBeNull();
    expect([...target.state.invites.values()].map((i) => i.email)).toContain('stranger@example.com');
  });

  test('a plan right after apply has no changes, and a second apply sends no write', async () => {
    const text = await stringifyOrgFile(await exportOrg(clientOn(source)));
    await applyFile(text, true);
    const mark = target.requests.length;
    const again = await applyFile(text, true);
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.summary).toMatchObject({ create: 0, update: 0, delete: 0 });
    expect(again.result.done).toEqual([]);
    expect(writes(target, mark)).toEqual([]);
  });

  test('updates send only the fields that differ', async () => {
    const admin = clientOn(target);
    const project = [...target.state.projects.values()][0];
    const text = `version: 1
projects:
  - name: ${project.name}
    rate_limits:
      - model: gpt-4o
        max_requests_per_1_minute: 10000
        max_tokens_per_1_minute: ${project.rateLimits.find((r) => r.model === 'gpt-4o')!.max_tokens_per_1_minute}
`;
    const mark = target.requests.length;
    const { plan, result } = await applyFile(text, false);
    expect(result.failed).toEqual([]);
    expect(plan.changes).toHaveLength(1);
    expect(Object.keys(plan.changes[0].fields)).toEqual(['max_requests_per_1_minute']);
    expect(writes(target, mark)).toEqual([
      { method: 'POST', url: `/v1/organization/projects/${project.id}/rate_limits/rl-gpt-4o` },
    ]);
    expect(
      (await admin.projects.rateLimits.list(project.id)).data.find((r) => r.model === 'gpt-4o')!
        .max_requests_per_1_minute,
    ).toBe(10000);
  });

  test('a service account created by apply hands its key to onKey only: not to the plan, not to the export', async () => {
    const project = [...target.state.projects.values()][0];
    const text = `version: 1\nprojects:\n  - name: ${project.name}\n    service_accounts:\n      - name: deploy-bot\n        role: owner\n`;
    const { plan, result, keys } = await applyFile(text, false);
    expect(result.failed).toEqual([]);
    expect(keys).toHaveLength(1);
    expect(keys[0].value).toMatch(/^sk-svcacct-/);
    expect(JSON.stringify(plan)).not.toContain(keys[0].value);
    const exported = await stringifyOrgFile(await exportOrg(clientOn(target)));
    expect(exported).not.toContain(keys[0].value);
    expect(exported).not.toMatch(/sk-(svcacct|admin|proj)-/);
    const sa = [...target.state.serviceAccounts.values()].find((s) => s.name === 'deploy-bot')!;
    expect(sa.role).toBe('owner');
  });

  test('converges under realism "api": 429s with the wait in the message, 200/201 flips, read-after-write 404s', async () => {
    let now = Date.UTC(2026, 0, 1);
    const clock = { now: () => now };
    // An organisation of its own (the shared realistic is closed after each test).
    const realistic = await startTarget({
      realism: 'api',
      rateLimit: { requests: 5, windowMs: 1_000 },
      readAfterWriteMs: 300,
      now: clock.now,
    });
    try {
      // What the set-up created is past its read-after-write window before the run starts (another client made it).
      now += 1_000;
      // The client sleeps by moving the emulator's clock: no real waiting, no timing in the assertions.
      const sleep = (ms: number) => {
        now += ms;
        return Promise.resolve();
      };
      let limited = 0;
      const admin = clientOn(realistic, { sleep, now: clock.now, maxRetries: 6, onRateLimit: () => void limited++ });
      const text = await stringifyOrgFile(await exportOrg(clientOn(source)));
      const desired = parseOrgFile(text, 'org.yaml');
      let plan = planOrg(desired, await readOrg(admin, { only: sectionsOf(desired) }), { prune: true });
      const mark = realistic.requests.length;
      const result = await applyPlan(admin, plan, { onKey: () => undefined });
      expect(result.failed.map((f) => `${f.change.key}: ${String(f.error)}`)).toEqual([]);
      expect(plan.changes.length).toBeGreaterThan(20);
      // The realism was there: the run met 429s and waited them out.
      expect(limited).toBeGreaterThan(0);
      expect(writes(realistic, mark).length).toBeGreaterThan(0);
      plan = planOrg(desired, await readOrg(admin, { only: sectionsOf(desired) }), { prune: true });
      expect(plan.changes).toEqual([]);
      const names = [...realistic.state.projects.values()].filter((p) => p.archived_at === null).map((p) => p.name);
      expect(new Set(names).size).toBe(names.length);
    } finally {
      await realistic.close();
    }
  });
});
