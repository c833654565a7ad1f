/**
 * The workflow commands through the real bin: audit-logs tail resumed across restarts (and --follow),
 * report spend checked against the API's own numbers, keys stale, keys rotate, tour, and the emulator command.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ADMIN_KEY } from '../../src/testing/index.js';
import { ROOT } from '../support/paths';
import { stopProcess, track } from '../support/processes';
import { csvRecords } from '../support/csv';
import { cleanEnv, runBin, runBinInPty, useCliFixture } from './support';

// Child processes on a shared machine: a generous bound as a safety net; no assertion depends on time.
jest.setTimeout(120_000);

const KEY = 'sk-admin-CLI-workflows-0b1c2d3e';
const DAY = 86_400;
const fx = useCliFixture(KEY, { seed: 'cli-workflows' });

const env = () => cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url, XDG_STATE_HOME: fx.tmp });
const cli = (args: string[], input?: string) => runBin(fx.bundle.bin, args, { env: env(), input });
const ndjson = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; type: string });

describe('audit-logs tail', () => {
  // Start from an empty log (the seed may record its own history), so the expected events are exactly the test's.
  beforeEach(() => void fx.emu.state.auditLogs.splice(0));

  test('prints events oldest first and resumes from its state file across restarts: no duplicate, no gap', async () => {
    const state = join(fx.tmp, 'audit', 'state.json');
    let clock = 1_790_000_000;
    fx.emu.state.now = () => clock; // several events in one second, then later seconds
    const p = await fx.admin.projects.create({ name: 'Tailed' });
    await fx.admin.projects.serviceAccounts.create(p.id, { name: 'bot' });

    const first = await cli(['audit-logs', 'tail', '--state', state]);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(ndjson(first.stdout).map((e) => e.type)).toEqual([
      'project.created',
      'service_account.created',
      'api_key.created',
    ]);

    const idle = await cli(['audit-logs', 'tail', '--state', state]);
    expect(idle.stdout).toBe('');

    await fx.admin.projects.update(p.id, { name: 'Tailed 2' }); // the same second as the checkpoint
    clock += 7;
    await fx.admin.projects.archive(p.id);
    const second = await cli(['audit-logs', 'tail', '--state', state, '--since', '2020-01-01']); // --since is ignored once there is state
    expect(ndjson(second.stdout).map((e) => e.type)).toEqual(['project.updated', 'project.archived']);

    const all = [...ndjson(first.stdout), ...ndjson(second.stdout)].map((e) => e.id);
    expect(all).toEqual(fx.emu.state.auditLogs.map((e) => e.id));
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({
      version: 1,
      lastId: all.at(-1),
      lastEffectiveAt: clock,
    });
  });

  test('--since on a first run starts there; --max cuts a batch and the next run continues right after it', async () => {
    const state = join(fx.tmp, 'audit-max', 'state.json');
    let clock = 1_790_000_000;
    fx.emu.state.now = () => clock;
    await fx.admin.projects.create({ name: 'Old' });
    clock += 3600;
    for (const name of ['A', 'B', 'C']) await fx.admin.projects.create({ name });

    const since = await cli(['audit-logs', 'tail', '--since', String(1_790_000_000 + 60)]);
    expect(ndjson(since.stdout)).toHaveLength(3);

    const cut = await cli(['audit-logs', 'tail', '--state', state, '--max', '2']);
    const rest = await cli(['audit-logs', 'tail', '--state', state]);
    expect([...ndjson(cut.stdout), ...ndjson(rest.stdout)].map((e) => e.id)).toEqual(
      fx.emu.state.auditLogs.map((e) => e.id),
    );
    expect(ndjson(cut.stdout)).toHaveLength(2);
  });

  test('--follow prints new events as they happen and stops cleanly on SIGINT with its state saved', async () => {
    const state = join(fx.tmp, 'follow', 'state.json');
    await fx.admin.projects.create({ name: 'Before' });
    const child = track(
      spawn(
        process.execPath,
        [fx.bundle.bin, 'audit-logs', 'tail', '--follow', '--interval', '0.05', '--state', state],
        {
          cwd: ROOT,
          env: env(),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      ),
    );
    let out = '';
    const waitFor = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => ndjson(out).length >= n && (child.stdout!.off('data', onData), resolve());
        const onData = (c: Buffer) => ((out += c.toString()), check());
        child.stdout!.on('data', onData);
        child.once('exit', () => reject(new Error(`exited early: ${out}`)));
        check();
      });
    try {
      await waitFor(1);
      await fx.admin.projects.create({ name: 'After' });
      await waitFor(2);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      await stopProcess(child);
    }
    expect(ndjson(out).map((e) => (e as { project?: { name?: string } }).project?.name)).toEqual(['Before', 'After']);
    expect(JSON.parse(readFileSync(state, 'utf8')).lastId).toBe(fx.emu.state.auditLogs.at(-1)!.id);
  });
});

describe('report spend', () => {
  test('--json: per-project totals and days equal the API costs over the same range, names joined, usage added', async () => {
    const r = await cli(['report', 'spend', '--days', '10', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.endTime - report.startTime).toBe(10 * DAY);
    expect(report.dates).toHaveLength(10);
    expect(report.currency).toBe('USD');

    const expected = new Map<string, number>();
    for await (const c of fx.admin
      .costs({ start_time: report.startTime, end_time: report.endTime, group_by: ['project_id'] })
      .rows()) {
      expected.set(c.project_id ?? '', (expected.get(c.project_id ?? '') ?? 0) + Number(c.amount?.value ?? 0));
    }
    const projects = await fx.admin.projects.list({ include_archived: true }).toArray();
    const names = new Map(projects.map((p) => [p.id, p.name]));
    // Every active project is listed, zero spend included; and every project with costs.
    const active = projects.filter((p) => p.status !== 'archived').map((p) => p.id);
    expect(report.rows.map((row: { key: string }) => row.key).sort()).toEqual(
      [...new Set([...expected.keys(), ...active])].sort(),
    );
    for (const row of report.rows) {
      expect(row.cost).toBeCloseTo(expected.get(row.key) ?? 0, 5);
      expect(row.name).toBe(names.get(row.key));
      expect(row.daily.reduce((s: number, v: number) => s + v, 0)).toBeCloseTo(row.cost, 5);
      if (row.cost > 0) expect(row.requests).toBeGreaterThan(0);
    }
    expect(report.totals.cost).toBeCloseTo(
      [...expected.values()].reduce((a, b) => a + b, 0),
      5,
    );
    const costs = report.rows.map((row: { cost: number }) => row.cost);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
  });

  test('a terminal gets a header, a totals row and per-row sparklines; a pipe gets the same table without them; --csv parses', async () => {
    const [tty, piped, csv, byModel, json] = await Promise.all([
      runBinInPty(fx.bundle.bin, ['report', 'spend', '--days', '14'], env()),
      cli(['report', 'spend', '--days', '14']),
      cli(['report', 'spend', '--days', '14', '--csv']),
      cli(['report', 'spend', '--days', '7', '--by', 'model', '--json']),
      cli(['report', 'spend', '--days', '14', '--json']),
    ]);
    // eslint-disable-next-line no-control-regex -- the progress line's ANSI erase (ESC [2K)
    const progress = /\r?\x1b\[2K[^\n]*?(?=Spend)/g;
    const ttyLines = tty.stdout.replace(/\r\n/g, '\n').replace(progress, '').split('\n');
    expect(ttyLines.find((l) => l.startsWith('Spend by project'))).toMatch(
      /^Spend by project, \d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2} \(14 days, UTC\), USD; total [\d,]+\.\d\d USD$/,
    );
    const data = ttyLines.filter((l) => /^(Default project|Production|Research|TOTAL) /.test(l));
    expect(data).toHaveLength(4);
    for (const line of data) expect(line).toMatch(/ [▁▂▃▄▅▆▇█ ]{14}$/);
    expect(piped.stdout).not.toMatch(/[▁▂▃▄▅▆▇█]/);
    expect(piped.stdout).toMatch(/^TOTAL +[\d,]+\.\d\d +100\.0% /m);

    // Long format: one record per day, project and line item with a cost, ISO dates, amounts adding up.
    const records = csvRecords(csv.stdout);
    expect(Object.keys(records[0])).toEqual(['date', 'project_id', 'project_name', 'line_item', 'amount', 'currency']);
    expect(new Set(records.map((rec) => rec.date)).size).toBeLessThanOrEqual(14);
    for (const rec of records) {
      expect(rec.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(rec.currency).toBe('USD');
    }
    expect(new Set(records.map((rec) => rec.project_name))).toEqual(
      new Set(['Default project', 'Production', 'Research']),
    );
    // Each complete day's records add up to the report's day (today, partial, may have grown between the runs).
    const report = JSON.parse(json.stdout) as { dates: string[]; totals: { daily: number[] }; partialDay: string };
    report.dates.forEach((date, i) => {
      if (date === report.partialDay) return;
      const day = records.filter((rec) => rec.date === date).reduce((s, rec) => s + Number(rec.amount), 0);
      expect([date, day]).toEqual([date, expect.closeTo(report.totals.daily[i], 5)]);
    });

    const models = JSON.parse(byModel.stdout);
    expect(models.by).toBe('model');
    expect(models.rows.map((r: { key: string }) => r.key)).toEqual(
      expect.arrayContaining(['gpt-4o-2024-08-06', 'web search tool calls']),
    );
    expect(models.rows.some((r: { key: string }) => r.key.includes(','))).toBe(false);
    // Every model with completions usage is charged for it (o3 once showed usage at 0.00).
    const withTokens = models.rows.filter((r: { input_tokens: number }) => r.input_tokens > 0);
    expect(withTokens.map((r: { key: string }) => r.key)).toEqual(expect.arrayContaining(['o3-2025-04-16']));
    for (const r of withTokens) expect(r.cost).toBeGreaterThan(0);
  });

  test('--html writes a self-contained page whose SVG has one series per project with the daily values', async () => {
    const file = join(fx.tmp, 'report.html');
    const r = await cli(['report', 'spend', '--days', '10', '--html', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`wrote ${file}\n`);
    const report = JSON.parse(r.stdout);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // nothing to fetch, nothing to run
    const series = [...html.matchAll(/<g class="series" data-key="([^"]*)"[^>]*>(.*?)<\/g>/g)];
    expect(series.map((m) => m[1])).toEqual(report.rows.map((row: { key: string }) => row.key));
    series.forEach((m, i) => {
      const values = [...m[2].matchAll(/data-date="([^"]+)" data-value="([^"]+)"/g)].map((v) => [v[1], Number(v[2])]);
      const row = report.rows[i];
      expect(values).toEqual(
        report.dates.map((d: string, j: number) => [d, row.daily[j]]).filter(([, v]: [string, number]) => v > 0),
      );
    });
  });
});

describe('keys', () => {
  test('keys stale lists project and admin keys unused for N days or never used, with owner and project', async () => {
    const now = Math.floor(Date.now() / 1000);
    const project = [...fx.emu.state.projects.values()][0];
    const keys = [...fx.emu.state.projectKeys.values()].filter((k) => k.projectId === project.id);
    keys[0].last_used_at = now - 2 * DAY; // in use
    keys[1].last_used_at = now - 100 * DAY; // stale
    const adminKey = [...fx.emu.state.adminKeys.values()][0];
    adminKey.last_used_at = now - 45 * DAY; // stale too
    const r = await cli(['keys', 'stale', '--days', '30', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const byId = new Map(rows.map((k) => [k.key_id, k]));
    expect(byId.has(keys[0].id)).toBe(false);
    expect(byId.get(keys[1].id)).toMatchObject({
      kind: 'project',
      project: project.name,
      project_id: project.id,
      verdict: 'unused',
      idle_days: 100,
    });
    expect(byId.get(adminKey.id)).toMatchObject({ kind: 'admin', project: '', verdict: 'unused', idle_days: 45 });
    for (const k of rows) expect(k.owner).toMatch(/^(user|service account|service_account) /);

    const csv = csvRecords((await cli(['keys', 'stale', '--days', '30', '--csv'])).stdout);
    expect(csv.map((k) => k.key_id)).toEqual(rows.map((k) => k.key_id));
  });

  test('keys rotate replaces the service account key (printed once), refuses without --yes off a terminal, and --dry-run changes nothing', async () => {
    const project = [...fx.emu.state.projects.values()][0];
    const account = [...fx.emu.state.serviceAccounts.values()].find((s) => s.projectId === project.id)!;
    const ownKeys = () =>
      [...fx.emu.state.projectKeys.values()]
        .filter((k) => k.projectId === project.id && k.owner.type === 'service_account' && k.owner.id === account.id)
        .map((k) => k.id);
    const old = ownKeys();
    expect(old).toHaveLength(1);

    const before = fx.emu.requests.filter((q) => q.method !== 'GET').length;
    const [refused, dry] = await Promise.all([
      cli(['keys', 'rotate', project.id, account.name]),
      cli(['keys', 'rotate', project.id, account.name, '--dry-run']),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('without --yes');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^then_delete +${old[0]}$`, 'm'));
    expect(fx.emu.requests.filter((q) => q.method !== 'GET').length).toBe(before);

    const r = await cli(['keys', 'rotate', project.id, account.name, '--yes', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(ownKeys()).toEqual([out.key_id]);
    expect(r.stderr).toContain(`Deleted old key ${old[0]}\n`);
    expect(out.key).toMatch(/^sk-svcacct-/);
    expect(r.stdout.split(out.key)).toHaveLength(2); // the value appears exactly once

    const unknown = await cli(['keys', 'rotate', project.id, 'no-such-bot', '--yes']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`no service account named 'no-such-bot' in ${project.id}`);
  });
});

describe('tour and emulator', () => {
  test('tour runs the whole session against its own emulator with no key', async () => {
    const r = await runBin(fx.bundle.bin, ['tour'], { env: cleanEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created project proj_\w+ \(Tour: data science\)/);
    expect(r.stdout).toMatch(/Archived proj_\w+: status archived/);
    expect(r.stdout).toContain('Organization users (5000, paged 100 at a time)');
    expect(r.stdout).toContain('Last 30 days by project');
  });

  // Both used to allocate until V8 ran out of memory; the heap cap makes that quick, the fix makes it a usage error.
  test.each([
    ['--users', '100000000', 'from 0 to 100000'],
    ['--projects', '10000000', 'from 0 to 1000'],
  ])('emulator %s %s is a usage error naming the flag and its range, exit 2', async (flag, value, range) => {
    const r = await runBin(fx.bundle.bin, ['emulator', flag, value], {
      env: cleanEnv({ NODE_OPTIONS: '--max-old-space-size=256' }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${flag} must be ${range}, got ${value}`);
    expect(r.stdout).toBe('');
  });

  test('emulator serves until interrupted, printing a URL and key that work', async () => {
    const child = track(
      spawn(process.execPath, [fx.bundle.bin, 'emulator', '--seed', '3'], {
        cwd: ROOT,
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let out = '';
    let err = '';
    child.stderr!.on('data', (c) => (err += c));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (c) => ((out += c), /OPENAI_ADMIN_KEY=\S+\n/.test(out) && resolve()));
        child.once('exit', () => reject(new Error(`exited early: ${out} ${err}`)));
      });
      const url = /export OPENAI_BASE_URL=(\S+)/.exec(out)![1];
      const key = /export OPENAI_ADMIN_KEY=(\S+)/.exec(out)![1];
      expect(key).toBe(DEMO_ADMIN_KEY);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const res = await fetch(`${url}/organization/projects`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(3);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(err).toContain('Stopped after 1 request(s).');
    } finally {
      await stopProcess(child);
    }
  });
});

test('no stray files: the report went only where --html said', () => {
  expect(existsSync(join(ROOT, 'report.html'))).toBe(false);
});
