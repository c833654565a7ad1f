/**
 * Incremental audit-log sync: append new events to a JSON Lines file, resuming where the last run stopped.
 *
 *   npx tsx examples/audit-log-sync.ts [--state path/state.json] [--out path/events.jsonl]   # local emulator
 *   (first run only: --since-days N to skip older history)
 *   OPENAI_ADMIN_KEY=sk-admin-… npx tsx examples/audit-log-sync.ts --live --state ./audit-state.json --out ./audit.jsonl
 *
 * Read-only against the API (it writes only the two local files). By default both live in
 * `<os tmpdir>/openai-admin-audit-sync/`. Run it from cron: each run appends only events it has not written before.
 *
 * How the audit log is ordered, and why the sync works this way:
 * - `GET /organization/audit_logs` lists events NEWEST FIRST (descending `effective_at`); the `after` cursor pages
 *   towards OLDER events. There is no `order` parameter.
 * - Event ids (`audit_log-…`) are opaque, not sortable: you can find an id in the list but not compare two ids.
 * So a run walks from the newest event down until it meets the last id written by the previous run, then writes
 * what it collected in reverse, oldest first. The state file keeps that id, its `effective_at` (sent as
 * `effective_at[gte]` so a run never pages through the whole history, even if the anchor event has aged out of
 * retention) and the ids of all events in that same second (several events can share a second; they are skipped
 * if met again). The state is written after the events, atomically (write + rename): a crash between the two
 * repeats at most the last batch, never loses one.
 * Limitation: an event that appears later with an `effective_at` older than the anchor is not picked up.
 */
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AuditLog, OpenAIAdmin } from '../src/index.js';
import { exitOnError, flag, isMain, numberFlag, runCli } from './lib/cli.js';
import { printTable } from './lib/print.js';

export interface SyncState {
  version: 1;
  /** The newest event written so far. */
  lastId: string;
  lastEffectiveAt: number;
  /** Every written event id whose effective_at equals lastEffectiveAt. */
  idsAtLastSecond: string[];
}

export interface SyncOptions {
  /** State file (default `<tmpdir>/openai-admin-audit-sync/state.json`). */
  statePath?: string;
  /** JSON Lines output, appended to (default next to the state file, `events.jsonl`). */
  outPath?: string;
  /** First run only: start from events at or after this Unix time (default: everything the API returns). */
  since?: number;
}

export interface SyncResult {
  /** The events this run appended, oldest first. */
  events: AuditLog[];
  state: SyncState | null;
  statePath: string;
  outPath: string;
}

export const DEFAULT_DIR = join(tmpdir(), 'openai-admin-audit-sync');

export async function readState(path: string): Promise<SyncState | null> {
  try {
    const state = JSON.parse(await readFile(path, 'utf8')) as SyncState;
    if (state.version !== 1 || typeof state.lastId !== 'string') throw new Error(`unrecognised state file ${path}`);
    return state;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function writeState(path: string, state: SyncState): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n');
  await rename(tmp, path);
}

export async function main(admin: OpenAIAdmin, options: SyncOptions = {}): Promise<SyncResult> {
  const statePath = options.statePath ?? join(DEFAULT_DIR, 'state.json');
  const outPath = options.outPath ?? join(dirname(statePath), 'events.jsonl');
  await mkdir(dirname(statePath), { recursive: true });
  await mkdir(dirname(outPath), { recursive: true });

  const previous = await readState(statePath);
  const from = previous ? previous.lastEffectiveAt : options.since;
  const boundary = new Set(previous?.idsAtLastSecond ?? []);

  // Newest first: collect until the previous run's newest event.
  const fresh: AuditLog[] = [];
  for await (const event of admin.auditLogs.list({ limit: 100, ...(from !== undefined ? { effective_at: { gte: from } } : {}) })) {
    if (previous && event.id === previous.lastId) break;
    if (previous && event.effective_at === previous.lastEffectiveAt && boundary.has(event.id)) continue;
    fresh.push(event);
  }
  fresh.reverse(); // oldest first, the order a log consumer expects

  if (fresh.length === 0) return { events: [], state: previous, statePath, outPath };

  await appendFile(outPath, fresh.map((e) => JSON.stringify(e) + '\n').join(''));

  const newest = fresh[fresh.length - 1]!;
  const sameSecond = fresh.filter((e) => e.effective_at === newest.effective_at).map((e) => e.id);
  const carried = previous && previous.lastEffectiveAt === newest.effective_at ? previous.idsAtLastSecond : [];
  const state: SyncState = {
    version: 1,
    lastId: newest.id,
    lastEffectiveAt: newest.effective_at,
    idsAtLastSecond: [...new Set([...carried, ...sameSecond])],
  };
  await writeState(statePath, state);
  return { events: fresh, state, statePath, outPath };
}

if (isMain('audit-log-sync')) {
  runCli({ mutating: false }, async ({ admin, live, args }) => {
    // The emulator starts empty every time, so its demo keeps separate files and starts them afresh.
    const demoDir = join(DEFAULT_DIR, 'emulator-demo');
    if (!live && !flag(args, '--state')) await rm(demoDir, { recursive: true, force: true });
    const statePath = flag(args, '--state') ?? (live ? join(DEFAULT_DIR, 'state.json') : join(demoDir, 'state.json'));
    const sinceDays = flag(args, '--since-days') === undefined ? undefined : numberFlag(args, '--since-days', 0);
    const options = { statePath, outPath: flag(args, '--out'), since: sinceDays === undefined ? undefined : Math.floor(Date.now() / 1000) - sinceDays * 86_400 };
    const show = (title: string, r: SyncResult) =>
      printTable(`${title}: ${r.events.length} new event(s) → ${r.outPath}`, r.events.map((e) => ({ effective_at: new Date(e.effective_at * 1000).toISOString(), type: e.type, id: e.id, project: e.project?.name ?? '' })));

    if (live) return show('Sync', await main(admin, options));

    // Demo: make some changes (each one is an audit event), sync, sync again (nothing new), change more, sync.
    const project = await admin.projects.create({ name: 'Audit demo' });
    await admin.projects.serviceAccounts.create(project.id, { name: 'exporter' });
    show('First run', await main(admin, options));
    show('Second run, nothing happened since', await main(admin, options));
    await admin.projects.update(project.id, { name: 'Audit demo (renamed)' });
    await admin.projects.archive(project.id);
    show('Third run, after two more changes', await main(admin, options));
    console.log(`\nState kept in ${statePath}`);
  }).catch(exitOnError);
}
