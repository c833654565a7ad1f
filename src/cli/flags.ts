/**
 * Flags derived from an operation: one per query parameter and per top-level body field, named in kebab-case
 * after the wire name (`project_ids[]` → `--project-ids`, `effective_at[gte]` → `--effective-at-gte`).
 * Arrays repeat the flag; numbers and booleans are typed (`--batch` / `--no-batch`); times accept ISO-8601
 * dates or Unix seconds; `--body` takes a whole JSON body (inline or `@file.json`) that field flags override.
 * An integer body field `<x>_in_seconds` also gets `--<x>-in <duration>` (`--expires-in 90d`, duration.ts).
 */
import type { CliField } from '../../generated/cli.gen.js';
import { parseDuration } from './duration.js';
import { UsageError } from './errors.js';
import type { OperationCommand } from './operation-group.js';
import { BODY_FILE_LIMIT, readBounded, readUserFile } from './user-file.js';

export interface DerivedFlag {
  /** Without the dashes. */
  readonly flag: string;
  readonly field: CliField;
  readonly in: 'query' | 'body';
  /** The field takes seconds and this flag a duration (`--expires-in 90d` for `expires_in_seconds`). */
  readonly duration?: true;
}

/** `project_ids[]` → `project-ids`, `effective_at[gte]` → `effective-at-gte`. */
export function flagName(wire: string): string {
  return wire
    .replace(/\[\]$/, '')
    .replace(/\[(\w+)\]/g, '_$1')
    .replace(/_/g, '-')
    .toLowerCase();
}

export function derivedFlags(command: OperationCommand): DerivedFlag[] {
  const page = command.op.pagination?.requestParam;
  return [
    // The page cursor is the CLI's business (lists page through everything), not the user's.
    ...command.meta.query
      .filter((f) => f.name !== page)
      .map((field) => ({ flag: flagName(field.name), field, in: 'query' as const })),
    ...command.meta.body.map((field) => ({ flag: flagName(field.name), field, in: 'body' as const })),
    // Nobody counts 90 days in seconds: `--expires-in 90d` beside `--expires-in-seconds 7776000`.
    ...command.meta.body
      .filter((field) => field.type === 'integer' && !field.array && /^\w+_in_seconds$/.test(field.name))
      .map((field) => ({
        flag: flagName(field.name.replace(/_seconds$/, '')),
        field,
        in: 'body' as const,
        duration: true as const,
      }))
      .filter((d) => !command.meta.body.some((f) => flagName(f.name) === d.flag)),
  ];
}

type ParseArgsOption = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

/** The node:util parseArgs options of an operation's flags (plus `--no-x` for each boolean, and `--body`). */
export function parseArgsOptions(flags: readonly DerivedFlag[], hasBody: boolean): Record<string, ParseArgsOption> {
  const options: Record<string, ParseArgsOption> = {};
  for (const { flag, field } of flags) {
    if (field.type === 'boolean' && !field.array) {
      options[flag] = { type: 'boolean' };
      options[`no-${flag}`] = { type: 'boolean' };
    } else options[flag] = { type: 'string', ...(field.array ? { multiple: true } : {}) };
  }
  if (hasBody) options.body = { type: 'string' };
  return options;
}

/**
 * A time as Unix seconds: digits are taken as seconds, anything else must be an ISO-8601 date or date-time
 * (`2026-11-01`, `2026-11-01T12:00:00Z`; a date alone is midnight UTC). Pure.
 * @example
 * parseTime('2026-11-01', '--start-time') // 1793491200
 */
export function parseTime(text: string, flag: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text.replace(' ', 'T');
    const ms = Date.parse(iso);
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw new UsageError(
    `${flag} expects an ISO-8601 date (2026-11-01, 2026-11-01T12:00:00Z) or Unix seconds, got '${text}'`,
  );
}

/** One flag value converted to the field's type; enum values are checked here so the error names the flag. */
export function convertValue(text: string, field: CliField, flag: string): unknown {
  const label = `--${flag}`;
  if (field.enum && !field.enum.includes(text)) {
    throw new UsageError(`${label} must be one of ${field.enum.join(', ')}; got '${text}'`);
  }
  switch (field.type) {
    case 'integer':
    case 'number': {
      if (field.time) return parseTime(text, label);
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n) || (field.type === 'integer' && !Number.isInteger(n))) {
        throw new UsageError(
          `${label} expects ${field.type === 'integer' ? 'a whole number' : 'a number'}, got '${text}'`,
        );
      }
      return n;
    }
    case 'boolean':
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw new UsageError(`${label} expects true or false, got '${text}'`);
    case 'json':
      return parseJson(text, label);
    default:
      return text;
  }
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${label} expects JSON: ${(err as Error).message}`);
  }
}

/**
 * `--body '<json>'` or `--body @file.json` (`@-` reads stdin). Must be a JSON object. The file is read through
 * user-file.ts: a regular file (or stdin), at most BODY_FILE_LIMIT bytes.
 */
export function readBodyFlag(
  value: string,
  readFile: (path: string) => string = (p) =>
    p === '-'
      ? readBounded(0, { flag: '--body', limit: BODY_FILE_LIMIT }, '@-').toString('utf8')
      : readUserFile(p, { flag: '--body', limit: BODY_FILE_LIMIT }).bytes.toString('utf8'),
): Record<string, unknown> {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFile(value.slice(1));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(
        `--body ${value}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
  }
  const body = parseJson(text, '--body');
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new UsageError('--body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Sets `effective_at[gte]` as `query.effective_at.gte` (deepObject), other names as they are (`project_ids[]`). */
function assign(target: Record<string, unknown>, wire: string, value: unknown): void {
  const deep = /^(\w+)\[(\w+)\]$/.exec(wire);
  if (!deep) return void (target[wire] = value);
  const inner = (target[deep[1]] ??= {}) as Record<string, unknown>;
  inner[deep[2]] = value;
}

export interface RequestInput {
  path: Record<string, string>;
  query?: Record<string, unknown>;
  body?: Record<string, unknown>;
}

/** `user_id` → `--user-id`, as the field's flag is spelt in help and errors. */
const flagList = (fields: readonly string[]) => fields.map((f) => `--${flagName(f)}`);

/**
 * The spec's rules across body fields (x-required-one-of, x-mutually-exclusive), checked on the body the flags and
 * --body made, so the error names flags and nothing is sent. Fields given as JSON null count as not given.
 * @example
 * // projects users add P --role owner  →  UsageError: give one of --user-id, --email
 */
export function checkFlagRules(command: OperationCommand, body: Record<string, unknown>): void {
  const given = (field: string) => body[field] !== undefined && body[field] !== null;
  for (const group of command.meta.requiredOneOf ?? [])
    if (!group.some(given)) throw new UsageError(`give one of ${flagList(group).join(', ')}`, flagRulesHint(command));
  for (const group of command.meta.mutuallyExclusive ?? []) {
    const set = group.filter(given);
    if (set.length > 1) throw new UsageError(`${flagList(set).join(' and ')} cannot be given together: give one`);
  }
}

/** The rules as help lines: "Give one of --user-id, --email." */
export function flagRuleNotes(command: OperationCommand): string[] {
  return [
    ...(command.meta.requiredOneOf ?? []).map((g) => `Give one of ${flagList(g).join(', ')} (at least one).`),
    ...(command.meta.mutuallyExclusive ?? []).map((g) => `Give at most one of ${flagList(g).join(', ')}.`),
  ];
}

const flagRulesHint = (command: OperationCommand) => `usage: openai-admin ${command.words.join(' ')} --help`;

/**
 * The request of an operation from parsed flags and positionals. Missing path ids and missing required fields
 * (when no --body was given) are usage errors naming what is missing.
 */
export function buildRequest(
  command: OperationCommand,
  values: Record<string, unknown>,
  positionals: readonly string[],
): RequestInput {
  const { op } = command;
  const ids = op.pathParams;
  if (positionals.length < ids.length) {
    const missing = ids
      .slice(positionals.length)
      .map((p) => `<${flagName(p)}>`)
      .join(' ');
    throw new UsageError(
      `missing ${missing}`,
      `usage: openai-admin ${command.words.join(' ')} ${ids.map((p) => `<${flagName(p)}>`).join(' ')}`,
    );
  }
  if (positionals.length > ids.length) {
    throw new UsageError(
      `unexpected argument '${positionals[ids.length]}'`,
      ids.length
        ? `${command.words.join(' ')} takes ${ids.length} id(s)`
        : `${command.words.join(' ')} takes no positional arguments`,
    );
  }
  const path = Object.fromEntries(ids.map((p, i) => [p, positionals[i]]));
  const query: Record<string, unknown> = {};
  const fromBodyFlag = typeof values.body === 'string' ? readBodyFlag(values.body) : undefined;
  const body: Record<string, unknown> = { ...fromBodyFlag };
  const flagFor = new Map<string, string>(); // field → the flag that set it (two flags for one field contradict)
  for (const { flag, field, in: where, duration } of derivedFlags(command)) {
    const target = where === 'query' ? query : body;
    let value: unknown;
    if (duration) {
      if (values[flag] !== undefined) value = parseDuration(values[flag] as string, `--${flag}`);
    } else if (field.type === 'boolean' && !field.array) {
      if (values[flag] === true && values[`no-${flag}`] === true)
        throw new UsageError(`--${flag} and --no-${flag} contradict each other`);
      value = values[flag] === true ? true : values[`no-${flag}`] === true ? false : undefined;
    } else if (values[flag] !== undefined) {
      const raw = values[flag];
      value = Array.isArray(raw)
        ? raw.map((v: string) => convertValue(v, field, flag))
        : convertValue(raw as string, field, flag);
    }
    if (value !== undefined) {
      const other = flagFor.get(field.name);
      if (other) throw new UsageError(`--${other} and --${flag} both set ${field.name}: give one`);
      flagFor.set(field.name, flag);
      assign(target, field.name, value);
    } else if (field.required && !(where === 'body' && fromBodyFlag) && !flagFor.has(field.name)) {
      throw new UsageError(`missing required --${flag}`, field.enum ? `one of ${field.enum.join(', ')}` : undefined);
    }
  }
  checkFlagRules(command, body);
  const input: RequestInput = { path };
  if (op.body !== null && (op.body === 'required' || Object.keys(body).length)) input.body = body;
  if (op.query.length) input.query = query;
  return input;
}
