/**
 * The contracts between the spec and the runtime: what one generated operation row says (method, path,
 * parameters, pagination, retry safety) and how its types are looked up by name. `npm run generate` writes
 * rows that satisfy these types (generated/operations.gen.ts) and one entry per operation in the type map
 * (generated/operation-types.gen.ts); the core reads nothing else about an operation.
 * @module
 */
import type { OperationTypes } from '../../../generated/operation-types.gen.js';
import type { RequestParts } from './call.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface QueryParamSpec {
  /** The name on the wire, e.g. `event_types[]`. */
  readonly name: string;
  /** array: repeated as name=a&name=b; object: deepObject, name[key]=value. */
  readonly kind: 'scalar' | 'array' | 'object';
  /** The type of the value (of each item or property for arrays and objects); absent for text. */
  readonly valueType?: 'integer' | 'number' | 'boolean';
}

export interface PaginationSpec {
  /** cursor: after → last_id + has_more; next: after → next; page: page → next_page. */
  readonly style: 'cursor' | 'next' | 'page';
  readonly requestParam: string;
  readonly cursorField: string;
  readonly itemsField: string;
  /** Usage and costs: the largest limit each bucket_width allows. */
  readonly limitByBucketWidth?: Readonly<Record<string, number>>;
}

/** A precompiled ajv validator; errors lists what failed after a false. */
export type CompiledValidator = ((data: unknown) => boolean) & {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ajv's ErrorObject.params, whose fields vary by keyword
  errors?: { instancePath: string; keyword: string; params: Record<string, any>; message?: string }[] | null;
};

/** How a create's result is found again in its list (x-natural-key in openapi.yaml; src/core/pipeline/reconcile.ts). */
export interface NaturalKeySpec {
  /** The list operation that shows what the create makes (a thunk: the list row stays out of bundles without the create). */
  readonly list: () => OperationSpec;
  readonly bodyField: string;
  readonly itemField: string;
  /** The item's creation time, in Unix seconds. */
  readonly createdField: string;
  readonly caseInsensitive?: boolean;
  readonly query?: Readonly<Record<string, unknown>>;
  /** A field only the create response carries (a service account's api_key). */
  readonly createOnly?: string;
}

/**
 * The spec's operationId of an operation, e.g. `list-projects` for `listProjects`: the name in kebab case.
 * `npm run generate` refuses an operationId that does not map back this way.
 */
export function operationId(op: Pick<OperationSpec, 'name'>): string {
  return op.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export interface OperationSpec {
  /**
   * The camelCase operationId: the key of the operation in the table and in the type map. The operationId itself
   * (`list-projects`) is spelled back from it by {@link operationId}, so the table, which every bundle carries,
   * holds it once.
   */
  readonly name: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly query: readonly QueryParamSpec[];
  /**
   * Query parameters whose wire name is not a plain identifier (`event_types[]`): callers write the clean
   * name (`event_types`), the client sends the wire name. Absent when every name is already clean.
   */
  readonly wireNames?: Readonly<Record<string, string>>;
  readonly body: 'required' | 'optional' | null;
  readonly success: readonly number[];
  /** False for POSTs that create something: a blind retry could create it twice. */
  readonly retrySafe: boolean;
  readonly pagination?: PaginationSpec;
  /** Creates only: how to find what the create made after an ambiguous failure (x-natural-key; pipeline/reconcile.ts). */
  readonly naturalKey?: NaturalKeySpec;
}

// --- The type map: the operation name is the key to every type of the operation --------------------------

/** The camelCase name of every operation in the spec, e.g. `'listProjects'`. */
export type OperationName = keyof OperationTypes;

/** The names of the operations that return pages (they have `x-pagination` in the spec). */
export type PaginatedOperationName = {
  [K in OperationName]: OperationTypes[K]['paginated'] extends true ? K : never;
}[OperationName];

/** The row of operation `K`: its name is a literal, so passing the row fixes `K`. */
export type OperationOf<K extends OperationName> = OperationSpec & { readonly name: K };

/** The row of a paginated operation: pagination is known to be there. */
export type PaginatedOperationOf<K extends PaginatedOperationName> = OperationOf<K> & {
  readonly pagination: PaginationSpec;
};

/** The path ids of operation `K` by wire name (`{ project_id: string }`), `undefined` when it has none. */
export type PathOf<K extends OperationName> = OperationTypes[K]['path'];
/** The query of operation `K` with clean parameter names, `undefined` when it takes none. */
export type QueryOf<K extends OperationName> = OperationTypes[K]['query'];
/** The request body of operation `K`, `undefined` when it takes none. */
export type BodyOf<K extends OperationName> = OperationTypes[K]['body'];
/** What operation `K` resolves to on success. */
export type ResponseOf<K extends OperationName> = OperationTypes[K]['response'];
/** One item of a page of operation `K`. */
export type ItemOf<K extends PaginatedOperationName> = OperationTypes[K]['item'];

type Present<T> = Exclude<T, undefined>;

/** What a resource method hands to the core: path ids, query and body, each only where the operation has one. */
export type PartsOf<K extends OperationName> = ([Present<PathOf<K>>] extends [never]
  ? { path?: undefined }
  : { path: Present<PathOf<K>> }) &
  ([Present<QueryOf<K>>] extends [never] ? { query?: undefined } : { query?: QueryOf<K> }) &
  ([Present<BodyOf<K>>] extends [never] ? { body?: undefined } : { body?: BodyOf<K> });

/** A query record with `name[]` keys renamed to `name`, e.g. `'event_types[]'` → `event_types`. */
export type CleanQuery<Q> = Q extends object
  ? { [P in keyof Q as P extends `${infer N}[]` ? N : P]: Q[P] } & {
      /** @deprecated The wire spelling; write the name without `[]`. */
      [P in keyof Q as P extends `${string}[]` ? P : never]?: Q[P];
    }
  : Q;

/**
 * The query as it goes on the wire: clean names replaced by their wire names. Pure; returns the same object
 * when the operation has no such names (the common case costs nothing).
 */
export function toWireQuery(
  op: Pick<OperationSpec, 'name' | 'wireNames'>,
  query: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const names = op.wireNames;
  if (!names || !query) return query;
  let out: Record<string, unknown> | undefined;
  for (const [clean, wire] of Object.entries(names)) {
    if (!(clean in query)) continue;
    out ??= { ...query };
    // The clean spelling wins when both are given: it is the documented one.
    if (out[clean] !== undefined) out[wire] = out[clean];
    delete out[clean];
  }
  return out ?? query;
}

/**
 * An issue path in the caller's spelling: `query.event_types[].0` → `query.event_types.0`. Pure; the path
 * unchanged when it names no renamed parameter.
 */
export function cleanIssuePath(op: Pick<OperationSpec, 'name' | 'wireNames'>, path: string): string {
  for (const [clean, wire] of Object.entries(op.wireNames ?? {})) {
    const prefix = `query.${wire}`;
    if (path === prefix || path.startsWith(`${prefix}.`)) return `query.${clean}${path.slice(prefix.length)}`;
  }
  return path;
}

/** The parts as the request layer wants them: untyped records, the query under its wire names. */
export function wireParts(
  op: Pick<OperationSpec, 'name' | 'wireNames'>,
  parts: { path?: object; query?: object; body?: unknown },
): RequestParts {
  const query = parts.query as Record<string, unknown> | undefined;
  const wire = toWireQuery(op, query);
  return (wire === query ? parts : { ...parts, query: wire }) as RequestParts;
}
