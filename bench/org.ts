/**
 * `npx tsx bench/org.ts [--projects N]` (default 2,000, the default per-organisation cap): export and apply of a
 * large organisation under the emulator's realistic limits (`realism: 'api'`: 10 requests per 60 s per route, 429s
 * with the wait only in the message, 200/201 flips, read-after-write 404s). Time is the emulator's clock, moved by
 * the client's injected sleep (sim-clock.ts: concurrent sleeps overlap, as real ones do), so the figures are
 * simulated seconds, independent of the machine: what a real run would wait. Reports, per phase, the requests used against the minimum (each distinct request once: 429s and
 * read-after-write retries are the difference) and the simulated time against the floor the per-route limit sets
 * (the busiest route's requests, 10 per window; apply runs in phases, so its true floor is the sum of each phase's
 * busiest route: about twice this one here, projects created in one phase and filled in the next).
 * Writes bench/results/org-latest.json.
 * The client is given maxRateLimitWait: 1 h: with 2,000 projects queued per route, a call's place in the queue is
 * further away than the default allows, and the bench measures pacing, not that refusal.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAIAdmin } from '../src/index.js';
import { applyPlan, exportOrg, planOrg, readOrg, sectionsOf, type OrgFile } from '../src/org/index.js';
import { DEMO_ADMIN_KEY, startEmulator } from '../src/testing/index.js';
import { simClock } from './sim-clock.js';

const arg = process.argv.indexOf('--projects');
const PROJECTS = arg >= 0 ? Number(process.argv[arg + 1]) : 2_000;
const LIMIT = { requests: 10, windowMs: 60_000 };
// Concurrent sleeps overlap (sim-clock.ts); the clock they used to share added them up.
const sim = simClock(Date.UTC(2026, 0, 1));
const clock = sim.now;
const sleep = sim.sleep;

/** A route: method and path with ids replaced, as the emulator's rate limit counts them. */
const route = (r: { method: string; url: string }) =>
  `${r.method} ${r.url.split('?')[0].replace(/\/(proj|user|group|svc_acct|invite|key|rl)[-_][^/]*/g, '/{id}')}`;

/** Every request the client sends (the emulator's own log keeps only its last 10,000). */
const sent: Array<{ method: string; url: string }> = [];
const countingFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  sent.push({
    method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
    url: url.pathname + url.search,
  });
  return trackedFetch(input, init);
};
const trackedFetch = sim.track(fetch);

function measure(from: number, startedAt: number) {
  const log = sent.slice(from);
  const distinct = new Set(log.map((r) => `${r.method} ${r.url}`)).size;
  const perRoute = new Map<string, number>();
  for (const r of new Set(log.map((r) => `${r.method} ${r.url}`)))
    perRoute.set(
      route({ method: r.split(' ')[0], url: r.split(' ')[1] }),
      (perRoute.get(route({ method: r.split(' ')[0], url: r.split(' ')[1] })) ?? 0) + 1,
    );
  const busiest = Math.max(0, ...perRoute.values());
  const floorS = (Math.max(0, Math.ceil(busiest / LIMIT.requests) - 1) * LIMIT.windowMs) / 1000;
  return {
    requests: log.length,
    minimum: distinct,
    simulatedS: (clock() - startedAt) / 1000,
    floorS,
    busiestRoute: [...perRoute].find(([, n]) => n === busiest)?.[0] ?? null,
  };
}

async function main() {
  // Half the projects exist in both organisations (seeded, at most the emulator's cap of 1,000); the file asks for
  // the rest to be created, each with a member and a changed rate limit.
  const seeded = Math.min(Math.floor(PROJECTS / 2), 1_000);
  const source = await startEmulator({ seed: 'bench-source', users: 60, projects: seeded, rateLimit: false });
  const file: OrgFile = await exportOrg(new OpenAIAdmin({ apiKey: DEMO_ADMIN_KEY, baseURL: source.url }), {
    only: ['users', 'projects'],
  });
  for (let i = seeded; i < PROJECTS; i++)
    file.projects!.push({
      name: `Bench ${i}`,
      users: [{ email: file.users![i % 10].email, role: 'owner' }],
      service_accounts: [],
      rate_limits: [{ model: 'gpt-4o', max_requests_per_1_minute: 5_000 }],
    });
  await source.close();

  const target = await startEmulator({
    seed: 'bench-target',
    users: 60,
    projects: seeded,
    realism: 'api',
    rateLimit: LIMIT,
    now: clock,
  });
  const admin = new OpenAIAdmin({
    apiKey: DEMO_ADMIN_KEY,
    baseURL: target.url,
    sleep,
    now: clock,
    maxRetries: 10,
    fetch: countingFetch,
    maxRateLimitWait: 3_600_000,
  });
  const results: Record<string, unknown> = { projects: PROJECTS, rateLimit: LIMIT };

  let mark = sent.length;
  let t = clock();
  const wall0 = performance.now();
  const plan = planOrg(file, await readOrg(admin, { only: sectionsOf(file) }), { prune: false });
  results.plan = {
    ...measure(mark, t),
    changes: plan.changes.length,
    wallS: (performance.now() - wall0) / 1000,
  };

  mark = sent.length;
  t = clock();
  const wall1 = performance.now();
  const applied = await applyPlan(admin, plan, { onKey: () => undefined, concurrency: 8 });
  const reasons = new Map<string, number>();
  for (const f of applied.failed) {
    const reason = String(f.error)
      .replace(/(proj|user|group|svc_acct)_[A-Za-z0-9]+/g, '…')
      .slice(0, 160);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  results.apply = {
    failures: Object.fromEntries(reasons),
    ...measure(mark, t),
    done: applied.done.length,
    failed: applied.failed.length,
    wallS: (performance.now() - wall1) / 1000,
  };

  mark = sent.length;
  t = clock();
  const wall2 = performance.now();
  const exported = await exportOrg(admin);
  results.export = {
    ...measure(mark, t),
    projects: exported.projects!.length,
    wallS: (performance.now() - wall2) / 1000,
  };
  await target.close();

  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'org-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
