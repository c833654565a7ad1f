/** Shared by the org tests: emulators seeded two ways, and the export comparison that allows for invites. */
import { OpenAIAdmin } from '../../src/index.js';
import { parseOrgFile, planOrg, readOrg, sectionsOf, type OrgFile } from '../../src/org/index.js';
import {
  DEMO_ADMIN_KEY,
  seedUsers,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
} from '../../src/testing/index.js';
import { seedSpendSettings } from './settings-seed';

export const clientOn = (emu: Emulator, extra: Partial<ConstructorParameters<typeof OpenAIAdmin>[0]> = {}) =>
  new OpenAIAdmin({ apiKey: DEMO_ADMIN_KEY, baseURL: emu.url, ...extra });

/**
 * The source organisation: 12 users, 3 projects, 2 groups (the emulator's seed), plus spend settings
 * (settings-seed.ts) and custom roles with assignments (see seedRoles).
 */
export async function startSource(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({ seed: 'source', users: 12, projects: 3, ...options });
  await seedRoles(emu, 'source');
  return seedSpendSettings(emu, 'source');
}

/**
 * Custom roles and assignments. The source: organisation roles Auditor (given to a user and a group) and Billing
 * (to another user), project role Deployer in the first project (given to a member and a group). The target: an
 * Auditor with other permissions (an update), an Old role given to a user (pruned), a Stale project role (pruned).
 * The people given roles are seeded people 1..3, who are in both organisations (not invited).
 */
async function seedRoles(emu: Emulator, variant: 'source' | 'target'): Promise<void> {
  const admin = clientOn(emu, { maxRetries: 0 });
  const s = emu.state;
  const [, first, second, third] = [...s.users.values()];
  const [group] = [...s.groups.values()];
  const [project] = [...s.projects.values()];
  if (variant === 'target') {
    await admin.roles.create({ role_name: 'Auditor', permissions: ['api.organization.read'] });
    const old = await admin.roles.create({ role_name: 'Old role', permissions: ['api.organization.read'] });
    await admin.users.roles.assign(first.id, { role_id: old.id });
    await admin.projects.roles.create(project.id, { role_name: 'Stale', permissions: ['api.project.read'] });
    return;
  }
  const auditor = await admin.roles.create({
    role_name: 'Auditor',
    permissions: ['api.organization.read', 'api.audit_logs.read'],
    description: 'Reads everything',
  });
  const billing = await admin.roles.create({ role_name: 'Billing', permissions: ['api.organization.billing.read'] });
  await admin.users.roles.assign(first.id, { role_id: auditor.id });
  await admin.groups.roles.assign(group.id, { role_id: auditor.id });
  await admin.users.roles.assign(second.id, { role_id: billing.id });
  const deployer = await admin.projects.roles.create(project.id, {
    role_name: 'Deployer',
    permissions: ['api.project.deploy'],
  });
  if (!project.users.has(third.id)) await admin.projects.users.add(project.id, { user_id: third.id, role: 'member' });
  await admin.projects.users.roles.assign(project.id, third.id, { role_id: deployer.id });
  if (!project.groups.has(group.id))
    await admin.projects.groups.add(project.id, { group_id: group.id, role: 'member' });
  await admin.projects.groups.roles.assign(project.id, group.id, { role_id: deployer.id });
}

/**
 * An organisation that differs from the source everywhere the org file reaches: fewer users (six of the source's
 * are missing, so they must be invited) plus two the source does not have, one project fewer plus one extra,
 * an extra group, an extra service account, changed roles, a changed rate limit and data retention, an extra
 * pending invite.
 */
export async function startTarget(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({ seed: 'target', users: 6, projects: 2, ...options });
  const admin = clientOn(emu, { maxRetries: 0 });
  const s = emu.state;
  // Two people the source does not have: seeded people 12 and 13 (the source has 0..11).
  seedUsers(s, 0);
  const extra = [12, 13].map((i) => {
    const id = `user_extra${i}`;
    const email = `extra.person${i}@example.com`;
    s.users.set(id, { id, name: `Extra ${i}`, email, role: 'reader', added_at: 1_704_067_200 });
    return id;
  });
  const [first, second] = [...s.projects.values()];
  s.users.get([...s.users.keys()][1])!.role = 'owner';
  first.users.set(extra[0], { role: 'member', added_at: 1_704_067_200 });
  const someone = [...second.users.keys()][1];
  second.users.get(someone)!.role = 'owner';
  first.rateLimits[0].max_requests_per_1_minute = 1;
  first.dataRetention = 'zero_data_retention';
  await admin.projects.create({ name: 'Legacy' });
  await admin.groups.create({ name: 'Contractors' });
  await admin.projects.serviceAccounts.create(first.id, { name: 'old-bot' });
  await admin.invites.create({ email: 'stranger@example.com', role: 'reader', projects: [] });
  await seedRoles(emu, 'target');
  seedSpendSettings(emu, 'target');
  return emu;
}

/**
 * An export with invited people counted as the members they will be: each pending invite becomes a user (and
 * the project memberships it carries), and group memberships that wait for an invite are left out of `expected`.
 */
export function asMembers(file: OrgFile): OrgFile {
  const out = structuredClone(file);
  for (const i of out.invites ?? []) {
    out.users?.push({ email: i.email, role: i.role });
    for (const p of i.projects ?? [])
      out.projects?.find((x) => x.name === p.project)?.users?.push({ email: i.email, role: p.role });
  }
  out.invites = [];
  out.users?.sort((a, b) => (a.email < b.email ? -1 : 1));
  for (const p of out.projects ?? []) p.users?.sort((a, b) => (a.email < b.email ? -1 : 1));
  return out;
}

/** Group members that are only invited in `actual` cannot be added yet: drop them from the expected file. */
export function withoutPendingGroupMembers(expected: OrgFile, actual: OrgFile): OrgFile {
  const invited = new Set((actual.invites ?? []).map((i) => i.email));
  const out = structuredClone(expected);
  for (const g of out.groups ?? []) g.members = g.members?.filter((m) => !invited.has(m));
  return out;
}

/** The writes among the requests an emulator logged (everything but GET). */
export const writes = (emu: Emulator, from = 0) => emu.requests.slice(from).filter((r) => r.method !== 'GET');

/**
 * A fresh source and target organisation for each test of the describe block that calls it: `use` receives them
 * before each test; both are closed after it.
 */
export function useSourceAndTarget(use: (orgs: { source: Emulator; target: Emulator }) => void) {
  let orgs: { source: Emulator; target: Emulator } | undefined;
  beforeEach(async () => {
    orgs = { source: await startSource(), target: await startTarget() };
    use(orgs);
  });
  afterEach(async () => {
    await orgs?.source.close();
    await orgs?.target.close();
  });
}

/** The plan of an org file's text against `target`, reading only the sections the file manages. */
export async function planText(target: Emulator, text: string, prune: boolean) {
  const desired = parseOrgFile(text, 'org.yaml');
  return planOrg(desired, await readOrg(clientOn(target), { only: sectionsOf(desired) }), { prune });
}
