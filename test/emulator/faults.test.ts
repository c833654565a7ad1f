/** Seeded fault knobs: 429 with Retry-After, 5xx and latency, reproducible from the seed. */
import { startApi, type Api } from './helpers.js';

async function statuses(api: Api, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await api.call('GET', '/organization/projects')).status);
  return out;
}

test('rateLimitRate 1 answers every request 429 with Retry-After and the OpenAI error shape', async () => {
  const api = await startApi({ faults: { rateLimitRate: 1, retryAfterSeconds: 3 } });
  try {
    const r = await api.call('GET', '/organization/projects');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(r.headers.get('x-request-id')).toMatch(/^req_/);
    expect(r.json.error).toMatchObject({ code: 'rate_limit_exceeded', param: null });
  } finally {
    await api.emu.close();
  }
});

test('the same seed meets the same faults in the same order; another seed differs', async () => {
  const faults = { rateLimitRate: 0.3, serverErrorRate: 0.2 };
  const [a, b, c] = await Promise.all([
    startApi({ seed: 'f', faults }),
    startApi({ seed: 'f', faults }),
    startApi({ seed: 'g', faults }),
  ]);
  try {
    const sa = await statuses(a, 40);
    expect(await statuses(b, 40)).toEqual(sa);
    expect(await statuses(c, 40)).not.toEqual(sa);
    expect(sa).toContain(429);
    expect(sa).toContain(500);
    expect(sa).toContain(200);
  } finally {
    await Promise.all([a.emu.close(), b.emu.close(), c.emu.close()]);
  }
});

test('faults never half-apply a mutation', async () => {
  const api = await startApi({ faults: { serverErrorRate: 1 } });
  try {
    const before = api.emu.state.projects.size;
    const r = await api.call('POST', '/organization/projects', { name: 'never' });
    expect(r.status).toBe(500);
    expect(r.json.error.type).toBe('server_error');
    expect(api.emu.state.projects.size).toBe(before);
    api.emu.setFaults({});
    expect((await api.call('POST', '/organization/projects', { name: 'now' })).status).toBe(201);
  } finally {
    await api.emu.close();
  }
});

test('latencyMs delays responses', async () => {
  // A lower bound with a wide margin: a slow machine only makes the wait longer; the margin covers node timers
  // counting from the event loop's cached time (which can be a few ms older than the Date.now below).
  const api = await startApi({ faults: { latencyMs: 200 } });
  try {
    const t = Date.now();
    await api.ok('GET', '/organization/projects');
    expect(Date.now() - t).toBeGreaterThanOrEqual(150);
  } finally {
    await api.emu.close();
  }
});

test('auth is checked before faults: a missing key is 401 even when every request would be 429', async () => {
  const api = await startApi({ faults: { rateLimitRate: 1 } });
  try {
    expect((await api.call('GET', '/organization/projects', undefined, null)).status).toBe(401);
  } finally {
    await api.emu.close();
  }
});
