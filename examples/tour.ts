/**
 * The tour (`npm start`): a realistic admin session against the local emulator — no key, no network.
 * With OPENAI_ADMIN_KEY set and `--live`, it runs only the read-only parts against the real API.
 */
import type { OpenAIAdmin } from '../src/index.js';
import { exitOnError, runCli } from './lib/cli.js';
import { printTable, progress, redact } from './lib/print.js';

const DAY = 86_400;

// Live (--live with OPENAI_ADMIN_KEY), only the read-only parts run.
runCli({ mutating: false, emulator: { seed: 42, users: 5_000 } }, async ({ admin, live }) => {
  if (!live) await provision(admin);
  await readOnly(admin);
}).catch(exitOnError);

async function provision(admin: OpenAIAdmin) {
  const project = await admin.projects.create({ name: 'Tour: data science' });
  console.log(`\nCreated project ${project.id} (${project.name})`);

  const [someone] = (await admin.users.list({ limit: 1 })).data;
  const member = await admin.projects.users.add(project.id, { user_id: someone!.id, role: 'member' });
  console.log(`Added ${member.email ?? member.id} as ${member.role}`);

  const account = await admin.projects.serviceAccounts.create(project.id, { name: 'ci-bot' });
  if (!account.api_key) throw new Error('the service account was created without a key');
  // The key value is returned once, on create: print it redacted, as a script that stores it in a vault would.
  console.log(`Service account ${account.id}, key ${redact(account.api_key.value)} (shown once)`);

  const keys = await admin.projects.apiKeys.list(project.id).toArray({ max: 1_000 });
  printTable('Project API keys', keys.map((k) => ({ id: k.id, name: k.name, redacted: k.redacted_value, owner: k.owner?.type ?? '' })));

  const limits = await admin.projects.rateLimits.list(project.id).toArray({ max: 1_000 });
  const limit = limits[0]!;
  const updated = await admin.projects.rateLimits.update(project.id, limit.id, {
    max_requests_per_1_minute: Math.max(1, Math.floor(limit.max_requests_per_1_minute / 2)),
  });
  printTable('Rate limit, before and after', [
    { when: 'before', model: limit.model, rpm: limit.max_requests_per_1_minute },
    { when: 'after', model: updated.model, rpm: updated.max_requests_per_1_minute },
  ]);

  const archived = await admin.projects.archive(project.id);
  console.log(`Archived ${archived.id}: status ${archived.status}`);
}

async function readOnly(admin: OpenAIAdmin) {
  let users = 0;
  const roles = new Map<string, number>();
  for await (const user of admin.users.list({ limit: 100 })) {
    users++;
    roles.set(String(user.role), (roles.get(String(user.role)) ?? 0) + 1);
    if (users % 1_000 === 0) progress(`paged through ${users} users`);
  }
  progress('');
  printTable(`Organization users (${users}, paged 100 at a time)`, [...roles].map(([role, count]) => ({ role, count })));

  const projectNames = new Map<string, string>();
  for await (const p of admin.projects.list({ include_archived: true, limit: 100 })) projectNames.set(p.id, p.name ?? p.id);

  const start_time = Math.floor(Date.now() / 1000 / DAY) * DAY - 30 * DAY;
  const tokens = new Map<string, { input: number; output: number; requests: number }>();
  for await (const row of admin.usage.completions({ start_time, bucket_width: '1d', group_by: ['project_id'] }).rows()) {
    const key = row.project_id ?? '(none)';
    const t = tokens.get(key) ?? { input: 0, output: 0, requests: 0 };
    t.input += row.input_tokens;
    t.output += row.output_tokens;
    t.requests += row.num_model_requests;
    tokens.set(key, t);
  }
  const spend = new Map<string, number>();
  for await (const row of admin.costs({ start_time, group_by: ['project_id'] }).rows()) {
    const key = row.project_id ?? '(none)';
    spend.set(key, (spend.get(key) ?? 0) + Number(row.amount?.value ?? 0));
  }
  const ids = new Set([...tokens.keys(), ...spend.keys()]);
  printTable(
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
