/**
 * The seeded organisation is self-consistent: keys' `last_used_at` agrees with the usage the emulator reports,
 * a fresh audit log tells how the organisation came to be, and every seeded user has a name of their own.
 */
import { seededPerson } from '../../src/testing/seed.js';
import { startApi, type Api } from './helpers.js';

/** 2025-06-01T12:34:56Z: the emulator's clock for this file, so "recently" is a fixed instant. */
const NOW_MS = Date.UTC(2025, 5, 1, 12, 34, 56);
const NOW = Math.floor(NOW_MS / 1000);
const HOUR = 3600;

let api: Api;
beforeAll(async () => {
  api = await startApi({ now: () => NOW_MS });
});
afterAll(() => api.emu.close());

interface Key {
  id: string;
  last_used_at: number | null;
}

/** Every key of every seeded project, as the API lists them. */
async function allKeys(): Promise<Key[]> {
  const keys: Key[] = [];
  for (const p of api.emu.state.projects.keys())
    keys.push(...(await api.ok('GET', `/organization/projects/${p}/api_keys?limit=100`)).data);
  return keys;
}

/** Completions rows per key, in 1h buckets over [start, end). */
async function hourlyUsageByKey(start: number, end: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  let page: string | null = null;
  do {
    const q: string = `start_time=${start}&end_time=${end}&bucket_width=1h&group_by=api_key_id&limit=168${page ? `&page=${encodeURIComponent(page)}` : ''}`;
    const body = await api.ok('GET', `/organization/usage/completions?${q}`);
    for (const bucket of body.data) {
      for (const r of bucket.results)
        if (r.input_tokens > 0) out.set(r.api_key_id, [...(out.get(r.api_key_id) ?? []), bucket.start_time]);
    }
    page = body.next_page;
  } while (page);
  return out;
}

describe("keys' last_used_at agrees with the usage the emulator reports", () => {
  test('every seeded key carries usage (each project spends with its own keys); a key made later was never used', async () => {
    const p = [...api.emu.state.projects.keys()][0];
    const made = await api.ok('POST', `/organization/projects/${p}/service_accounts`, { name: 'made later' }, 201);
    const keys = await allKeys();
    expect(keys.find((k) => k.id === made.api_key.id)?.last_used_at).toBeNull();
    const seeded = keys.filter((k) => k.id !== made.api_key.id);
    expect(seeded.length).toBe(9);
    for (const k of seeded) expect(k.last_used_at).not.toBeNull();
  });

  test('a key with usage was used recently, in an hour where usage shows it', async () => {
    const usage = await hourlyUsageByKey(NOW - 3 * 86400, NOW);
    for (const k of await allKeys()) {
      if (k.last_used_at === null) continue;
      expect(k.last_used_at).toBeLessThanOrEqual(NOW);
      expect(k.last_used_at).toBeGreaterThan(NOW - 3 * 86400);
      const hour = Math.floor(k.last_used_at / HOUR) * HOUR;
      expect(usage.get(k.id)).toContain(hour);
      // …and it is the latest complete hour with usage.
      expect(Math.max(...usage.get(k.id)!.filter((t) => t + HOUR <= NOW))).toBe(hour);
    }
  });

  test('a key never used (null) has no usage at all, and every key with usage has a last_used_at', async () => {
    const keys = await allKeys();
    const usage = await hourlyUsageByKey(NOW - 7 * 86400, NOW);
    const daily = await api.ok(
      'GET',
      `/organization/usage/completions?start_time=${NOW - 30 * 86400}&bucket_width=1d&group_by=api_key_id&limit=31`,
    );
    const usedDaily = new Set<string>(
      daily.data.flatMap((b: { results: { api_key_id: string }[] }) => b.results.map((r) => r.api_key_id)),
    );
    for (const k of keys.filter((x) => x.last_used_at === null)) {
      expect(usage.has(k.id)).toBe(false);
      expect(usedDaily.has(k.id)).toBe(false);
    }
    const byId = new Map(keys.map((k) => [k.id, k]));
    for (const id of [...usage.keys(), ...usedDaily]) expect(byId.get(id)?.last_used_at).not.toBeNull();
  });
});

describe('the seeded audit log', () => {
  test('a fresh emulator lists events, newest first, covering every seeded project', async () => {
    const fresh = await startApi({ now: () => NOW_MS });
    try {
      const page = await fresh.ok('GET', '/organization/audit_logs?limit=100');
      expect(page.data.length).toBeGreaterThan(10);
      const times = page.data.map((e: { effective_at: number }) => e.effective_at);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const created = page.data
        .filter((e: { type: string }) => e.type === 'project.created')
        .map((e: { project: { id: string } }) => e.project.id);
      expect(new Set(created)).toEqual(new Set(fresh.emu.state.projects.keys()));
      for (const type of ['api_key.created', 'service_account.created', 'user.added', 'group.created']) {
        expect(page.data.some((e: { type: string }) => e.type === type)).toBe(true);
      }
      // Seeded history is dated when the seeded objects were created, never after now.
      for (const t of times) expect(t).toBeLessThanOrEqual(NOW);
    } finally {
      await fresh.emu.close();
    }
  });
});

describe('seeded users', () => {
  test('5,000 users have distinct names and distinct emails', async () => {
    const big = await startApi({ users: 5000, now: () => NOW_MS });
    try {
      const users = [...big.emu.state.users.values()];
      expect(users).toHaveLength(5000);
      expect(new Set(users.map((u) => u.name)).size).toBe(5000);
      expect(new Set(users.map((u) => u.email)).size).toBe(5000);
    } finally {
      await big.emu.close();
    }
  });

  test('names stay distinct past every initial (the 4,000th person and beyond)', () => {
    const names = new Set<string>();
    const emails = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const p = seededPerson(i);
      names.add(p.name);
      emails.add(p.email);
    }
    expect(names.size).toBe(20_000);
    expect(emails.size).toBe(20_000);
    expect(seededPerson(0)).toEqual({ name: 'Ada Lovelace', email: 'ada.lovelace@example.com' });
    expect(seededPerson(144)).toEqual({ name: 'Ada A. Lovelace', email: 'ada.a.lovelace@example.com' });
  });
});
