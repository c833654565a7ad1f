/**
 * Every operation as a command, from the whole generated tables: FRIENDLY_NAMES (operationId →
 * 'projects.users.create') joined with the operations table and CLI metadata (all three generated from the spec).
 * What the whole tree, help, completion and the man page read; a command line under one operation group needs only
 * that group's slice (operation-group.ts), and loads this module only when it needs the whole tree.
 */
import { cliMetaOf } from '../../generated/cli.gen.js';
import { operations, type OperationName, type OperationSpec } from '../../generated/operations.gen.js';
import type { Command } from './command.js';
import { commandOfOperation } from './operation-command.js';
import { buildOperationCommands, type OperationCommand } from './operation-group.js';

export { callOperation, isUsage, kebab, type OperationCommand } from './operation-group.js';

let cached: OperationCommand[] | undefined;

/**
 * Every operation as a command, in the order of FRIENDLY_NAMES, then the deprecated former names
 * (FRIENDLY_ALIASES), which keep working on the command line as they do on the client.
 */
export function operationCommands(): OperationCommand[] {
  return (cached ??= buildOperationCommands({
    has: (name: OperationName) => Object.hasOwn(operations, name),
    row: (name: OperationName) => operations[name],
    meta: cliMetaOf,
  }));
}

/** Every operation's command (deprecated former names included), each made in full only when first used. */
export const operationCommandList = (): Command[] => operationCommands().map(commandOfOperation);

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
