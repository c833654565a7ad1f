/**
 * The work of `export`, `plan` and `apply` (definitions in org-commands.ts), over the `openai-admin/org` library.
 * Loaded only when one of them runs: it brings the YAML parser with it.
 */
import { closeSync, constants, fsyncSync, lstatSync, openSync, writeSync } from 'node:fs';
import {
  applyPlan,
  exportOrg,
  ORG_FILE_LIMIT,
  ORG_SECTIONS,
  OrgFileError,
  OrgPlanError,
  parseOrgFile,
  planJson,
  planOrg,
  readOrg,
  renderPlan,
  savedSubset,
  sectionsOf,
  staleEntries,
  stringifyOrgFile,
  checkReferences,
  validateAgainstSchema,
  type CreatedKey,
  type OrgFile,
  type OrgPlan,
  type OrgSection,
} from '../../org/index.js';
import type { Context } from '../context.js';
import { formatError, PartialFailure, UsageError } from '../errors.js';
import { writeConfirmed } from '../io.js';
import { closestName } from '../../core/base/suggest.js';
import { readUserFile } from '../user-file.js';

/** plan --check found differences: exit 3, which CI reads as drift (1 and 2 keep their meanings). */
class Drift extends PartialFailure {
  override name = 'Drift';
}

function sectionsFrom(value: unknown): OrgSection[] | undefined {
  if (typeof value !== 'string') return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!names.length) throw new UsageError('--only needs at least one section', `sections: ${ORG_SECTIONS.join(', ')}`);
  for (const n of names)
    if (!(ORG_SECTIONS as readonly string[]).includes(n)) {
      const guess = closestName(n, ORG_SECTIONS);
      throw new UsageError(
        `--only: unknown section '${n}'`,
        guess ? `did you mean ${guess}?` : `sections: ${ORG_SECTIONS.join(', ')}`,
      );
    }
  return names as OrgSection[];
}

export async function runExport(ctx: Context, values: Record<string, unknown>): Promise<void> {
  const only = sectionsFrom(values.only);
  const admin = await ctx.client();
  const file = await exportOrg(admin, {
    ...(only ? { only } : {}),
    onProgress: (n, total) => ctx.progress(`${n}/${total} projects read…`),
  });
  ctx.clearProgress();
  const text = ctx.output.format === 'json' ? `${JSON.stringify(file, null, 2)}\n` : await stringifyOrgFile(file);
  // -o FILE is the global flag: stdout then goes to a temporary file renamed over FILE once the command succeeds
  // (written whole or not at all: a kill mid-write leaves the previous file, never half of one).
  await writeConfirmed(ctx.io.stdout, text);
  const out = ctx.globals.output;
  if (typeof out === 'string') ctx.io.stderr.write(`wrote ${out}: ${summaryOf(file)}\n`);
}

function summaryOf(file: OrgFile): string {
  const n = (k: keyof OrgFile) =>
    Array.isArray(file[k]) ? `${(file[k] as unknown[]).length} ${String(k).replaceAll('_', ' ')}` : [];
  return [n('users'), n('invites'), n('groups'), n('projects'), n('admin_api_keys')].flat().join(', ');
}

/** The org file named by --file, read bounded (user-file.ts) and checked: problems are usage errors (exit 2). */
function readDesired(ctx: Context, values: Record<string, unknown>): { desired: OrgFile; name: string } {
  const name = values.file;
  if (typeof name !== 'string') throw new UsageError('--file is required', 'openai-admin plan -f org.yaml');
  const { bytes } = readUserFile(name, { flag: '--file', limit: ORG_FILE_LIMIT });
  try {
    return { desired: parseOrgFile(bytes.toString('utf8'), name), name };
  } catch (err) {
    if (err instanceof OrgFileError) throw listed(ctx, err.message, UsageError);
    throw err;
  }
}

/**
 * An error whose message is a headline and one problem per line: the problems go to stderr as lines (the error
 * line itself is one line), the headline becomes the error.
 */
function listed<E extends Error>(ctx: Context, message: string, make: new (m: string) => E): E {
  const [headline, ...lines] = message.split('\n');
  if (lines.length) ctx.io.stderr.write(`${lines.join('\n')}\n`);
  return new make(headline);
}

async function planFor(ctx: Context, desired: OrgFile, prune: boolean): Promise<OrgPlan> {
  const admin = await ctx.client();
  const live = await readOrg(admin, {
    only: sectionsOf(desired),
    onProgress: (n, total) => ctx.progress(`${n}/${total} projects read…`),
  });
  ctx.clearProgress();
  try {
    return planOrg(desired, live, { prune });
  } catch (err) {
    if (err instanceof OrgPlanError) throw listed(ctx, err.message, UsageError);
    throw err;
  }
}

export async function runPlan(ctx: Context, values: Record<string, unknown>): Promise<void> {
  const { desired } = readDesired(ctx, values);
  const plan = await planFor(ctx, desired, values.prune === true);
  await writeConfirmed(ctx.io.stdout, ctx.output.format === 'json' ? planJson(plan) : renderPlan(plan));
  if (values.check && plan.changes.length)
    throw new Drift(`the organisation differs from the file: ${plan.changes.length} change(s) to make`);
}

/** A saved plan (plan --json): its shape checked and its file validated again, since it may have been edited. */
function readSavedPlan(ctx: Context, path: string): OrgPlan {
  const { bytes } = readUserFile(path, { flag: '--plan', limit: ORG_FILE_LIMIT });
  let saved: OrgPlan;
  try {
    saved = JSON.parse(bytes.toString('utf8')) as OrgPlan;
  } catch (err) {
    throw new UsageError(`--plan ${path}: not JSON (${(err as Error).message})`);
  }
  if (
    !saved ||
    typeof saved !== 'object' ||
    saved.version !== 1 ||
    !Array.isArray(saved.changes) ||
    typeof saved.prune !== 'boolean'
  )
    throw new UsageError(
      `--plan ${path}: not a saved plan (make one with: openai-admin plan -f org.yaml --json > ${path})`,
    );
  const issues = validateAgainstSchema(saved.desired);
  if (!issues.length) issues.push(...checkReferences(saved.desired));
  if (issues.length) throw listed(ctx, new OrgFileError(`${path} (desired)`, issues).message, UsageError);
  return saved;
}

export async function runApply(ctx: Context, values: Record<string, unknown>): Promise<void> {
  if ((values.file === undefined) === (values.plan === undefined))
    throw new UsageError('give either --file (plan and apply it) or --plan (apply a saved plan)');
  const keysOut = typeof values['keys-out'] === 'string' ? values['keys-out'] : undefined;
  if (keysOut !== undefined && keysOut !== '-') refuseExisting(keysOut);
  let plan: OrgPlan;
  if (typeof values.plan === 'string') {
    if (values.prune)
      throw new UsageError('--prune belongs to the saved plan (plan --prune --json), not to apply --plan');
    const saved = readSavedPlan(ctx, values.plan);
    const fresh = await planFor(ctx, saved.desired, saved.prune);
    const stale = staleEntries(saved, fresh);
    if (stale.length)
      throw listed(
        ctx,
        `the organisation changed since the plan was made, for ${stale.length} of its entries; nothing was applied (plan again)\n  ${stale.slice(0, 50).join('\n  ')}`,
        Error,
      );
    plan = savedSubset(saved, fresh);
  } else plan = await planFor(ctx, readDesired(ctx, values).desired, values.prune === true);

  const out = ctx.output.format === 'json' ? ctx.io.stderr : ctx.io.stdout;
  await writeConfirmed(out, renderPlan(plan));
  if (!plan.changes.length) return;
  if (!keysOut && plan.changes.some((c) => c.type === 'service_account' && c.action === 'create'))
    throw new UsageError(
      'the plan creates service accounts, and each comes with an API key shown only once',
      'pass --keys-out FILE (a new file, mode 0600) or --keys-out - for stdout',
    );
  const destructive = plan.changes.filter((c) => c.destructive);
  if (destructive.length)
    ctx.io.stderr.write(
      `Destructive changes:\n${destructive.map((c) => `  - ${c.key}: ${c.meaning ?? c.action}\n`).join('')}`,
    );
  await ctx.confirm(
    `apply ${plan.changes.length} change(s)${destructive.length ? `, ${destructive.length} of them destructive` : ''}`,
  );

  const keys = keysOut === undefined ? undefined : new KeySink(keysOut, ctx);
  const admin = await ctx.client();
  let settled = 0;
  const result = await applyPlan(admin, plan, {
    ...(keys ? { onKey: (k: CreatedKey) => keys.write(k) } : {}),
    onChange: (c, outcome, error) => {
      ctx.progress(`${++settled}/${plan.changes.length} changes…`);
      if (outcome === 'failed') ctx.io.stderr.write(`failed: ${c.key}: ${formatError(error)}\n`);
      else ctx.debug(`done: ${c.key}`);
    },
  }).finally(() => keys?.close());
  ctx.clearProgress();
  if (ctx.output.format === 'json')
    await writeConfirmed(
      ctx.io.stdout,
      `${JSON.stringify({ applied: result.done.length, failed: result.failed.map((f) => ({ key: f.change.key, error: formatError(f.error) })) }, null, 2)}\n`,
    );
  ctx.io.stderr.write(`Applied ${result.done.length} of ${plan.changes.length} change(s).\n`);
  if (result.failed.length) {
    const message = `${result.failed.length} change(s) failed; run apply again to retry them (it plans from the organisation as it is now)`;
    throw result.done.length ? new PartialFailure(message) : new Error(message);
  }
}

/** `--keys-out FILE` must name a new file: an existing file (or a symlink, even a dangling one) is never written over. */
function refuseExisting(path: string): void {
  try {
    lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UsageError(`--keys-out ${path}: cannot use it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  throw new UsageError(
    `--keys-out ${path} already exists`,
    'name a new file: keys are never written over another file',
  );
}

/** Where created keys go: a file made on the first key (exclusive, 0600), each line synced before apply goes on. */
class KeySink {
  #fd: number | undefined;
  constructor(
    readonly path: string,
    readonly ctx: Context,
  ) {}

  async write(k: CreatedKey): Promise<void> {
    const line = `${JSON.stringify({ project: k.project, service_account: k.service_account, service_account_id: k.service_account_id, key_id: k.key_id, key: k.value })}\n`;
    if (this.path === '-') return writeConfirmed(this.ctx.io.stdout, line);
    this.#fd ??= openSync(
      this.path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      0o600,
    );
    writeSync(this.#fd, line);
    fsyncSync(this.#fd);
    this.ctx.io.stderr.write(`key of service account "${k.service_account}" (${k.project}) written to ${this.path}\n`);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
  }
}
