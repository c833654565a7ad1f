/**
 * An API operation as a command: positional path ids, flags derived from the spec (flags.ts), help from its
 * summary, and a run that calls the client method — so validation, retries and pagination are the library's.
 */
import type { CliField } from '../../generated/cli.gen.js';
import { bucketRows } from '../core/client/usage.js';
import { redactUserinfo } from '../core/base/log.js';
import type { Command } from './command.js';
import { DESTRUCTIVE_VERBS } from './confirm.js';
import type { Context } from './context.js';
import { buildRequest, derivedFlags, flagName, flagRuleNotes, parseArgsOptions, type RequestInput } from './flags.js';
import type { OptionSpec } from './globals.js';
import { callOperation, groupOperationCommands, isUsage, kebab, type OperationCommand } from './operation-group.js';
import type { OpenAIAdmin } from '../client.js';
import { columnsOfObject, LIST_OBJECT } from './output/columns.js';
import { ListPrinter, printObject } from './output/printer.js';
import { screenRows } from './output/width.js';
import type { AuditEvent } from './workflows/audit-readable.js';

/** A placeholder id for examples: project_id → proj_abc, user_id → user_abc, key_id → key_abc. */
const EXAMPLE_IDS: Record<string, string> = {
  project_id: 'proj_abc',
  user_id: 'user_abc',
  service_account_id: 'svc_acct_abc',
  key_id: 'key_abc',
  api_key_id: 'key_abc',
  invite_id: 'invite-abc',
  group_id: 'group_abc',
  role_id: 'role_abc',
  certificate_id: 'cert_abc',
  alert_id: 'alert_abc',
  rate_limit_id: 'rl-gpt-4o',
};
const exampleId = (param: string) => EXAMPLE_IDS[param] ?? `${param.replace(/_id$/, '')}_abc`;

/**
 * Spec prose as terminal text: Markdown code spans lose their backticks, links keep their text (a relative link
 * means nothing in a terminal). Pure.
 * @example
 * plainText('See [data residency](/docs/guides/your-data) for `GLOBAL`.') // 'See data residency for GLOBAL.'
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1');
}

/** A description that only lists the enum's values ("`owner` or `member`") says nothing "One of: …" does not. */
const onlyListsValues = (text: string, values: readonly string[]) =>
  text
    .split(/[\s,.]+/)
    .filter(Boolean)
    .every((word) => values.includes(word) || /^(or|and|one|of|either|is)$/i.test(word));

function describe(field: CliField): string {
  const parts: string[] = [];
  if (field.required) parts.push('(required)');
  const text = field.description && plainText(field.description);
  if (text && !(field.enum && onlyListsValues(text, field.enum)))
    parts.push(text.length > 160 ? `${text.slice(0, 157)}…` : text);
  if (field.enum) parts.push(`One of: ${field.enum.join(', ')}.`);
  if (field.time) parts.push('ISO-8601 date or Unix seconds.');
  if (field.array) parts.push('Repeat the flag for several values.');
  if (field.type === 'json') parts.push('JSON.');
  return parts.join(' ');
}

function exampleValue(field: CliField): string {
  if (field.enum) return field.enum[0];
  // A PEM certificate is a file's content: the example reads it as a shell user would.
  if (field.name === 'certificate') return '"$(cat cert.pem)"';
  if (field.time) return '2026-11-01';
  if (field.type === 'integer' || field.type === 'number') return '10';
  if (field.type === 'json') return "'{}'";
  return /email/.test(field.name)
    ? 'someone@example.com'
    : field.name.endsWith('_id')
      ? exampleId(field.name)
      : `'my ${field.name.replace(/_/g, ' ')}'`;
}

function exampleFor(command: OperationCommand): string {
  const ids = command.op.pathParams.map(exampleId);
  // One field of each required-one-of group, so the example is a request the API accepts.
  const oneOf = new Set((command.meta.requiredOneOf ?? []).map((group) => group[0]));
  const flags = derivedFlags(command)
    .filter(({ field, duration }) => !duration && (field.required || oneOf.has(field.name)))
    .map(({ flag, field }) => {
      if (field.type === 'boolean') return `--${flag}`;
      const value = exampleValue(field);
      // A file's content may start with a dash (-----BEGIN CERTIFICATE-----): only --flag=value passes it as a value.
      return value.startsWith('"$(') ? `--${flag}=${value}` : `--${flag} ${value}`;
    });
  const extra = command.op.pagination && !isUsage(command.op) ? ['--max 50'] : [];
  // A deprecated former name's example shows the current name: help teaches what will keep working.
  const words = command.aliasOf ? command.aliasOf.split('.').map(kebab) : command.words;
  return ['openai-admin', ...words, ...ids, ...flags, ...extra].join(' ');
}

export function operationToCommand(command: OperationCommand): Command {
  const { op, meta } = command;
  const flags = derivedFlags(command);
  const parseOptions = parseArgsOptions(flags, op.body !== null);
  const options: Record<string, OptionSpec> = {};
  for (const { flag, field, duration } of flags) {
    const spec = parseOptions[flag];
    options[flag] = {
      ...spec,
      description: duration
        ? `${field.name} as a duration: 90d, 12h, 30m, 2w, 1d12h (instead of --${flagName(field.name)}).`
        : describe(field),
      ...(spec.type === 'string'
        ? {
            placeholder: duration
              ? 'duration'
              : field.enum
                ? field.enum.join('|')
                : field.time
                  ? 'time'
                  : field.type === 'string'
                    ? 'value'
                    : field.type,
          }
        : {}),
    };
    if (parseOptions[`no-${flag}`])
      options[`no-${flag}`] = { type: 'boolean', description: `Send ${field.name}=false.` };
  }
  if (op.body !== null)
    options.body = {
      type: 'string',
      placeholder: 'json|@file.json',
      description: `The whole request body as JSON${op.body === 'required' ? '' : ' (optional)'}; field flags override its fields.`,
    };
  const verb = command.words.at(-1)!;
  const notes = [
    `Calls ${op.method} ${op.path} — admin.${command.friendly}(…) in the library.`,
    ...flagRuleNotes(command),
    ...(op.pagination
      ? [
          isUsage(op)
            ? 'Prints one row per bucket and group, across every page.'
            : 'Pages through every item; --max N stops early.',
        ]
      : []),
    ...(DESTRUCTIVE_VERBS.has(verb)
      ? ['Destructive: asks for confirmation on a terminal; needs --yes otherwise.']
      : []),
  ];
  if (command.name === 'listAuditLogs') {
    options.summary = {
      type: 'boolean',
      description: 'Counts by event type and actor over the range (every page), instead of the events.',
    };
    notes.push(
      'On a table: time (UTC), event, actor (email, or the API key by name), target (by name), project. --json, --csv and --fields print the events as sent.',
    );
  }
  return {
    words: command.words,
    summary: plainText(meta.summary),
    description: meta.description && plainText(meta.description),
    positionals: op.pathParams.map((p) => `<${flagName(p)}>`),
    options,
    examples: [exampleFor(command)],
    notes,
    ...(command.aliasOf ? { deprecatedFor: command.aliasOf.split('.').map(kebab).join(' ') } : {}),
    run: (ctx, values, positionals) => runOperation(ctx, command, values, positionals),
  };
}

/**
 * An operation's command as the tree sees it: its words at once, the rest (flags, help, examples) made on first
 * read. A command line then builds the flags of its own command alone, not of every operation (issue 17 §8).
 */
function lazyCommand(command: OperationCommand): Command {
  let made: Command | undefined;
  const full = () => (made ??= operationToCommand(command));
  const deprecatedFor = command.aliasOf?.split('.').map(kebab).join(' ');
  return {
    words: command.words,
    get summary() {
      return plainText(command.meta.summary);
    },
    get description() {
      return full().description;
    },
    get positionals() {
      return full().positionals;
    },
    get options() {
      return full().options;
    },
    get examples() {
      return full().examples;
    },
    get notes() {
      return full().notes;
    },
    ...(deprecatedFor !== undefined ? { deprecatedFor } : {}),
    run: (ctx, values, positionals) => runOperation(ctx, command, values, positionals),
  };
}

/**
 * An operation's command, made in full only when first used.
 * @example
 * operationCommands().map(commandOfOperation); // every operation's command (operations.ts: operationCommandList)
 */
export const commandOfOperation = (command: OperationCommand): Command => lazyCommand(command);

/** The commands whose first word is `word`, from its group's slice alone; undefined when no operation's is. */
export async function groupCommandList(word: string): Promise<Command[] | undefined> {
  return (await groupOperationCommands(word))?.map(lazyCommand);
}

/** Lists ask for the biggest page the spec allows (fewer round trips), never more than --max needs. */
function defaultPageSize(command: OperationCommand, input: RequestInput, max: number | undefined): void {
  if (!command.op.pagination || isUsage(command.op) || !input.query || input.query.limit !== undefined) return;
  const limit = command.meta.query.find((f) => f.name === 'limit');
  if (limit?.maximum) input.query.limit = Math.max(1, Math.min(limit.maximum, max ?? Infinity));
}

async function runOperation(
  ctx: Context,
  command: OperationCommand,
  values: Record<string, unknown>,
  positionals: string[],
): Promise<void> {
  const { op } = command;
  const input = buildRequest(command, values, positionals);
  defaultPageSize(command, input, ctx.max ?? firstScreen(ctx, !(command.name === 'listAuditLogs' && values.summary)));

  if (ctx.globals['dry-run']) {
    const core = await ctx.core({ keyOptional: true });
    // Built by the library's own buildRequest, the function that builds the real request: a dry run fails exactly
    // where the real call would and prints what it would send.
    const { request } = await core._build(op, input);
    const body: unknown = request.body === undefined ? undefined : JSON.parse(request.body);
    // A base URL's credentials (`user:password@`) are not printed: a dry run is made to be pasted.
    const url = redactUserinfo(request.url);
    const plan = { method: request.method, url, ...(body !== undefined ? { body } : {}) };
    // The headers only with --debug (stdout keeps the form scripts read), and never the key.
    for (const [name, value] of Object.entries(request.headers))
      if (name !== 'authorization') ctx.debug(`dry run header ${name}: ${value}`);
    if (ctx.output.format === 'table') {
      ctx.io.stdout.write(
        `${request.method} ${url}\n${body !== undefined ? JSON.stringify(body, null, 2) + '\n' : ''}(dry run: nothing sent)\n`,
      );
    } else printObject(ctx.io.stdout, { format: ctx.output.format }, plan);
    return;
  }

  const verb = command.words.at(-1)!;
  if (DESTRUCTIVE_VERBS.has(verb)) {
    await ctx.confirm(`${verb} ${[...command.words.slice(0, -1), ...positionals].join(' ')}`);
  }

  // The audit log's readable view resolves names through the full client; every other command needs only its engine.
  const audited = command.name === 'listAuditLogs';
  const core = audited ? await ctx.client() : await ctx.core();
  const result = callOperation(core, op, input);

  if (!op.pagination) return printObject(ctx.io.stdout, ctx.output, await result);

  const audit = audited ? await auditView(ctx, core as OpenAIAdmin, values) : undefined;
  const screen = firstScreen(ctx, audit?.summary === undefined);
  const output = {
    ...ctx.output,
    ...(LIST_OBJECT[command.name] ? { emptyColumns: columnsOfObject(LIST_OBJECT[command.name]) } : {}),
  };
  const printer = new ListPrinter(
    ctx.io.stdout,
    audit?.summary
      ? { ...output, emptyColumns: ['event', 'actor', 'count'] }
      : audit?.readable
        ? { ...output, emptyColumns: AUDIT_COLUMNS }
        : output,
  );
  const max = ctx.max ?? screen ?? Infinity;
  let pages = 0;
  let more = false;
  // A usage counter that is not a number is left out of its row (bucketRows): said once per field, as .rows() does.
  const refused = new Set<string>();
  const refuse = (field: string) =>
    refused.has(field) ||
    (refused.add(field), ctx.io.stderr.write(`warning: a row's ${field} is not a number; left out\n`));
  for await (const page of result.pages()) {
    pages++;
    const items = isUsage(op)
      ? page.data.flatMap((b) => bucketRows(b as Parameters<typeof bucketRows>[0], refuse))
      : page.data;
    if (audit?.summary) {
      for (const e of items as AuditEvent[]) audit.summary.add(e.type, await audit.names.actor(e), e.effective_at);
      ctx.progress(`${audit.summary.total} event(s), ${pages} page(s)…`);
      continue;
    }
    const taken = items.slice(0, Math.max(0, max - printer.count));
    // Rows reach the terminal between pages: the progress line is erased first, redrawn after.
    ctx.clearProgress();
    await printer.add(
      audit?.readable ? await Promise.all((taken as AuditEvent[]).map((e) => audit.names.row(e))) : taken,
    );
    ctx.progress(`${printer.count} item(s), ${pages} page(s)…`);
    if (printer.count >= max) {
      more = taken.length < items.length || page.hasNextPage();
      break;
    }
  }
  ctx.clearProgress();
  if (audit?.summary) {
    ctx.note(audit.summary.title());
    await printer.add(audit.summary.rows());
  }
  await printer.end();
  if (more && ctx.max === undefined)
    ctx.note(`(the first ${printer.count} shown: --max N for more, --all for every item; pipes get every item)`);
}

/** Columns of the readable audit table (also the header of an empty one). */
const AUDIT_COLUMNS = ['time', 'event', 'actor', 'target', 'project', 'id'];

/**
 * `audit-logs list`'s own views: on a table without --fields, readable rows (audit-readable.ts); with --summary,
 * counts by event type and actor in any format.
 */
async function auditView(ctx: Context, admin: OpenAIAdmin, values: Record<string, unknown>) {
  const { AuditNames, AuditSummary } = await import('./workflows/audit-readable.js');
  const names = new AuditNames(admin);
  if (values.summary === true) return { names, summary: new AuditSummary(), readable: false };
  return { names, summary: undefined, readable: ctx.output.format === 'table' && !ctx.output.fields };
}

/**
 * On a terminal, a table list stops after a first screenful (like gh's 30) unless --max or --all says otherwise;
 * pipes, files and machine formats get every item.
 */
function firstScreen(ctx: Context, applies: boolean): number | undefined {
  if (!applies || ctx.max !== undefined || ctx.globals.all || ctx.output.format !== 'table' || !ctx.output.terminal)
    return undefined;
  // Header, rule, the closing note and the next prompt take four lines.
  return Math.max(10, screenRows(ctx.io.stdout, ctx.io.env) - 4);
}
