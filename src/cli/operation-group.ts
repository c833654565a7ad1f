/**
 * An API operation as the command line knows it, without the tables of every operation: its command words, row
 * and CLI metadata, and the call that runs it on the client's engine. A command line builds the commands of its
 * first word's group alone, from that group's generated slice (generated/cli/<group>.gen.ts: the rows and
 * metadata of those operations only), so that `projects list` loads neither every operation's row nor every
 * command's metadata (issue 17 §8). operations.ts builds every command from the whole tables (the whole tree,
 * help, completion, the man page); both go through buildOperationCommands.
 */
import type { CliOperationMeta } from '../../generated/cli.gen.js';
import { CLI_GROUPS, type CliGroup } from '../../generated/cli/index.gen.js';
import type { OperationName, OperationSpec } from '../../generated/operations.gen.js';
import type { ClientCore } from '../core/client/client-core.js';
import { usagePages } from '../core/client/usage.js';
import { listPages } from '../core/pipeline/pagination.js';
import { FRIENDLY_ALIASES, FRIENDLY_NAMES } from '../resources/naming.js';
import { kebab } from './kebab.js';

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

export { kebab };

/**
 * An operation as a command whose row and `meta` are made when first read (the slices hold them as JSON text): the
 * tree reads only the words, so a command line parses the row and metadata of the commands it shows or runs
 * (issue 17 §8).
 */
function operationCommand(
  fields: Omit<OperationCommand, 'meta' | 'op'>,
  op: () => OperationSpec,
  meta: () => CliOperationMeta,
): OperationCommand {
  let row: OperationSpec | undefined;
  let parsed: CliOperationMeta | undefined;
  return Object.defineProperties(fields, {
    op: { enumerable: true, get: () => (row ??= op()) },
    meta: { enumerable: true, get: () => (parsed ??= meta()) },
  }) as OperationCommand;
}

/** Where buildOperationCommands reads operations: the whole tables, or one group's slice. */
export interface OperationSource {
  /** Whether this source has the operation. */
  has(name: OperationName): boolean;
  row(name: OperationName): OperationSpec;
  meta(name: OperationName): CliOperationMeta;
}

/**
 * The operations of `source` as commands, in the order of FRIENDLY_NAMES, then the deprecated former names
 * (FRIENDLY_ALIASES) of those operations, which keep working on the command line as they do on the client.
 */
export function buildOperationCommands(source: OperationSource): OperationCommand[] {
  const current = (Object.keys(FRIENDLY_NAMES) as OperationName[]).flatMap((name): OperationCommand[] => {
    if (!source.has(name)) return [];
    const friendly = FRIENDLY_NAMES[name];
    const words = friendly.split('.').map(kebab);
    return [
      operationCommand(
        { words, friendly, name },
        () => source.row(name),
        () => source.meta(name),
      ),
    ];
  });
  const aliases = Object.entries(FRIENDLY_ALIASES).flatMap(([alias, target]): OperationCommand[] => {
    const of = current.find((c) => c.friendly === target);
    if (!of) return [];
    const fields = { words: alias.split('.').map(kebab), friendly: alias, name: of.name, aliasOf: target };
    const meta = () => ({ ...of.meta, summary: `${of.meta.summary} (deprecated name of '${of.words.join(' ')}')` });
    return [operationCommand(fields, () => of.op, meta)];
  });
  return [...current, ...aliases];
}

/**
 * A group's slice (generated/cli/<word>.gen.ts) as an operation source: rows and metadata parsed from their JSON
 * text once, when first read; a natural key's list (named in the text) is the list operation's row.
 */
function sliceSource(slice: CliGroup): OperationSource {
  const rows = new Map<string, OperationSpec>();
  const row = (name: string): OperationSpec => {
    let made = rows.get(name);
    if (!made) {
      const data = JSON.parse(slice.rows[name]) as OperationSpec & { naturalKey?: { list: unknown } };
      if (data.naturalKey) {
        const list = data.naturalKey.list as unknown as string;
        data.naturalKey.list = () => row(list);
      }
      rows.set(name, (made = data));
    }
    return made;
  };
  return {
    has: (name) => Object.hasOwn(slice.meta, name),
    row,
    meta: (name) => JSON.parse(slice.meta[name]) as CliOperationMeta,
  };
}

/**
 * The commands whose first word is `word`, from that group's slice alone; undefined when no operation's command
 * starts with it (a workflow, or a typo: the whole tree answers those).
 * @example
 * (await groupOperationCommands('projects'))?.find((c) => c.name === 'listProjects')?.words; // ['projects', 'list']
 */
export async function groupOperationCommands(word: string): Promise<OperationCommand[] | undefined> {
  if (!Object.hasOwn(CLI_GROUPS, word)) return undefined;
  const commands = buildOperationCommands(sliceSource(await CLI_GROUPS[word]()));
  return commands.filter((c) => c.words[0] === word);
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
