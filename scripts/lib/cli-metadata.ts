import { camelCase, operations, resolveRef, resolvedParameters, type Schema, type Spec } from './spec';

/**
 * Renders generated/cli.gen.ts: what the command line needs from the spec and the operations table does not
 * carry — summaries, descriptions, and the type, enum values and requiredness of each query parameter and each
 * top-level body field. The CLI derives its flags and help from this data, so a new operation or field in
 * openapi.yaml shows up in `openai-admin … --help` after `npm run generate`, with no hand-written list.
 */

/** One flag's worth of facts about a query parameter (or one property of a deepObject one) or a body field. */
interface FieldMeta {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'json';
  array?: true;
  enum?: string[];
  required?: true;
  /** Unix seconds: the CLI also accepts ISO-8601 dates. */
  time?: true;
  maximum?: number;
  description?: string;
}

/** `anyOf: [T, null]` and `$ref`s resolved to T; other unions stay as they are (read as JSON). */
function unwrap(spec: Spec, node: Schema | undefined): Schema {
  let schema = resolveRef(spec, node) ?? {};
  for (let i = 0; i < 5; i++) {
    const variants: Schema[] | undefined = schema.anyOf ?? schema.oneOf;
    if (!variants) break;
    const real = variants.map((v) => resolveRef(spec, v) ?? {}).filter((v) => v.type !== 'null');
    if (real.length !== 1) break;
    schema = { ...real[0], description: schema.description ?? real[0].description };
  }
  return schema;
}

const oneLine = (text: unknown): string | undefined =>
  typeof text === 'string' && text.trim() ? text.replace(/\s+/g, ' ').trim() : undefined;

function fieldMeta(
  spec: Spec,
  name: string,
  node: Schema | undefined,
  required: boolean,
  description?: string,
): FieldMeta {
  const schema = unwrap(spec, node);
  const isArray = schema.type === 'array';
  const item = isArray ? unwrap(spec, schema.items) : schema;
  const scalar = ['string', 'integer', 'number', 'boolean'].includes(item.type)
    ? (item.type as FieldMeta['type'])
    : 'json';
  const text = oneLine(description ?? schema.description ?? item.description);
  const meta: FieldMeta = { name, type: scalar };
  if (isArray) meta.array = true;
  const values: unknown[] | undefined = item.enum ?? (item.const !== undefined ? [item.const] : undefined);
  if (values && values.every((v) => typeof v === 'string')) meta.enum = values;
  if (required) meta.required = true;
  if (scalar === 'integer' && (/unix/i.test(text ?? '') || /(_at|_time)$/.test(name))) meta.time = true;
  if (typeof item.maximum === 'number') meta.maximum = item.maximum;
  if (text) meta.description = text;
  return meta;
}

/**
 * A request body's `x-required-one-of` and `x-mutually-exclusive` (lists of groups of field names): the rules no
 * single field's schema can say, e.g. `projects users add` names the user by user_id or by email. A name that is
 * not a field of the body fails generation.
 */
function flagRules(
  body: Schema,
  fields: string[],
  operationId: string,
): { requiredOneOf?: string[][]; mutuallyExclusive?: string[][] } {
  const out: { requiredOneOf?: string[][]; mutuallyExclusive?: string[][] } = {};
  for (const [key, name] of [
    ['x-required-one-of', 'requiredOneOf'],
    ['x-mutually-exclusive', 'mutuallyExclusive'],
  ] as const) {
    const groups: unknown = body[key];
    if (groups === undefined) continue;
    if (!Array.isArray(groups) || !groups.every((g) => Array.isArray(g) && g.length >= 2))
      throw new Error(`${operationId}: ${key} must be a list of groups of at least two field names`);
    for (const field of groups.flat())
      if (!fields.includes(field)) throw new Error(`${operationId}: ${key} names '${field}', not a body field`);
    out[name] = groups as string[][];
  }
  return out;
}

/** Every operation's CLI metadata as JSON text, by operation name, in the spec's order. */
export function cliMetadataJson(spec: Spec): Map<string, string> {
  const out = new Map<string, string>();
  for (const { op } of operations(spec)) {
    const params = resolvedParameters(spec, op);
    const query: FieldMeta[] = [];
    for (const p of params.filter((p) => p.in === 'query')) {
      const schema = unwrap(spec, p.schema);
      if (schema.type === 'object' && schema.properties) {
        // deepObject (audit logs' effective_at[gte]): one flag per property, effective_at + gte → --effective-at-gte.
        for (const [prop, sub] of Object.entries<Schema>(schema.properties)) {
          const meta = fieldMeta(spec, `${p.name}[${prop}]`, sub, false);
          if (/(_at|_time)$/.test(p.name) && meta.type === 'integer') meta.time = true;
          query.push(meta);
        }
      } else {
        query.push(fieldMeta(spec, p.name, p.schema, p.required === true, p.description));
      }
    }
    const pathParams = params
      .filter((p) => p.in === 'path')
      .map((p) => ({ name: p.name as string, description: oneLine(p.description) }));
    const bodySchema = unwrap(spec, op.requestBody?.content?.['application/json']?.schema);
    const requiredBody = new Set<string>(bodySchema.required ?? []);
    const body = Object.entries<Schema>(bodySchema.properties ?? {}).map(([name, sub]) =>
      fieldMeta(spec, name, sub, requiredBody.has(name)),
    );
    const rules = flagRules(bodySchema, Object.keys(bodySchema.properties ?? {}), op.operationId);
    const meta = {
      summary: oneLine(op.summary) ?? op.operationId,
      ...(oneLine(op.description) ? { description: oneLine(op.description) } : {}),
      pathParams,
      query,
      body,
      ...rules,
    };
    out.set(camelCase(op.operationId), JSON.stringify(meta));
  }
  return out;
}

export function buildCliMetadata(spec: Spec): string {
  // JSON text in a string literal: loading the module scans a string where an object literal would be compiled
  // and built; an operation's objects are made when its command runs or its help is shown (issue 17 §8).
  const entries = [...cliMetadataJson(spec)].map(([name, json]) => `  ${name}: ${JSON.stringify(json)},`);
  return `// This file is auto-generated by scripts/generate.ts from openapi.yaml. Do not edit.
import type { OperationName } from './operations.gen.js';

/** One query parameter (deepObject properties as \`name[prop]\`) or top-level body field, as the CLI sees it. */
export interface CliField {
  readonly name: string;
  /** json: an object or a union, given as JSON text on the command line. */
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'json';
  readonly array?: true;
  readonly enum?: readonly string[];
  readonly required?: true;
  /** Unix seconds. */
  readonly time?: true;
  readonly maximum?: number;
  readonly description?: string;
}

export interface CliOperationMeta {
  readonly summary: string;
  readonly description?: string;
  readonly pathParams: readonly { readonly name: string; readonly description?: string }[];
  readonly query: readonly CliField[];
  readonly body: readonly CliField[];
  /** Groups of body fields of which at least one must be given (x-required-one-of in the spec). */
  readonly requiredOneOf?: readonly (readonly string[])[];
  /** Groups of body fields of which at most one may be given (x-mutually-exclusive in the spec). */
  readonly mutuallyExclusive?: readonly (readonly string[])[];
}

/**
 * Per operation, as JSON text: summary, description, parameters and top-level body fields with their types and
 * enums. Parsed one operation at a time, on first use: a command line parses its own command's alone (issue 17 §8).
 */
const META_JSON: Record<OperationName, string> = {
${entries.join('\n')}
};

const parsed: Partial<Record<OperationName, CliOperationMeta>> = {};

/**
 * One operation's CLI metadata, parsed once.
 *
 * @example
 * \`\`\`ts
 * cliMetaOf('createProjectUser').requiredOneOf; // [['user_id', 'email']]
 * \`\`\`
 */
export function cliMetaOf(name: OperationName): CliOperationMeta {
  return (parsed[name] ??= JSON.parse(META_JSON[name]) as CliOperationMeta);
}

/** Every operation's CLI metadata by operationId; each entry is parsed when first read (cliMetaOf). */
export const cliMetadata: Readonly<Record<OperationName, CliOperationMeta>> = Object.defineProperties(
  {} as Record<OperationName, CliOperationMeta>,
  Object.fromEntries(
    (Object.keys(META_JSON) as OperationName[]).map((name) => [name, { enumerable: true, get: () => cliMetaOf(name) }]),
  ),
);
`;
}
