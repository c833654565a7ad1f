import {
  operationId,
  type HttpMethod,
  type NaturalKeySpec,
  type OperationSpec,
  type QueryParamSpec,
} from '../../src/core/types/operation';
import {
  camelCase,
  cleanParamName,
  isRetrySafe,
  operations,
  resolveRef,
  resolvedParameters,
  type NaturalKey,
  type Spec,
} from './spec';

/**
 * Renders generated/operations.gen.ts: the per-operation facts src/ needs at runtime, taken from the spec
 * (x-pagination, x-retry-safe) so that no method hand-codes them. One exported constant per operation keeps
 * the table tree-shakeable; `operations` gathers them for code that needs all.
 */
/** The type of a query value when it is not text (query strings carry only text, the validators want types). */
function scalarType(spec: Spec, schema: any): 'integer' | 'number' | 'boolean' | undefined {
  const type = resolveRef(spec, schema)?.type;
  return type === 'integer' || type === 'number' || type === 'boolean' ? type : undefined;
}

/**
 * An operation's row as data: what operations.gen.ts says of it, except that a natural key's `list` is the list
 * operation's name (operations.gen.ts holds a thunk returning that constant, the CLI group slices' JSON the name).
 */
export type OperationRow = Omit<OperationSpec, 'naturalKey'> & {
  readonly naturalKey?: Omit<NaturalKeySpec, 'list'> & { readonly list: string };
};

/**
 * Every operation's row, by operation name, in the spec's order. Generators read this data and, for source text,
 * {@link operationRowText}: none parses generated text back.
 */
export function operationRows(spec: Spec): Map<string, OperationRow> {
  const rows = new Map<string, OperationRow>();
  for (const { method, path, op } of operations(spec)) {
    const params = resolvedParameters(spec, op);
    const query = params
      .filter((p) => p.in === 'query')
      .map((p): QueryParamSpec => {
        const schema = resolveRef(spec, p.schema) ?? {};
        const kind =
          schema.type === 'array'
            ? 'array'
            : p.style === 'deepObject' || schema.type === 'object'
              ? 'object'
              : 'scalar';
        const valueType = scalarType(
          spec,
          kind === 'array'
            ? schema.items
            : kind === 'object'
              ? (Object.values(schema.properties ?? {})[0] ?? schema.additionalProperties)
              : schema,
        );
        return { name: p.name, kind, ...(valueType && { valueType }) };
      });
    const name = camelCase(op.operationId);
    // Rows carry the name only; the runtime spells the operationId back from it (operationId in operation.ts).
    if (operationId({ name }) !== op.operationId)
      throw new Error(
        `${method.toUpperCase()} ${path}: operationId ${op.operationId} does not map back from its name ${name} ` +
          `(it must be lowercase words joined by hyphens, e.g. list-project-users)`,
      );
    const wireNames = params
      .filter((p) => p.in === 'query' && cleanParamName(p.name) !== p.name)
      .map((p) => [cleanParamName(p.name), p.name]);
    const key = op['x-natural-key'];
    // Keys in the order of operations.gen.ts's fields: the CLI slices' JSON keeps that order.
    rows.set(name, {
      name,
      method: method.toUpperCase() as HttpMethod,
      path,
      pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
      query,
      ...(wireNames.length && { wireNames: Object.fromEntries(wireNames) }),
      body: op.requestBody ? (op.requestBody.required ? 'required' : 'optional') : null,
      success: Object.keys(op.responses)
        .filter((s) => /^2\d\d$/.test(s))
        .map(Number),
      retrySafe: isRetrySafe(method, op),
      ...(op['x-pagination'] && { pagination: op['x-pagination'] }),
      ...(key && { naturalKey: naturalKeyRow(key) }),
    });
  }
  return rows;
}

/** A natural key as row data: the list operation by its constant's name, first, as operationRowText writes it. */
const naturalKeyRow = ({ list, ...rest }: NaturalKey) => ({ list: camelCase(list), ...rest });

/**
 * A row as the object literal operations.gen.ts holds (`{ name: 'listProjects', method: 'GET', … }`). A natural
 * key's list becomes a thunk of its constant (`list: () => listProjects`), so that a bundle keeps the list row only
 * where it keeps the create row.
 */
export function operationRowText(row: OperationRow): string {
  const json = JSON.stringify;
  const entries = (o: object) =>
    Object.entries(o)
      .map(([k, v]) => `${k}: ${json(v)}`)
      .join(', ');
  const query = row.query.map(
    (q) => `{ name: ${json(q.name)}, kind: '${q.kind}'${q.valueType ? `, valueType: '${q.valueType}'` : ''} }`,
  );
  const fields = [
    `name: '${row.name}'`,
    `method: '${row.method}'`,
    `path: ${json(row.path)}`,
    `pathParams: [${row.pathParams.map((p) => json(p)).join(', ')}]`,
    `query: [${query.join(', ')}]`,
    ...(row.wireNames ? [`wireNames: { ${entries(row.wireNames)} }`] : []),
    `body: ${row.body ? `'${row.body}'` : 'null'}`,
    `success: [${row.success.join(', ')}]`,
    `retrySafe: ${row.retrySafe}`,
  ];
  if (row.pagination) fields.push(`pagination: ${json(row.pagination)}`);
  if (row.naturalKey) {
    const { list, ...rest } = row.naturalKey;
    fields.push(`naturalKey: { list: () => ${list}, ${entries(rest)} }`);
  }
  return `{\n  ${fields.join(',\n  ')},\n}`;
}

export function buildOperationsTable(spec: Spec): string {
  const table = operationRows(spec);
  const names = [...table.keys()];
  const rows = [...table].map(
    ([name, row]) => `export const ${name} = ${operationRowText(row)} as const satisfies OperationSpec;`,
  );
  return `// This file is auto-generated by scripts/generate.ts from openapi.yaml. Do not edit.

import type { OperationSpec } from '../src/core/types/operation.js';

// The contracts live in src/core/types/operation.ts; re-exported for code that reads them from here.
export type {
  CompiledValidator,
  HttpMethod,
  OperationName,
  OperationSpec,
  PaginationSpec,
  QueryParamSpec,
} from '../src/core/types/operation.js';

${rows.join('\n\n')}

export const operations = {
${names.map((n) => `  ${n},`).join('\n')}
} as const;
`;
}
