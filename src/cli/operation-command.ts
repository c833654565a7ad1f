/**
 * An API operation as a command: positional path ids, flags derived from the spec (flags.ts), help from its
 * summary, and a run that calls the client method — so validation, retries and pagination are the library's.
 */
import type { CliField } from '../../generated/cli.gen.js';
import { bucketRows } from '../core/client/usage.js';
import { validateRequest } from '../core/validation/validation.js';
import { redactUserinfo } from '../core/base/log.js';
import { buildPath, buildURL, serializeQuery } from '../core/validation/url.js';
import type { Command } from './command.js';
import { DESTRUCTIVE_VERBS } from './confirm.js';
import type { Context } from './context.js';
import { buildRequest, derivedFlags, flagName, parseArgsOptions, type RequestInput } from './flags.js';
import type { OptionSpec } from './globals.js';
import { clientMethod, isUsage, methodArguments, operationCommands, type OperationCommand } from './operations.js';
import { ListPrinter, printObject } from './output/printer.js';

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

function describe(field: CliField): string {
  const parts: string[] = [];
  if (field.required) parts.push('(required)');
  if (field.description)
    parts.push(field.description.length > 160 ? `${field.description.slice(0, 157)}…` : field.description);
  if (field.enum) parts.push(`One of: ${field.enum.join(', ')}.`);
  if (field.time) parts.push('ISO-8601 date or Unix seconds.');
  if (field.array) parts.push('Repeat the flag for several values.');
  if (field.type === 'json') parts.push('JSON.');
  return parts.join(' ');
}

function exampleValue(field: CliField): string {
  if (field.enum) return field.enum[0];
  // Some enums live only in prose ("`owner` or `member`"): the first quoted value makes a better example.
  const quoted = /`([\w.-]+)`/.exec(field.description ?? '');
  if (quoted && field.type === 'string') return quoted[1];
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
  const flags = derivedFlags(command)
    .filter(({ field }) => field.required)
    .map(({ flag, field }) => (field.type === 'boolean' ? `--${flag}` : `--${flag} ${exampleValue(field)}`));
  const extra = command.op.pagination && !isUsage(command.op) ? ['--max 50'] : [];
  return ['openai-admin', ...command.words, ...ids, ...flags, ...extra].join(' ');
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
  return {
    words: command.words,
    summary: meta.summary,
    description: meta.description,
    positionals: op.pathParams.map((p) => `<${flagName(p)}>`),
    options,
    examples: [exampleFor(command)],
    notes,
    run: (ctx, values, positionals) => runOperation(ctx, command, values, positionals),
  };
}

export const operationCommandList = (): Command[] => operationCommands().map(operationToCommand);

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
  defaultPageSize(command, input, ctx.max);

  if (ctx.globals['dry-run']) {
    const admin = await ctx.client({ keyOptional: true });
    // The library's own checks and URL building: a dry run fails exactly where the real call would.
    const checking = validateRequest(op, input);
    if (checking) await checking;
    // A base URL's credentials (`user:password@`) are not printed: a dry run is made to be pasted.
    const url = redactUserinfo(buildURL(admin.baseURL, buildPath(op, input.path), serializeQuery(op, input.query)));
    const plan = { method: op.method, url, ...(input.body !== undefined ? { body: input.body } : {}) };
    if (ctx.output.format === 'table') {
      ctx.io.stdout.write(
        `${op.method} ${url}\n${input.body !== undefined ? JSON.stringify(input.body, null, 2) + '\n' : ''}(dry run: nothing sent)\n`,
      );
    } else printObject(ctx.io.stdout, { format: ctx.output.format }, plan);
    return;
  }

  const verb = command.words.at(-1)!;
  if (DESTRUCTIVE_VERBS.has(verb)) {
    await ctx.confirm(`${verb} ${[...command.words.slice(0, -1), ...positionals].join(' ')}`);
  }

  const admin = await ctx.client();
  const method = clientMethod(admin, command.friendly);
  const result = method(...methodArguments(op, input)) as Promise<unknown> & {
    pages(): AsyncIterable<{ data: unknown[] }>;
  };

  if (!op.pagination) return printObject(ctx.io.stdout, ctx.output, await result);

  const printer = new ListPrinter(ctx.io.stdout, ctx.output);
  const max = ctx.max ?? Infinity;
  let pages = 0;
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
    printer.add(items.slice(0, Math.max(0, max - printer.count)));
    ctx.progress(`${printer.count} item(s), ${pages} page(s)…`);
    if (printer.count >= max) break;
  }
  ctx.clearProgress();
  printer.end();
}
