/**
 * `openai-admin tour` (`npm start`): a realistic admin session against a local emulator — no key, no network.
 * With --live (and a key), only the read-only part runs, against the configured API.
 */
import type { OpenAIAdmin } from '../../client.js';
import type { Command } from '../command.js';
import type { Context } from '../context.js';
import { renderTable } from '../output/table.js';

import { lastDays } from './last-days.js';

/** The key as a careful script would log it. */
export const redactSecret = (secret: string | null | undefined): string =>
  secret ? `${secret.slice(0, 10)}…${secret.slice(-4)}` : '(none)';

type Say = (text: string) => void;
const table = (say: Say, title: string, rows: Record<string, unknown>[]) =>
  say(
    `\n${title}\n${rows.length ? renderTable(Object.keys(rows[0]), rows).replace(/^/gm, '  ').trimEnd() : '  (none)'}`,
  );

export async function tourProvision(admin: OpenAIAdmin, say: Say): Promise<void> {
  const project = await admin.projects.create({ name: 'Tour: data science' });
  say(`\nCreated project ${project.id} (${project.name})`);

  const [someone] = (await admin.users.list({ limit: 1 })).data;
  const member = await admin.projects.users.create(project.id, { user_id: someone.id, role: 'member' });
  say(`Added ${member.email ?? member.id} as ${member.role}`);

  const account = await admin.projects.serviceAccounts.create(project.id, { name: 'ci-bot' });
  if (!account.api_key) throw new Error('the service account was created without a key');
  // The key value is returned once, on create: print it redacted, as a script that stores it in a vault would.
  say(`Service account ${account.id}, key ${redactSecret(account.api_key.value)} (shown once)`);

  const keys = await admin.projects.apiKeys.list(project.id).toArray({ max: 1_000 });
  table(
    say,
    'Project API keys',
    keys.map((k) => ({ id: k.id, name: k.name, redacted: k.redacted_value, owner: k.owner?.type ?? '' })),
  );

  const limits = await admin.projects.rateLimits.list(project.id).toArray({ max: 1_000 });
  const limit = limits[0];
  const updated = await admin.projects.rateLimits.update(project.id, limit.id, {
    max_requests_per_1_minute: Math.max(1, Math.floor(limit.max_requests_per_1_minute / 2)),
  });
  table(say, 'Rate limit, before and after', [
    { when: 'before', model: limit.model, rpm: limit.max_requests_per_1_minute },
    { when: 'after', model: updated.model, rpm: updated.max_requests_per_1_minute },
  ]);

  const archived = await admin.projects.archive(project.id);
  say(`Archived ${archived.id}: status ${archived.status}`);
}

export async function tourReadOnly(
  admin: OpenAIAdmin,
  say: Say,
  progress: (m: string) => void = () => {},
  now: () => number = () => Math.floor(Date.now() / 1000),
): Promise<void> {
  let users = 0;
  const roles = new Map<string, number>();
  for await (const user of admin.users.list({ limit: 100 })) {
    users++;
    roles.set(String(user.role), (roles.get(String(user.role)) ?? 0) + 1);
    if (users % 1_000 === 0) progress(`paged through ${users} users`);
  }
  progress('');
  table(
    say,
    `Organization users (${users}, paged 100 at a time)`,
    [...roles].map(([role, count]) => ({ role, count })),
  );

  const projectNames = new Map<string, string>();
  for await (const p of admin.projects.list({ include_archived: true, limit: 100 }))
    projectNames.set(p.id, p.name ?? p.id);

  // "Last 30 days" as every report means it (last-days.ts): 30 whole UTC days, today included.
  const { start: start_time, end: end_time } = lastDays(30, now());
  const tokens = new Map<string, { input: number; output: number; requests: number }>();
  for await (const row of admin.usage
    .completions({ start_time, end_time, bucket_width: '1d', group_by: ['project_id'] })
    .rows()) {
    const key = row.project_id ?? '(none)';
    const t = tokens.get(key) ?? { input: 0, output: 0, requests: 0 };
    t.input += row.input_tokens;
    t.output += row.output_tokens;
    t.requests += row.num_model_requests;
    tokens.set(key, t);
  }
  const spend = new Map<string, number>();
  for await (const row of admin.costs({ start_time, end_time, group_by: ['project_id'] }).rows()) {
    const key = row.project_id ?? '(none)';
    spend.set(key, (spend.get(key) ?? 0) + Number(row.amount?.value ?? 0));
  }
  const ids = new Set([...tokens.keys(), ...spend.keys()]);
  table(
    say,
    'Last 30 days by project (usage and costs, names joined in)',
    [...ids].map((id) => ({
      project: projectNames.get(id) ?? id,
      requests: tokens.get(id)?.requests ?? 0,
      input_tokens: tokens.get(id)?.input ?? 0,
      output_tokens: tokens.get(id)?.output ?? 0,
      usd: (spend.get(id) ?? 0).toFixed(2),
    })),
  );
}

export const tour: Command = {
  words: ['tour'],
  summary: 'A guided admin session against a local emulator (what `npm start` shows): provision, page, report.',
  description:
    'Creates a project, adds a member and a service account, halves a rate limit, archives the project, then pages through 5,000 users and joins usage with costs. With --live, only the read-only part runs, against the configured API.',
  positionals: [],
  options: {
    live: { type: 'boolean', description: 'Run the read-only part against the real API ($OPENAI_ADMIN_KEY).' },
  },
  examples: ['openai-admin tour', 'openai-admin tour --live --api-key-file admin.key'],
  async run(ctx: Context, values) {
    const say: Say = (text) => void ctx.io.stdout.write(`${text}\n`);
    const live = values.live === true;
    const admin = await ctx.client(live ? {} : { emulator: { seed: 42, users: 5_000 } });
    say(
      live
        ? `Live run against ${admin.baseURL} (read-only).`
        : `Emulator at ${admin.baseURL} (pass --live to use the real API)`,
    );
    if (!live) await tourProvision(admin, say);
    await tourReadOnly(admin, say, (m) => (m ? ctx.progress(`  … ${m}`) : ctx.clearProgress()));
  },
};
