/**
 * Provision a project: create it (or reuse the active project of that name), add people, create a service account.
 *
 *   npx tsx examples/provision-project.ts                                  # against a local emulator
 *   OPENAI_ADMIN_KEY=sk-admin-… npx tsx examples/provision-project.ts --live --allow-writes \
 *     --name "Data science" --member alice@example.com:owner --member bob@example.com:member --service-account ci-bot
 *
 * MUTATING: with --live it creates a project, project memberships, invites and a service account in your
 * organization, hence the required --allow-writes.
 *
 * Safe to re-run: an existing active project with the same name is reused, people already in the project are
 * left alone, and a service account that already exists is not created twice. People who are not yet in the
 * organization are invited, with the project membership attached to the invite.
 *
 * The service account's key is returned exactly once, by the create call. This script prints it redacted; a
 * real one would put it straight into a secret store.
 */
import { ConflictError, type OpenAIAdmin } from '../src/index.js';
import { exitOnError, flag, flagValues, isMain, runCli } from './lib/cli.js';
import { printTable, redact } from './lib/print.js';

export type ProjectRole = 'owner' | 'member';

export interface ProvisionOptions {
  /** Project name; an active project with exactly this name is reused. */
  name: string;
  /** People to give access, by email. Org members are added directly; others are invited. */
  members: Array<{ email: string; role: ProjectRole }>;
  /** Name of the service account to ensure (omit for none). */
  serviceAccount?: string;
}

export interface ProvisionResult {
  projectId: string;
  projectCreated: boolean;
  /** What happened to each requested member. */
  members: Array<{
    email: string;
    role: ProjectRole;
    outcome: 'added' | 'already a member' | 'invited' | 'already invited';
    userId?: string;
    inviteId?: string;
  }>;
  serviceAccount?: {
    id: string;
    name: string;
    created: boolean;
    /** Only when created now: the key value is returned once and never again. */
    apiKey?: { id: string; value: string };
  };
}

export async function main(admin: OpenAIAdmin, options: ProvisionOptions): Promise<ProvisionResult> {
  // 1. The project: reuse by name so that a re-run after a partial failure continues instead of duplicating.
  let project = null;
  for await (const p of admin.projects.list({ limit: 100 })) {
    if (p.name === options.name && p.status === 'active') {
      project = p;
      break;
    }
  }
  const projectCreated = !project;
  project ??= await admin.projects.create({ name: options.name });

  // 2. People. One users.list call with an emails filter finds who is in the organization already.
  // Emails are matched case-insensitively; the filter is sent in both spellings in case the server matches exactly.
  const emails = [...new Set(options.members.flatMap((m) => [m.email, m.email.toLowerCase()]))];
  const orgUsers = new Map<string, string>(); // lower-cased email → user id
  if (emails.length) {
    for await (const u of admin.users.list({ emails, limit: 100 }))
      if (u.email) orgUsers.set(u.email.toLowerCase(), u.id);
  }
  const members: ProvisionResult['members'] = [];
  for (const { email, role } of options.members) {
    const userId = orgUsers.get(email.toLowerCase());
    if (!userId) {
      // Not in the organization: invite, granting the project membership when the invite is accepted.
      try {
        const invite = await admin.invites.create({ email, role: 'reader', projects: [{ id: project.id, role }] });
        members.push({ email, role, outcome: 'invited', inviteId: invite.id });
      } catch (err) {
        // 409: an invite is already pending (e.g. from a previous run). An invite cannot be edited; if it lacks
        // this project, add the person once they have accepted (re-run this script then).
        if (!(err instanceof ConflictError)) throw err;
        const pending = (await admin.invites.list({ limit: 100 }).toArray()).find(
          (i) => i.email?.toLowerCase() === email.toLowerCase() && i.status === 'pending',
        );
        if (!pending) throw err; // a conflict of another kind, e.g. the person joined the organization meanwhile
        members.push({ email, role, outcome: 'already invited', inviteId: pending.id });
      }
      continue;
    }
    try {
      await admin.projects.users.add(project.id, { user_id: userId, role });
      members.push({ email, role, outcome: 'added', userId });
    } catch (err) {
      // 409: already in the project. Leave their role as it is: this script adds, it does not demote.
      if (!(err instanceof ConflictError)) throw err;
      members.push({ email, role, outcome: 'already a member', userId });
    }
  }

  // 3. The service account, unless one of that name exists already (its key cannot be shown again).
  let serviceAccount: ProvisionResult['serviceAccount'];
  if (options.serviceAccount) {
    let existing = null;
    for await (const s of admin.projects.serviceAccounts.list(project.id, { limit: 100 })) {
      if (s.name === options.serviceAccount) {
        existing = s;
        break;
      }
    }
    if (existing) {
      serviceAccount = { id: existing.id, name: existing.name, created: false };
    } else {
      const account = await admin.projects.serviceAccounts.create(project.id, { name: options.serviceAccount });
      serviceAccount = {
        id: account.id,
        name: account.name,
        created: true,
        apiKey: account.api_key ? { id: account.api_key.id, value: account.api_key.value } : undefined,
      };
    }
  }

  return { projectId: project.id, projectCreated, members, serviceAccount };
}

function parseMember(spec: string): { email: string; role: ProjectRole } {
  const [email, role = 'member'] = spec.split(':');
  if (!email || !email.includes('@') || (role !== 'owner' && role !== 'member')) {
    throw new Error(`--member expects email[:owner|member], got '${spec}'`);
  }
  return { email, role };
}

if (isMain('provision-project')) {
  runCli({ mutating: true }, async ({ admin, live, args }) => {
    let members = flagValues(args, '--member').map(parseMember);
    if (!live && members.length === 0) {
      // Demo defaults: two people already in the seeded organisation, one who has to be invited.
      const [a, b] = (await admin.users.list({ limit: 2 })).data;
      members = [
        { email: a.email!, role: 'owner' },
        { email: b.email!, role: 'member' },
        { email: 'new.hire@example.com', role: 'member' },
      ];
    }
    const name = flag(args, '--name') ?? (live ? undefined : 'Data science');
    if (!name) throw new Error('--name is required with --live');
    const result = await main(admin, { name, members, serviceAccount: flag(args, '--service-account') ?? 'ci-bot' });

    console.log(
      `\nProject ${result.projectId} (${name}): ${result.projectCreated ? 'created' : 'already existed, reused'}`,
    );
    printTable(
      'Members',
      result.members.map((m) => ({ email: m.email, role: m.role, outcome: m.outcome })),
    );
    const sa = result.serviceAccount;
    if (sa) {
      console.log(
        `\nService account ${sa.id} (${sa.name}): ${sa.created ? 'created' : 'already existed, key not shown again'}`,
      );
      if (sa.apiKey)
        console.log(
          `  key ${sa.apiKey.id}: ${redact(sa.apiKey.value)} — shown once; store it in your secret manager now`,
        );
    }
  }).catch(exitOnError);
}
