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
 * How and why it works (newest-first listing, opaque ids, same-second events): src/cli/workflows/audit-log-state.ts.
 * As a command: openai-admin audit-logs tail --state ./audit-state.json >> audit.jsonl
 */
import { appendFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AuditLog, OpenAIAdmin } from '../src/index.js';
import {
  pollAuditLog,
  readCheckpoint,
  writeCheckpoint,
  type AuditCheckpoint,
} from '../src/cli/workflows/audit-log-state.js';
import { exitOnError, flag, isMain, numberFlag, runCli } from './lib/cli.js';
import { printTable } from './lib/print.js';

// The incremental reading and the checkpoint are the CLI's (`openai-admin audit-logs tail --state <file>`,
// src/cli/workflows/audit-log-state.ts); this example appends to a JSON Lines file instead of stdout.

export type SyncState = AuditCheckpoint;

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

export const readState = readCheckpoint;

export async function main(admin: OpenAIAdmin, options: SyncOptions = {}): Promise<SyncResult> {
  const statePath = options.statePath ?? join(DEFAULT_DIR, 'state.json');
  const outPath = options.outPath ?? join(dirname(statePath), 'events.jsonl');
  await mkdir(dirname(outPath), { recursive: true });
  const previous = await readCheckpoint(statePath);
  const { events, checkpoint } = await pollAuditLog(admin, previous, options.since);
  if (events.length === 0) return { events: [], state: previous, statePath, outPath };
  // Events first, then the checkpoint: a crash between the two repeats at most this batch, never loses one.
  await appendFile(outPath, events.map((e) => JSON.stringify(e) + '\n').join(''));
  await writeCheckpoint(statePath, checkpoint!);
  return { events, state: checkpoint, statePath, outPath };
}

if (isMain('audit-log-sync')) {
  runCli({ mutating: false }, async ({ admin, live, args }) => {
    // The emulator starts empty every time, so its demo keeps separate files and starts them afresh.
    const demoDir = join(DEFAULT_DIR, 'emulator-demo');
    if (!live && !flag(args, '--state')) await rm(demoDir, { recursive: true, force: true });
    const statePath = flag(args, '--state') ?? (live ? join(DEFAULT_DIR, 'state.json') : join(demoDir, 'state.json'));
    const sinceDays = flag(args, '--since-days') === undefined ? undefined : numberFlag(args, '--since-days', 0);
    const options = {
      statePath,
      outPath: flag(args, '--out'),
      since: sinceDays === undefined ? undefined : Math.floor(Date.now() / 1000) - sinceDays * 86_400,
    };
    const show = (title: string, r: SyncResult) =>
      printTable(
        `${title}: ${r.events.length} new event(s) → ${r.outPath}`,
        r.events.map((e) => ({
          effective_at: new Date(e.effective_at * 1000).toISOString(),
          type: e.type,
          id: e.id,
          project: e.project?.name ?? '',
        })),
      );

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
