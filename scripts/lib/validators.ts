import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import { build } from 'esbuild';
import {
  camelCase,
  jsonTextLiteral,
  operations,
  resolvedParameters,
  successSchema,
  type Schema,
  type Spec,
} from './spec';

/**
 * Vendor keywords and formats that occur in openapi.yaml. Strict mode rejects anything else, so a new
 * keyword upstream fails generation loudly instead of being silently ignored.
 */
export const ANNOTATION_KEYWORDS = [
  'example',
  'x-stainless-const',
  'x-curation',
  'x-open-enum',
  // Flag rules the command line reads (cli-metadata.ts): which fields go together, or not.
  'x-required-one-of',
  'x-mutually-exclusive',
] as const;
/** Both are already enforced by `type: integer`; they are annotations for readers. */
export const ANNOTATION_FORMATS = ['unixtime', 'int64'] as const;

export function createAjv(options: { allErrors: boolean }) {
  const ajv = new Ajv2020({
    strict: true,
    // Unions such as `anyOf: [{type: string}, {type: null}]` are intended; don't demand `type` beside them.
    strictTypes: false,
    strictRequired: false,
    allErrors: options.allErrors,
    // Messages are composed in src/ from keyword + params; ajv's strings would only add weight.
    messages: false,
    code: { source: true, esm: false, lines: false },
  });
  for (const keyword of ANNOTATION_KEYWORDS)
    ajv.addKeyword({ keyword, schemaType: ['string', 'boolean', 'array', 'object', 'number'] });
  for (const format of ANNOTATION_FORMATS) ajv.addFormat(format, true);
  return ajv;
}

/** Prose that the compiled code would carry as dead weight. */
const DOC_KEYWORDS = new Set(['description', 'title', 'example', 'examples', 'x-curation']);
/** Data for the command line (lists of field names), never checked by the validators. */
const CLI_KEYWORDS = new Set(['x-curation', 'x-required-one-of', 'x-mutually-exclusive']);

/** Keywords a branch may carry and still be folded into a `type` list. */
const FOLDABLE = new Set(['type', 'format', 'x-stainless-const']);
const isNullBranch = (b: Schema) => b.type === 'null' && Object.keys(b).length === 1;
const isOpenCatchAll = (b: Schema) => b.type === 'string' && b['x-open-enum'] === true;

/**
 * Rewrites two union shapes the spec uses everywhere into what they mean, because ajv's 2020 dialect
 * evaluates every anyOf branch (it tracks evaluated properties) and so pays for the failing one each time:
 * - an open enum, anyOf [known strings…, any string] accepts any string: `type: string`;
 * - a nullable value, anyOf [{ type: T }, { type: null }]: `type: [T, null]`.
 * Both accept exactly the same values as before.
 */
export function foldUnions(node: Schema): Schema {
  let branches = node.anyOf as Schema[] | undefined;
  if (!Array.isArray(branches) || node.type !== undefined) return node;
  if (branches.some(isOpenCatchAll)) {
    // The other branches are string enums (inline or by $ref): the catch-all already accepts all of them.
    branches = [{ type: 'string' }, ...branches.filter((b) => !isOpenCatchAll(b) && b.type !== 'string' && !b.$ref)];
  }
  const nulls = branches.filter(isNullBranch);
  const rest = branches.filter((b) => !isNullBranch(b));
  if (rest.length !== 1 || typeof rest[0].type !== 'string' || !Object.keys(rest[0]).every((k) => FOLDABLE.has(k))) {
    return { ...node, anyOf: branches };
  }
  const { anyOf: _anyOf, ...others } = node;
  return { ...others, ...rest[0], type: nulls.length ? [rest[0].type, 'null'] : rest[0].type };
}

/** The schema as ajv compiles it: refs pointed at the shared $defs, prose dropped, unions folded. */
const prepareForAjv = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(prepareForAjv);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (DOC_KEYWORDS.has(key) && typeof value !== 'object') continue;
    if (CLI_KEYWORDS.has(key)) continue;
    out[key] =
      key === '$ref' && typeof value === 'string'
        ? value.replace('#/components/schemas/', 'urn:openai-admin:spec#/$defs/')
        : prepareForAjv(value);
  }
  return foldUnions(out);
};

/**
 * Request schemas refuse unknown properties at every level, as the query does: a misspelt body field would
 * otherwise be sent and ignored (or refused by the API after a round trip). Objects that declare
 * `additionalProperties` or `patternProperties` keep them; members of an `allOf` (and the definitions an
 * `allOf` refers to) stay open, since each member sees only its own properties. Response schemas are not
 * touched: the API adds fields over time. Pure.
 */
export function closeObjects(node: unknown, open = false): unknown {
  if (Array.isArray(node)) return node.map((item) => closeObjects(item));
  if (!node || typeof node !== 'object') return node;
  const schema = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, closeObjects(child)]));
    } else if (key === 'allOf' && Array.isArray(value)) {
      out[key] = value.map((member) => closeObjects(member, true));
    } else {
      out[key] = closeObjects(value);
    }
  }
  const isObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'));
  if (
    !open &&
    isObject &&
    schema.properties &&
    schema.additionalProperties === undefined &&
    schema.patternProperties === undefined
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** The definitions an allOf refers to: they must stay open (see closeObjects). */
function refsInAllOf(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((item) => refsInAllOf(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'allOf' && Array.isArray(value)) {
        for (const member of value) if (typeof member?.$ref === 'string') found.add(member.$ref.split('/').pop());
      }
      refsInAllOf(value, found);
    }
  }
  return found;
}

/** Request-side definitions: every object closed except those an allOf builds on. */
export function closedDefinitions(defs: Schema): Schema {
  const open = refsInAllOf(defs);
  return Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, closeObjects(def, open.has(name))]));
}

/**
 * The request of an operation as one JSON value: `{ query, body }`. Unknown query keys and unknown body fields are
 * errors (a typo would otherwise be dropped silently or sent); fields newer than the spec go through the per-call
 * `extraBody` / `extraQuery` options, merged after validation. Path ids are not in it: the runtime checks them on
 * every call with friendlier messages and stricter rules than the spec's patterns (pathIssues in
 * src/core/validation/validation.ts), so a schema for them was work on every call and bytes in every bundle.
 */
export function requestSchema(spec: Spec, op: import('./spec').Operation): Schema {
  const params = resolvedParameters(spec, op);
  const group = (where: string) => {
    const list = params.filter((p) => p.in === where);
    return {
      type: 'object',
      properties: Object.fromEntries(list.map((p) => [p.name, p.schema ?? {}])),
      required: list.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    };
  };
  const body = op.requestBody?.content?.['application/json']?.schema;
  const required = [] as string[];
  if (params.some((p) => p.in === 'query' && p.required)) required.push('query');
  if (body && op.requestBody?.required) required.push('body');
  return {
    type: 'object',
    properties: { query: group('query'), ...(body ? { body: closeObjects(body) } : {}) },
    required,
  };
}

/** One ajv instance per kind of validator: the shared $defs are added and compiled once, not per operation. */
function ajvWithDefs(defs: Schema, allErrors: boolean) {
  const ajv = createAjv({ allErrors });
  ajv.addSchema({ $id: 'urn:openai-admin:spec', $defs: defs });
  return ajv;
}

/** Adds a schema under an operation id and returns that id. */
function addOperationSchema(ajv: ReturnType<typeof createAjv>, kind: string, name: string, schema: Schema): string {
  const id = `urn:openai-admin:${kind}:${name}`;
  ajv.addSchema({ ...(prepareForAjv(schema) as Schema), $id: id });
  return id;
}

/** A standalone ESM module exporting the validators named in `exports` (export name → schema id). */
async function emit(
  ajv: ReturnType<typeof createAjv>,
  exports: Record<string, string>,
  banner: string,
): Promise<string> {
  const cjs = standaloneCode(ajv, exports);
  // Inline ajv's small runtime helpers (ucs2length, equal) so the output has no dependencies.
  const bundled = await build({
    stdin: { contents: cjs, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    legalComments: 'none',
    minify: true,
  });
  const esm = bundled.outputFiles[0].text;
  // esbuild exposes CommonJS input as one default export; re-export each validator by name.
  return `// @ts-nocheck
// This file is auto-generated by scripts/generate.ts from openapi.yaml. Do not edit.
// ${banner}
${esm.replace(/export default ([\w$]+)\(\);\s*$/, 'const validators = $1();')}
export type Validator = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; keyword: string; params: Record<string, any>; message?: string }[] | null;
};
${Object.keys(exports)
  .map((n) => `export const ${n}: Validator = validators.${n};`)
  .join('\n')}
`;
}

/** Keywords src/core/validation/schema-check.ts implements; generation fails on any other in a request schema. */
export const CHECK_KEYWORDS = new Set([
  '$ref',
  'type',
  'const',
  'enum',
  'anyOf',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'items',
  'required',
  'additionalProperties',
  'properties',
]);
/** Keywords that never fail a value (with the formats in ANNOTATION_FORMATS): left out of the data. */
const NON_VALIDATING = new Set<string>([
  'default',
  'description',
  'title',
  'examples',
  'deprecated',
  ...ANNOTATION_KEYWORDS,
]);
const DEF_PREFIX = 'urn:openai-admin:spec#/$defs/';

/**
 * A prepared schema (see prepareForAjv) as schema-check data: annotations dropped, `$ref` reduced to the
 * definition name (collected in `used`), empty `required` left out. Throws on a keyword the checker lacks.
 */
function toCheckData(node: Schema, where: string, used: Set<string>): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (NON_VALIDATING.has(key)) continue;
    if (key === 'format') {
      if (!(ANNOTATION_FORMATS as readonly string[]).includes(value))
        throw new Error(`${where}: format ${value} is not checked by src/core/validation/schema-check.ts`);
      continue;
    }
    if (!CHECK_KEYWORDS.has(key))
      throw new Error(`${where}: keyword ${key} is not implemented by src/core/validation/schema-check.ts`);
    if (key === '$ref') {
      if (!value.startsWith(DEF_PREFIX)) throw new Error(`${where}: $ref ${value} is not a component schema`);
      used.add((out.$ref = value.slice(DEF_PREFIX.length)));
    } else if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Schema).map(([name, child]) => [name, toCheckData(child, `${where}.${name}`, used)]),
      );
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = toCheckData(value, `${where}.${key}`, used);
    } else if (key === 'anyOf') {
      out.anyOf = (value as Schema[]).map((branch, i) => toCheckData(branch, `${where}.anyOf[${i}]`, used));
    } else if (key === 'required' && Array.isArray(value) && value.length === 0) {
      continue;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The request checks of every operation as data for src/core/validation/schema-check.ts: `schemas` by camelCase operation
 * name, and the (closed) definitions they refer to, once. Exactly the schemas the ajv request validators of
 * `requestAjvSchemas` compile (the unit test compares both on generated inputs).
 */
export function requestCheckData(spec: Spec): { schemas: Record<string, Schema>; defs: Record<string, Schema> } {
  const { defs: prepared, schemas: ajvSchemas } = requestAjvSchemas(spec);
  const used = new Set<string>();
  const schemas = Object.fromEntries(
    Object.entries(ajvSchemas).map(([name, schema]) => [name, toCheckData(schema, name, used)]),
  );
  const defs: Record<string, Schema> = {};
  for (const name of used) {
    if (!prepared[name]) throw new Error(`request schemas refer to a missing definition ${name}`);
    defs[name] = toCheckData(prepared[name], name, used);
  }
  return {
    schemas,
    defs: Object.fromEntries(
      Object.keys(defs)
        .sort()
        .map((k) => [k, defs[k]]),
    ),
  };
}

/** The request schemas (prepared for ajv, refs under urn:openai-admin:spec) and the closed definitions. */
export function requestAjvSchemas(spec: Spec): { schemas: Record<string, Schema>; defs: Record<string, Schema> } {
  const defs = closedDefinitions(prepareForAjv(spec.components.schemas) as Schema) as Record<string, Schema>;
  const schemas: Record<string, Schema> = {};
  for (const { op } of operations(spec))
    schemas[camelCase(op.operationId)] = prepareForAjv(requestSchema(spec, op)) as Schema;
  return { schemas, defs };
}

/** ajv (allErrors) with the request schemas under urn:openai-admin:request:<name>: what the checker must match. */
export function requestAjv(spec: Spec) {
  const { schemas, defs } = requestAjvSchemas(spec);
  const ajv = ajvWithDefs(defs, true);
  for (const [name, schema] of Object.entries(schemas))
    ajv.addSchema({ ...schema, $id: `urn:openai-admin:request:${name}` });
  return ajv;
}

/** The request-check data module: plain JSON values, so a bundle carries each shared definition once. */
function emitRequestData(spec: Spec): string {
  const { schemas, defs } = requestCheckData(spec);
  const shared = sharedSchemas({ defs, schemas });
  const text = (value: unknown) => dataText(value, shared);
  return `// This file is auto-generated by scripts/generate.ts from openapi.yaml. Do not edit.
// Request checks of every operation ({ query, body }; path ids: pathIssues) as data for validation/schema-check.ts.
import type { CheckSchema } from '../../src/core/validation/schema-check.js';

// Schemas that recur across operations (an empty query, a list's), written once.
${[...shared].map(([json, name]) => `const ${name} = ${json};`).join('\n')}

export const defs: Record<string, CheckSchema> = ${text(defs)};

export const requests: Record<string, CheckSchema> = ${text(schemas)};
`;
}

/**
 * The same request checks as JSON text, each operation's parsed when first read: what the bundled bin carries in
 * requests.gen.ts's place (scripts/lib/cli-bundle.ts). A module of object literals is compiled and built whole when
 * it loads, which every CLI command would pay at start-up for the one operation it calls (issue 17 §8). Not for
 * the library: in an app's bundle this text costs more bytes.
 */
function emitRequestText(spec: Spec): string {
  const { schemas, defs } = requestCheckData(spec);
  const literal = (value: unknown) => jsonTextLiteral(JSON.stringify(value));
  return `// This file is auto-generated by scripts/generate.ts from openapi.yaml. Do not edit.
// requests.gen.ts's request checks as JSON text, parsed per operation on first read: the bundled bin's copy.
import type { CheckSchema } from '../../src/core/validation/schema-check.js';

const REQUESTS: Record<string, string> = {
${Object.entries(schemas)
  .map(([name, schema]) => `  ${name}: ${literal(schema)},`)
  .join('\n')}
};

export const defs: Record<string, CheckSchema> = JSON.parse(${literal(defs)}) as Record<string, CheckSchema>;

export const requests: Record<string, CheckSchema> = Object.defineProperties(
  {},
  Object.fromEntries(
    Object.entries(REQUESTS).map(([name, text]) => {
      let parsed: CheckSchema | undefined;
      return [name, { enumerable: true, get: () => (parsed ??= JSON.parse(text) as CheckSchema) }];
    }),
  ),
) as Record<string, CheckSchema>;
`;
}

/**
 * Sub-schemas (objects) that occur at least SHARED_MIN_USES times, by their JSON text → a constant's name. Named
 * once in the module, they cost a bundle a few bytes per use instead of their whole text (about 60 B gzip of a
 * single-file bundle: gzip alone leaves a back-reference per use).
 */
const SHARED_MIN_USES = 20;
function sharedSchemas(data: unknown): Map<string, string> {
  const uses = new Map<string, number>();
  const visit = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    if (!Array.isArray(value)) {
      const json = JSON.stringify(value);
      uses.set(json, (uses.get(json) ?? 0) + 1);
    }
    for (const child of Object.values(value)) visit(child);
  };
  for (const top of Object.values(data as Record<string, Record<string, unknown>>))
    for (const schema of Object.values(top)) visit(schema);
  const shared = [...uses].filter(([json, n]) => n >= SHARED_MIN_USES && json.length > 20).map(([json]) => json);
  return new Map(shared.sort().map((json, i) => [json, `S${i}`]));
}

/** JSON text of `value`, with each shared sub-schema written as its constant's name. */
function dataText(value: unknown, shared: Map<string, string>): string {
  if (!value || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => dataText(item, shared)).join(',')}]`;
  const json = JSON.stringify(value);
  const name = shared.get(json);
  if (name) return name;
  return `{${Object.entries(value)
    .map(([key, item]) => `${JSON.stringify(key)}:${dataText(item, shared)}`)
    .join(',')}}`;
}

/**
 * Request checks as one data module (every error reported, by src/core/validation/schema-check.ts), loaded on the first
 * validated call. Response validators as ajv standalone code in one module (first error, fast), loaded only
 * when response validation is on.
 */
export async function buildValidators(spec: Spec): Promise<Record<string, string>> {
  const defs = prepareForAjv(spec.components.schemas) as Schema;
  const responseAjv = ajvWithDefs(defs, false);
  const responses: Record<string, string> = {};
  for (const { op } of operations(spec)) {
    const success = successSchema(op);
    if (success)
      responses[camelCase(op.operationId)] = addOperationSchema(
        responseAjv,
        'response',
        camelCase(op.operationId),
        success,
      );
  }
  return {
    requests: emitRequestData(spec),
    'requests-text': emitRequestText(spec),
    responses: await emit(responseAjv, responses, 'Response validators: the success body per operation.'),
  };
}
