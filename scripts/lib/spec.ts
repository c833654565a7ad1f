import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The subset of OpenAPI 3.1 this project reads; everything else passes through untyped. */
export type Schema = Record<string, any>;
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
  style?: string;
  explode?: boolean;
  [extension: `x-${string}`]: unknown;
}
export interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> } & Schema>;
  'x-pagination'?: Pagination;
  'x-retry-safe'?: boolean;
  'x-natural-key'?: NaturalKey;
  [key: string]: unknown;
}
/**
 * Whether an operation may be sent again after a failure that leaves its outcome unknown: GET and DELETE are
 * idempotent by definition; a POST only when the spec says so (`x-retry-safe: true`). The one rule for the
 * operations table (the runtime's retrySafe) and the reference text of each method.
 */
export function isRetrySafe(method: string, op: Pick<Operation, 'x-retry-safe'>): boolean {
  return method.toLowerCase() === 'post' ? op['x-retry-safe'] === true : true;
}

/** A create's natural key: the list showing what it makes, the body and item fields that name it (reconcile.ts). */
export interface NaturalKey {
  list: string;
  bodyField: string;
  itemField: string;
  createdField: string;
  caseInsensitive?: boolean;
  query?: Record<string, unknown>;
  /** A field only the create response carries (a service account's api_key). */
  createOnly?: string;
}
export interface Pagination {
  style: 'cursor' | 'next' | 'page';
  requestParam: string;
  cursorField: string;
  itemsField: string;
  limitByBucketWidth?: Record<string, number>;
}
export interface Spec {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; [kind: string]: Record<string, Schema> };
  [key: string]: unknown;
}
export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function loadSpec(file: string): Spec {
  return parse(readFileSync(file, 'utf8')) as Spec;
}

/** Yields every operation in document order, so everything derived from it is deterministic. */
export function* operations(spec: Spec): Generator<{ method: string; path: string; op: Operation }> {
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op) yield { method, path, op };
    }
  }
}

/** The admin part of a full OpenAI spec: what this package covers. */
export const isAdminPath = (path: string) => path.startsWith('/organization') || path.startsWith('/projects');

// JSON pointers (RFC 6901): the one implementation the scripts share.
export const escapePointerKey = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
export const unescapePointerKey = (key: string) => key.replace(/~1/g, '/').replace(/~0/g, '~');
export const joinPointer = (pointer: string, ...keys: (string | number)[]) =>
  keys.reduce<string>((p, k) => `${p}/${escapePointerKey(String(k))}`, pointer);

/**
 * Every annotation `read` finds on a node of `doc` (objects by key, arrays by index), with the node's JSON pointer
 * (`/` for the root), in document order. The annotation's own key is not walked into.
 */
export function annotationsIn<T>(
  doc: unknown,
  key: string,
  read: (node: object) => T[],
): { pointer: string; value: T }[] {
  const found: { pointer: string; value: T }[] = [];
  const visit = (node: unknown, pointer: string) => {
    if (Array.isArray(node)) return node.forEach((v, i) => visit(v, `${pointer}/${i}`));
    if (!node || typeof node !== 'object') return;
    found.push(...read(node).map((value) => ({ pointer: pointer || '/', value })));
    for (const [k, v] of Object.entries(node)) if (k !== key) visit(v, joinPointer(pointer, k));
  };
  visit(doc, '');
  return found;
}

/** The node a pointer names, or undefined. */
export function nodeAt(doc: unknown, pointer: string): any {
  if (pointer === '') return doc;
  return pointer
    .split('/')
    .slice(1)
    .reduce((acc: any, raw) => (acc == null ? undefined : acc[unescapePointerKey(raw)]), doc);
}

/** Follows local `$ref`s ("#/components/schemas/X") to the node they name. */
export function resolveRef(spec: Spec, node: Schema | undefined): Schema | undefined {
  let current = node;
  const seen = new Set<string>();
  while (current && typeof current.$ref === 'string') {
    if (seen.has(current.$ref)) throw new Error(`circular $ref ${current.$ref}`);
    seen.add(current.$ref);
    current = nodeAt(spec, current.$ref.slice(1));
  }
  return current;
}

/** An operation's parameters with their $refs resolved. */
export const resolvedParameters = (spec: Spec, op: Operation): any[] =>
  (op.parameters ?? []).map((p) => resolveRef(spec, p as Schema));

/** The name callers write for a query parameter: the wire name without a trailing `[]` (`event_types[]` → `event_types`). */
export const cleanParamName = (wire: string) => wire.replace(/\[\]$/, '');

export const camelCase = (id: string) => id.replace(/[-_]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());

/** The JSON body schema of the success response (200 or 201). */
export function successSchema(op: Operation): Schema | undefined {
  for (const status of ['200', '201']) {
    const schema = op.responses[status]?.content?.['application/json']?.schema;
    if (schema) return schema;
  }
  return undefined;
}

/** JSON text as a single-quoted JavaScript string literal (its double quotes need no escaping), for generated code. */
export const jsonTextLiteral = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
