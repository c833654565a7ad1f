/**
 * The one place the CLI learns operation names: FRIENDLY_NAMES (operationId → 'projects.users.create') joined
 * with the generated operations table and CLI metadata (all three generated from the spec). Everything else in
 * src/cli sees `OperationCommand`s.
 */
import { cliMetaOf, type CliOperationMeta } from '../../generated/cli.gen.js';
import { operations, type OperationName, type OperationSpec } from '../../generated/operations.gen.js';
import type { ClientCore } from '../core/client/client-core.js';
import { usagePages } from '../core/client/usage.js';
import { listPages } from '../core/pipeline/pagination.js';
import { FRIENDLY_ALIASES, FRIENDLY_NAMES } from '../resources/naming.js';

export interface OperationCommand {
  /** Command words: 'projects.serviceAccounts.apiKeys.create' → ['projects', 'service-accounts', 'api-keys', 'create']. */
  readonly words: readonly string[];
  /** The client path, e.g. 'projects.users.create'. */
  readonly friendly: string;
  readonly name: OperationName;
  readonly op: OperationSpec;
  readonly meta: CliOperationMeta;
  /** Set on a deprecated former name (`projects users create`): the current name it stands for. */
  readonly aliasOf?: string;
}

/** camelCase → kebab-case, snake_case → kebab-case. */
export const kebab = (word: string): string =>
  word
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();

let cached: OperationCommand[] | undefined;

/**
 * An operation as a command whose `meta` is parsed when first read (cli.gen.ts holds it as JSON text): the tree
 * reads only the words, so a command line parses the metadata of the commands it shows or runs (issue 17 §8).
 */
function operationCommand(fields: Omit<OperationCommand, 'meta'>, meta: () => CliOperationMeta): OperationCommand {
  let parsed: CliOperationMeta | undefined;
  return Object.defineProperty(fields, 'meta', {
    enumerable: true,
    get: () => (parsed ??= meta()),
  }) as OperationCommand;
}

/**
 * Every operation as a command, in the order of FRIENDLY_NAMES, then the deprecated former names
 * (FRIENDLY_ALIASES), which keep working on the command line as they do on the client.
 */
export function operationCommands(): OperationCommand[] {
  if (cached) return cached;
  const current = (Object.keys(FRIENDLY_NAMES) as OperationName[]).map((name): OperationCommand => {
    const friendly = FRIENDLY_NAMES[name];
    const words = friendly.split('.').map(kebab);
    return operationCommand({ words, friendly, name, op: operations[name] }, () => cliMetaOf(name));
  });
  const aliases = Object.entries(FRIENDLY_ALIASES).flatMap(([alias, target]): OperationCommand[] => {
    const of = current.find((c) => c.friendly === target);
    if (!of) return [];
    const fields = { words: alias.split('.').map(kebab), friendly: alias, name: of.name, op: of.op, aliasOf: target };
    const meta = () => ({ ...of.meta, summary: `${of.meta.summary} (deprecated name of '${of.words.join(' ')}')` });
    return [operationCommand(fields, meta)];
  });
  return (cached = [...current, ...aliases]);
}

type Callable = (...args: unknown[]) => unknown;

/**
 * The client method of an operation (`'projects.users.list'` → `admin.projects.users.list`, bound): what
 * callOperation is held to by the unit tests.
 */
export function clientMethod(admin: object, friendly: string): Callable {
  const parts = friendly.split('.');
  type Node = Record<string, unknown> | undefined;
  let owner: unknown = admin;
  for (const part of parts.slice(0, -1)) owner = (owner as Node)?.[part];
  const method = (owner as Node)?.[parts.at(-1)!];
  if (typeof method !== 'function') throw new Error(`the client has no method ${friendly}`);
  return (method as Callable).bind(owner);
}

/**
 * The arguments of a client method, in its order: path ids, then the body (operations with one) or the query
 * (operations with query parameters), e.g. `list(projectId, query)`, `create(projectId, body)`.
 */
export function methodArguments(
  op: OperationSpec,
  parts: { path: Record<string, string>; query?: Record<string, unknown>; body?: unknown },
): unknown[] {
  const args: unknown[] = op.pathParams.map((p) => parts.path[p]);
  if (op.body !== null) args.push(parts.body);
  else if (op.query.length) args.push(parts.query ?? {});
  return args;
}

/** What an operation command's call resolves to; a list's pages are walked by `pages()`. */
export type OperationResult = Promise<unknown> & {
  pages(): AsyncIterable<{ data: unknown[]; hasNextPage(): boolean }>;
};

/**
 * Calls an operation as its client method does (`admin.projects.users.list(projectId, query)` is
 * `listPages(client, ops.listProjectUsers, { path: { project_id }, query })`), on the client's engine alone: the
 * same validation, retries and pagination, without loading the resource classes of every operation (issue 17 §8).
 * A unit test holds it to the client methods' requests, operation by operation.
 */
export function callOperation(
  core: ClientCore,
  op: OperationSpec,
  input: { path: Record<string, string>; query?: Record<string, unknown>; body?: unknown },
): OperationResult {
  type Loose = never;
  const parts: { path?: Record<string, string>; query?: Record<string, unknown>; body?: unknown } = {};
  if (op.pathParams.length) parts.path = Object.fromEntries(op.pathParams.map((p) => [p, input.path[p]]));
  if (op.body !== null) parts.body = input.body;
  else if (op.query.length) parts.query = input.query ?? {};
  if (isUsage(op)) return usagePages(core, op as Loose, (parts.query ?? {}) as Loose);
  if (op.pagination) return listPages(core, op as Loose, parts as Loose);
  return core._call(op as Loose, parts as Loose) as unknown as OperationResult;
}

/** Usage and costs: paged time buckets whose rows the CLI prints flattened. */
export const isUsage = (op: OperationSpec): boolean => op.pagination?.limitByBucketWidth !== undefined;
