/**
 * Schema flattening: a JSON schema becomes a map of "logical nodes" (`data[].role`, `.results[]<Variant>.x`) by
 * following $ref, allOf, anyOf/oneOf and items; cycles are cut at the first repeated $ref and depth is bounded. Each
 * logical node remembers every curated node ("site") that makes it up, so a difference can be matched to its notes.
 */
import type { Site } from '../curations';
import { joinPointer as join, nodeAt as at, type Schema, type Spec } from '../spec';

/** Depth bound for schema flattening: deeper than any schema of the admin API, shallow enough for cycles. */
const MAX_DEPTH = 24;
/** Schema nodes visited per flattening; a pathological document cannot blow the walk up. */
const MAX_VISITS = 100_000;

export interface FlatNode {
  key: string;
  parent?: string;
  /** Display label of the logical location. */
  label: string;
  types: Set<string>;
  enumValues: Set<string>;
  freeString: boolean;
  constraints: Map<string, Set<string>>;
  discriminator: Set<string>;
  requiredProps: Set<string>;
  sites: Site[];
}

const CONSTRAINTS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'default',
] as const;

interface WalkContext {
  doc: Spec;
  out: Map<string, FlatNode>;
  maxDepth: number;
  refStack: string[];
  visits: number;
}

function nodeFor(ctx: WalkContext, key: string, label: string, parent?: string): FlatNode {
  let node = ctx.out.get(key);
  if (!node) {
    node = {
      key,
      parent,
      label,
      types: new Set(),
      enumValues: new Set(),
      freeString: false,
      constraints: new Map(),
      discriminator: new Set(),
      requiredProps: new Set(),
      sites: [],
    };
    ctx.out.set(key, node);
  }
  return node;
}

export function resolveLocal(doc: Spec, ref: string): { target: any; pointer: string } | undefined {
  if (!ref.startsWith('#')) return undefined;
  const pointer = ref.slice(1);
  return { target: at(doc, pointer), pointer };
}

/** Follows a chain of $refs from `node`; `trail` lists the pointer of every node passed through. */
export function deref(doc: Spec, node: any, pointer: string): { node: any; pointer: string; trail: string[] } {
  const trail = [pointer];
  const seen = new Set<string>();
  while (node && typeof node.$ref === 'string' && !seen.has(node.$ref)) {
    seen.add(node.$ref);
    const resolved = resolveLocal(doc, node.$ref);
    if (!resolved) break;
    node = resolved.target;
    pointer = resolved.pointer;
    trail.push(pointer);
  }
  return { node, pointer, trail };
}

/** Floor for a component pointer: the component itself (/components/schemas/X). */
function componentFloor(pointer: string): string {
  return pointer.split('/').slice(0, 4).join('/');
}

function isObjectish(doc: Spec, schema: Schema | undefined, seen = new Set<string>()): boolean {
  if (!schema || typeof schema !== 'object') return false;
  if (typeof schema.$ref === 'string') {
    if (seen.has(schema.$ref)) return false;
    seen.add(schema.$ref);
    return isObjectish(doc, resolveLocal(doc, schema.$ref)?.target, seen);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return (
    Boolean(schema.properties) ||
    types.includes('object') ||
    (Array.isArray(schema.allOf) && schema.allOf.some((s: Schema) => isObjectish(doc, s, seen)))
  );
}

function branchName(branch: Schema, index: number): string {
  if (typeof branch?.$ref === 'string') return branch.$ref.split('/').pop()!;
  return `#${index}`;
}

const addTo = (map: Map<string, Set<string>>, name: string, value: string) => {
  let set = map.get(name);
  if (!set) map.set(name, (set = new Set()));
  set.add(value);
};

/** Records the keywords of one schema node that describe its own value (type, enum, constraints). */
function recordValueFacts(s: Schema, node: FlatNode) {
  const types: unknown[] = Array.isArray(s.type) ? s.type : s.type !== undefined ? [s.type] : [];
  for (const t of types) node.types.add(String(t));
  if (s.nullable === true) node.types.add('null');
  if ('const' in s) {
    node.enumValues.add(JSON.stringify(s.const));
    node.types.add(
      s.const === null
        ? 'null'
        : typeof s.const === 'number'
          ? Number.isInteger(s.const)
            ? 'integer'
            : 'number'
          : typeof s.const,
    );
  }
  if (Array.isArray(s.enum)) {
    for (const v of s.enum) {
      node.enumValues.add(JSON.stringify(v));
      if (v === null) node.types.add('null');
    }
  }
  if (types.includes('string') && !Array.isArray(s.enum) && !('const' in s)) node.freeString = true;
  for (const c of CONSTRAINTS) if (s[c] !== undefined) addTo(node.constraints, c, JSON.stringify(s[c]));
  if (typeof s.additionalProperties === 'boolean')
    addTo(node.constraints, 'additionalProperties', String(s.additionalProperties));
  if (s.discriminator && typeof s.discriminator === 'object')
    node.discriminator.add(String(s.discriminator.propertyName));
}

function walkRef(ctx: WalkContext, ref: string, node: FlatNode, depth: number) {
  if (ctx.refStack.includes(ref)) {
    node.types.add(`(recursive ${ref.split('/').pop()})`);
    return;
  }
  const resolved = resolveLocal(ctx.doc, ref);
  if (resolved?.target === undefined) {
    node.types.add(`(unresolved ${ref})`);
    return;
  }
  ctx.refStack.push(ref);
  walk(ctx, resolved.target, { pointer: resolved.pointer, floor: componentFloor(resolved.pointer) }, node, depth + 1);
  ctx.refStack.pop();
}

/** anyOf/oneOf: two or more object branches become child nodes (`<Variant>`); the other branches merge into `node`. */
function walkUnion(
  ctx: WalkContext,
  keyword: 'anyOf' | 'oneOf',
  branches: Schema[],
  site: Site,
  node: FlatNode,
  depth: number,
) {
  const objectish = branches.map((b) => isObjectish(ctx.doc, b));
  const split = objectish.filter(Boolean).length >= 2;
  branches.forEach((branch, i) => {
    const branchSite = { pointer: join(site.pointer, keyword, i), floor: site.floor };
    if (split && objectish[i]) {
      node.types.add('object');
      const name = branchName(branch, i);
      const child = nodeFor(ctx, `${node.key}<${name}>`, `${node.label}<${name}>`, node.key);
      walk(ctx, branch, branchSite, child, depth + 1);
    } else {
      walk(ctx, branch, branchSite, node, depth + 1);
    }
  });
}

/** Properties, items and additionalProperties: each a child node (`.name`, `[]`, `{}`). */
function walkChildren(ctx: WalkContext, s: Schema, site: Site, node: FlatNode, depth: number) {
  if (s.properties && typeof s.properties === 'object') {
    for (const [name, prop] of Object.entries(s.properties)) {
      const child = nodeFor(ctx, `${node.key}.${name}`, `${node.label}.${name}`, node.key);
      walk(ctx, prop, { pointer: join(site.pointer, 'properties', name), floor: site.floor }, child, depth + 1);
    }
  }
  if (Array.isArray(s.required)) for (const name of s.required) node.requiredProps.add(String(name));
  if (s.items && typeof s.items === 'object') {
    const child = nodeFor(ctx, `${node.key}[]`, `${node.label}[]`, node.key);
    walk(ctx, s.items, { pointer: join(site.pointer, 'items'), floor: site.floor }, child, depth + 1);
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    const child = nodeFor(ctx, `${node.key}{}`, `${node.label}{}`, node.key);
    walk(
      ctx,
      s.additionalProperties,
      { pointer: join(site.pointer, 'additionalProperties'), floor: site.floor },
      child,
      depth + 1,
    );
  }
}

function walk(ctx: WalkContext, schema: unknown, site: Site, node: FlatNode, depth: number): void {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  const s = schema as Schema;
  node.sites.push(site);
  if (depth > ctx.maxDepth || ++ctx.visits > MAX_VISITS) return;
  if (typeof s.$ref === 'string') walkRef(ctx, s.$ref, node, depth);
  recordValueFacts(s, node);
  if (Array.isArray(s.allOf)) {
    s.allOf.forEach((part: Schema, i: number) =>
      walk(ctx, part, { pointer: join(site.pointer, 'allOf', i), floor: site.floor }, node, depth + 1),
    );
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[keyword])) walkUnion(ctx, keyword, s[keyword], site, node, depth);
  }
  walkChildren(ctx, s, site, node, depth);
}

/** Flattens a schema into logical nodes keyed by location ("", ".data", ".data[]", ".data[].role", ...). */
export function flattenSchema(doc: Spec, schema: unknown, site: Site, maxDepth = MAX_DEPTH): Map<string, FlatNode> {
  const ctx: WalkContext = { doc, out: new Map(), maxDepth, refStack: [], visits: 0 };
  walk(ctx, schema, site, nodeFor(ctx, '', ''), 0);
  return ctx.out;
}
