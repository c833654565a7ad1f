/**
 * The standing curations of a whole operation: pagination and retry-safety facts where the shape decides them, the
 * operationId naming rule, the parameter rules, open enums in inline responses. What no rule decides comes back as
 * `todos`, written as x-sync-todo beside the node by the caller.
 */
import { renameOperation } from './operation-id';
import { openEnumsDeep } from './open-enum';
import { NOTES } from './notes';
import { applyParameterRules } from './parameters';

type Node = Record<string, any>;
/** Resolves a local $ref in the upstream document (identity for an inline node). */
export type Resolve = (node: Node | undefined) => Node | undefined;

/** A collection path (`/organization/projects`) versus one item (`…/{project_id}`). */
export const isItemPath = (path: string) => /\}$/.test(path);
/** A POST that brings something into existence: on a collection, named create/upload/invite. */
export const isCreate = (method: string, path: string, operationId: string) =>
  method === 'post' &&
  !isItemPath(path) &&
  /^(create|upload|invite)|create$|^Create/i.test(operationId.replace(/[-_]/g, ''));

/**
 * x-pagination from the list response shape: `data` + `has_more` + `last_id` is a cursor list (`after`), `data` +
 * `next` a next-token list, `data` + `next_page` a page list (`page`). Undefined when the shape says nothing.
 */
export function derivePagination(op: Node, resolve: Resolve): Node | undefined {
  const schema = resolve(op.responses?.['200']?.content?.['application/json']?.schema);
  const props = schema?.properties ?? {};
  const params = new Set(((op.parameters ?? []) as Node[]).map((p) => resolve(p)?.name));
  if (!props.data || resolve(props.data)?.type !== 'array') return undefined;
  if (props.has_more && props.last_id && params.has('after'))
    return { style: 'cursor', requestParam: 'after', cursorField: 'last_id', itemsField: 'data' };
  if (props.next && params.has('after'))
    return { style: 'next', requestParam: 'after', cursorField: 'next', itemsField: 'data' };
  if (props.next_page && params.has('page'))
    return { style: 'page', requestParam: 'page', cursorField: 'next_page', itemsField: 'data' };
  return undefined;
}

/** x-retry-safe of a POST: a create is not (a repeat makes a second one); an update of one item is. Else undecided. */
export function retrySafety(method: string, path: string, operationId: string): boolean | undefined {
  if (method !== 'post') return undefined;
  if (isCreate(method, path, operationId)) return false;
  if (isItemPath(path) && /^update-/.test(operationId)) return true;
  return undefined;
}

/**
 * 201 beside 200 on creates: the live API answers a create with 200 or 201 (it has flipped over time), so both are
 * declared with the same body. A create is a POST named like one, or a POST on a collection whose GET is a list
 * (adding a member, assigning a role).
 */
export function createdStatus(op: Node, method: string, path: string, collectionIsList: boolean): Node {
  if (method !== 'post' || isItemPath(path) || op.responses?.['201'] || !op.responses?.['200']) return op;
  if (!isCreate(method, path, op.operationId) && !collectionIsList) return op;
  const { description: _d, ...ok } = op.responses['200'];
  const created = {
    description: 'Created (the live API answers 201 or 200 on creates).',
    ...ok,
    'x-curation': [NOTES.created],
  };
  return { ...op, responses: { ...op.responses, '201': created } };
}

export interface CuratedOperation {
  op: Node;
  todos: string[];
}

/** A new upstream operation as the curated spec would have it. */
export function curateOperation(
  upstreamOp: Node,
  method: string,
  path: string,
  resolve: Resolve,
  collectionIsList = false,
): CuratedOperation {
  const { 'x-oaiMeta': _meta, ...rest } = upstreamOp;
  let op: Node = renameOperation(rest, method, path);
  const todos: string[] = [
    `x-friendly-name: name the method (e.g. "x-friendly-name: resource.verb"); npm run generate refuses an operation without one`,
    `x-example: show the call (it must contain "admin.<x-friendly-name>(")`,
  ];
  if (Array.isArray(op.parameters))
    op = { ...op, parameters: op.parameters.map((p: Node) => (p.$ref ? p : applyParameterRules(p))) };
  if (op.responses) {
    op = {
      ...op,
      responses: Object.fromEntries(
        Object.entries(op.responses as Record<string, Node>).map(([status, r]) => {
          const schema = r?.content?.['application/json']?.schema;
          if (!schema || schema.$ref) return [status, r];
          return [
            status,
            {
              ...r,
              content: {
                ...r.content,
                'application/json': { ...r.content['application/json'], schema: openEnumsDeep(schema) },
              },
            },
          ];
        }),
      ),
    };
  }
  const pagination = method === 'get' ? derivePagination(op, resolve) : undefined;
  if (pagination) op = { ...op, 'x-pagination': pagination };
  if (method === 'get' && !pagination && /^list-/.test(op.operationId))
    todos.push('x-pagination: a list whose response shape no rule recognizes: describe its pagination');
  if (
    ((op.parameters ?? []) as Node[]).some(
      (p) => /bucket_width/.test(`${resolve(p)?.description ?? ''}`) || resolve(p)?.name === 'bucket_width',
    )
  )
    todos.push('x-pagination.limitByBucketWidth and the limit bounds per bucket_width: read them from the description');
  const safe = retrySafety(method, path, op.operationId);
  if (safe !== undefined) op = { ...op, 'x-retry-safe': safe };
  else if (method === 'post')
    todos.push('x-retry-safe: is repeating this POST harmless (true) or not (false)? No rule decides it');
  op = createdStatus(op, method, path, collectionIsList);
  if (isCreate(method, path, op.operationId)) {
    todos.push(
      'x-natural-key: if a list shows what this creates, name it and the fields that identify the item (reconciliation after an ambiguous failure)',
    );
  }
  return { op, todos };
}
