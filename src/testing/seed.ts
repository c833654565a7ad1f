import type * as T from '../../generated/client/types.gen.js';
import { BoundedMap, checkSeedOption, COLLECTION_LIMITS } from './limits.js';
import type { EmulatorState, ProjectKeyRecord, ProjectRecord, RoleRecord } from './store.js';
import { syntheticLastUsedAt } from './usage.js';
import { adminKeyOwnerView, redact } from './views.js';

/** What to pre-populate. Everything is derived from the emulator's seed, so it is identical per seed. */
export interface SeedOptions {
  /** Org users to create (default 12; 0 to 100,000). The demo pages through 5,000. */
  users?: number;
  /** Projects to create besides none (default 3; 0 to 1,000). */
  projects?: number;
}

/** The most members a seeded project gets (the i-th gets 3 + i, up to this). */
const MAX_SEEDED_MEMBERS = 50;

/** 2024-01-01: seeded objects are dated before any real session so listings are stable per seed. */
export const SEED_EPOCH = 1704067200;

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Margaret',
  'Dennis',
  'Radia',
  'Niklaus',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Hamilton',
  'Ritchie',
  'Perlman',
  'Wirth',
];
const PROJECT_NAMES = [
  'Default project',
  'Production',
  'Research',
  'Staging',
  'Data pipeline',
  'Support bot',
  'Internal tools',
  'Marketing',
];

/** The models projects get rate limits for, with plausible defaults. */
export const RATE_LIMIT_MODELS: ReadonlyArray<[string, number, number]> = [
  ['gpt-4o', 10000, 30000000],
  ['gpt-4o-mini', 30000, 150000000],
  ['o3', 10000, 30000000],
  ['text-embedding-3-small', 10000, 10000000],
  ['dall-e-3', 500, 0],
  ['whisper-1', 500, 0],
  ['tts-1', 500, 0],
];

export const PREDEFINED_ORG_ROLES = [
  ['owner', 'Full access to the organization.', ['api.organization.read', 'api.organization.write']],
  ['reader', 'Read-only access to the organization.', ['api.organization.read']],
] as const;

export const PREDEFINED_PROJECT_ROLES = [
  ['owner', 'Full access to the project.', ['api.project.read', 'api.project.write']],
  ['member', 'Use the project and its models.', ['api.project.read', 'api.model.request']],
  ['viewer', 'Read-only access to the project.', ['api.project.read']],
] as const;

export function defaultRateLimits(): T.ProjectRateLimit[] {
  return RATE_LIMIT_MODELS.map(([model, rpm, tpm]) => ({
    object: 'project.rate_limit',
    id: `rl-${model}`,
    model,
    max_requests_per_1_minute: rpm,
    max_tokens_per_1_minute: tpm,
    max_requests_per_1_day: rpm * 1440,
    batch_1_day_max_input_tokens: tpm * 10,
  }));
}

/** A fresh project record with the API's defaults; shared by seeding and the create handler. */
export function newProjectRecord(
  state: EmulatorState,
  name: string,
  createdAt: number,
  seeded: boolean,
): ProjectRecord {
  return {
    id: state.newId('proj_'),
    name,
    created_at: createdAt,
    archived_at: null,
    external_key_id: null,
    residency: null,
    seeded,
    dataRetention: 'organization_default',
    hostedTools: { file_search: true, web_search: true, image_generation: true, mcp: true, code_interpreter: true },
    modelPermissions: { mode: 'deny_list', model_ids: [] },
    spendLimit: null,
    users: new Map(),
    groups: new Map(),
    rateLimits: defaultRateLimits(),
    spendAlerts: new BoundedMap(COLLECTION_LIMITS.spendAlerts, 'spend alerts in a project'),
  };
}

/** A service-account or user key: the full value for the create response, the record keeps it redacted. */
function newKeyValue(
  state: EmulatorState,
  prefix: 'sk-svcacct-' | 'sk-proj-' | 'sk-admin-',
): { value: string; redacted: string } {
  const value = `${prefix}${state.rng.alnum(48)}`;
  return { value, redacted: redact(value) };
}

/**
 * Stores a new project key (`sk-proj-` for a user, `sk-svcacct-` for a service account). The full
 * value is returned for the one response that shows it; the record keeps it redacted.
 */
export function addProjectKey(
  state: EmulatorState,
  k: Pick<ProjectKeyRecord, 'projectId' | 'name' | 'created_at' | 'last_used_at' | 'owner' | 'seeded'> & {
    expires_at?: number | null;
  },
): { record: ProjectKeyRecord; value: string } {
  const { value, redacted } = newKeyValue(state, k.owner.type === 'user' ? 'sk-proj-' : 'sk-svcacct-');
  const id = state.newId('key_', 16);
  const record: ProjectKeyRecord = {
    id,
    projectId: k.projectId,
    name: k.name,
    redacted_value: redacted,
    created_at: k.created_at,
    last_used_at: k.last_used_at,
    expires_at: k.expires_at ?? null,
    owner: k.owner,
    ...(k.seeded ? { seeded: true } : {}),
  };
  state.projectKeys.set(id, record);
  return { record, value };
}

/** Stores a new admin key; as with project keys, only the returned value is ever unredacted. */
export function addAdminKey(
  state: EmulatorState,
  k: Pick<T.AdminApiKey, 'name' | 'created_at' | 'expires_at' | 'last_used_at' | 'owner'>,
): { record: T.AdminApiKey; value: string } {
  const { value, redacted } = newKeyValue(state, 'sk-admin-');
  const record: T.AdminApiKey = {
    object: 'organization.admin_api_key',
    id: state.newId('key_', 16),
    name: k.name,
    redacted_value: redacted,
    created_at: k.created_at,
    expires_at: k.expires_at,
    last_used_at: k.last_used_at,
    owner: k.owner,
  };
  state.adminKeys.set(record.id, record);
  return { record, value };
}

function addRole(state: EmulatorState, r: Omit<RoleRecord, 'id'>): void {
  const id = state.newId('role_');
  state.roles.set(id, { id, ...r });
}

/**
 * Adds `count` org users quickly (5,000 in a few milliseconds): no audit events, no lookups.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ seed: 1 });
 * seedUsers(emu.state, 1_000); // now 1,012 users to page through
 * ```
 */
export function seedUsers(state: EmulatorState, count: number): void {
  const start = state.users.size;
  const room = COLLECTION_LIMITS.users - start;
  // Checked up front: a count past the bound is a mistake to name, not a half-seeded organisation.
  if (!Number.isInteger(count) || count < 0 || count > room)
    throw new RangeError(`seedUsers: count must be a whole number from 0 to ${room} (got ${String(count)})`);
  for (let i = start; i < start + count; i++) {
    const { name, email } = seededPerson(i);
    const id = state.newId('user_');
    state.users.set(id, { id, name, email, role: i === 0 ? 'owner' : 'reader', added_at: SEED_EPOCH + i * 60 });
  }
}

const INITIALS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The i-th seeded person, distinct for every i: first × last name (144 people), then a middle initial
 * (× 26: 3,888 people), then a number after the initial. Pure. Emails follow the name, so they are distinct too.
 */
export function seededPerson(i: number): { name: string; email: string } {
  const pairs = FIRST.length * LAST.length;
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  const round = Math.floor(i / pairs);
  if (round === 0) return { name: `${first} ${last}`, email: `${first}.${last}@example.com`.toLowerCase() };
  const initial = INITIALS[(round - 1) % INITIALS.length];
  const n = Math.floor((round - 1) / INITIALS.length);
  const middle = n === 0 ? initial : `${initial}${n + 1}`;
  return { name: `${first} ${middle}. ${last}`, email: `${first}.${middle}.${last}@example.com`.toLowerCase() };
}

/** Pre-populates an organisation: roles, users, projects with members, keys and rate limits, groups. */
export function seedState(state: EmulatorState, options: SeedOptions = {}): void {
  // Bounded (limits.ts): 10,000,000 projects used to end in V8's out-of-memory crash instead of an error.
  const users = checkSeedOption('users', options.users) ?? 12;
  const projects = checkSeedOption('projects', options.projects) ?? 3;
  for (const [name, description, permissions] of PREDEFINED_ORG_ROLES) {
    addRole(state, {
      name,
      description,
      permissions: [...permissions],
      resource_type: 'api.organization',
      predefined: true,
      projectId: null,
      created_at: SEED_EPOCH,
      updated_at: SEED_EPOCH,
    });
  }
  for (const [name, description, permissions] of PREDEFINED_PROJECT_ROLES) {
    addRole(state, {
      name,
      description,
      permissions: [...permissions],
      resource_type: 'api.project',
      predefined: true,
      projectId: null,
      created_at: SEED_EPOCH,
      updated_at: SEED_EPOCH,
    });
  }
  seedUsers(state, Math.max(users, 1));
  const userIds = [...state.users.keys()];
  const history: [at: number, type: string, details: Record<string, unknown>, projectId?: string][] = [];

  for (let i = 0; i < projects; i++) {
    const p = newProjectRecord(
      state,
      PROJECT_NAMES[i % PROJECT_NAMES.length] + (i >= PROJECT_NAMES.length ? ` ${i}` : ''),
      SEED_EPOCH + 86400 * (i + 1),
      true,
    );
    state.projects.set(p.id, p);
    // 3 members in the first project, one more in each next one up to MAX_SEEDED_MEMBERS: linear in projects.
    const members = userIds.slice(0, Math.min(userIds.length, 3 + i, MAX_SEEDED_MEMBERS));
    members.forEach((uid, j) =>
      p.users.set(uid, { role: j === 0 ? 'owner' : 'member', added_at: p.created_at + j * 60 }),
    );
    history.push([p.created_at, 'project.created', { id: p.id, data: { name: p.name, title: p.name } }, p.id]);
    members.forEach((uid, j) =>
      history.push([
        p.created_at + j * 60,
        'user.added',
        { id: uid, data: { role: j === 0 ? 'owner' : 'member' } },
        p.id,
      ]),
    );
    for (const uid of members.slice(0, 2)) {
      // last_used_at is set below, from the synthetic usage, once every key exists.
      const { record } = addProjectKey(state, {
        projectId: p.id,
        name: 'Secret key',
        created_at: p.created_at + 3600,
        last_used_at: null,
        owner: { type: 'user', id: uid },
        seeded: true,
      });
      history.push([record.created_at, 'api_key.created', { id: record.id, data: { scopes: ['/v1/*'] } }, p.id]);
    }
    const sa = {
      id: state.newId('svc_acct_'),
      projectId: p.id,
      name: 'ci-bot',
      role: 'member' as const,
      created_at: p.created_at + 600,
    };
    state.serviceAccounts.set(sa.id, sa);
    history.push([sa.created_at, 'service_account.created', { id: sa.id, data: { role: sa.role } }, p.id]);
    const { record } = addProjectKey(state, {
      projectId: p.id,
      name: 'Secret Key',
      created_at: sa.created_at,
      last_used_at: null,
      owner: { type: 'service_account', id: sa.id },
      seeded: true,
    });
    history.push([record.created_at, 'api_key.created', { id: record.id, data: { scopes: ['/v1/*'] } }, p.id]);
  }
  // Keys agree with the usage the emulator reports: each project's usage is made with its own seeded keys, by
  // their owners (usage.ts), so a key that carries usage was used recently; any other key was never used.
  for (const k of state.projectKeys.values()) k.last_used_at = syntheticLastUsedAt(state, k.id);

  const groupNames = ['Engineering', 'Finance'];
  groupNames.forEach((name, i) => {
    const id = state.newId('group_');
    const members = new Map<string, number>();
    userIds
      .filter((_, j) => j % groupNames.length === i)
      .slice(0, 5)
      .forEach((uid) => members.set(uid, SEED_EPOCH + 3600));
    state.groups.set(id, { id, name, created_at: SEED_EPOCH + i * 60, members });
    history.push([SEED_EPOCH + i * 60, 'group.created', { id, data: { group_name: name } }]);
  });

  // The first seeded user is the org owner; the admin key is the one this emulator's caller is using now.
  const ownerUser = state.users.get(userIds[0])!;
  const owner = adminKeyOwnerView(ownerUser);
  const { record: adminKey } = addAdminKey(state, {
    name: 'Emulator admin key',
    created_at: SEED_EPOCH,
    expires_at: null,
    last_used_at: state.now(),
    owner,
  });
  // Every change, seeded or made later, is audited as made with this key by its owner: actors that exist.
  state.actor = {
    type: 'api_key',
    api_key: { id: adminKey.id, type: 'user', user: { id: ownerUser.id, email: ownerUser.email ?? '' } },
  };
  history.push([
    SEED_EPOCH,
    'api_key.created',
    { id: adminKey.id, data: { scopes: ['api.management.read', 'api.management.write'] } },
  ]);

  // The seeded organisation's history, oldest first, so that a fresh emulator's audit log is not empty.
  history.sort((a, b) => a[0] - b[0]);
  for (const [at, type, details, projectId] of history) state.audit(type, details, projectId, at);
}
