/**
 * Pure diff of an upstream OpenAPI document's admin part against the curated openapi.yaml.
 *
 * Operations are matched by METHOD + path. For each matched operation the diff compares the operationId, the
 * response status codes, the parameters (matched by `in` + `name`) and the JSON schemas of the request body and of the
 * responses present on both sides. Schemas are flattened into "logical nodes" (`data[].role`, `.results[]<Variant>.x`)
 * by following $ref, allOf, anyOf/oneOf and items; cycles are cut at the first repeated $ref and depth is bounded.
 *
 * Classification: a difference is "documented" when a node of openapi.yaml on its resolved path carries an
 * `x-curation` note, else "unexplained". For a schema difference the nodes searched are every curated node that makes
 * up the logical node (the property node, the component schemas its $refs resolve to, its anyOf/allOf branches) and
 * their JSON ancestors up to the enclosing component schema or up to the parameter / request body / response node.
 * The operation node (and its path item) documents operation-level differences only: operationId, status codes,
 * parameters added or removed, request body added or removed. Notes on the document root are not consulted (they
 * describe the admin-only extraction as a whole, which this diff does not report on).
 */
import type { Operation, Parameter, Schema, Spec } from './spec';
import { notesAlong, type Site } from './curations';
import { HTTP_METHODS, isAdminPath, joinPointer as join, nodeAt as at } from './spec';

export type Area = 'operation' | 'operationId' | 'status' | 'parameter' | 'requestBody' | 'response';
/** `added`: upstream has it, openapi.yaml does not. `removed`: openapi.yaml has it, upstream does not. */
export type Change = 'added' | 'removed' | 'changed';
export type Classification = 'documented' | 'unexplained';

export interface Difference {
  /** "GET /organization/projects" */
  operation: string;
  area: Area;
  change: Change;
  /** What differs inside the area: a parameter ("query limit"), a status code, a schema location ("200 data[].role"). */
  subject: string;
  /** Human-readable upstream-vs-curated description. */
  detail: string;
  classification: Classification;
  /** JSON pointer (in openapi.yaml) of the node where the difference occurs, or its nearest existing ancestor. */
  pointer?: string;
  /** The x-curation notes that document it, with the pointer of the node carrying each. */
  notes: { pointer: string; note: string }[];
}

export interface DiffResult {
  upstreamOperations: number;
  curatedOperations: number;
  differences: Difference[];
  documented: number;
  unexplained: number;
}

/** Depth bound for schema flattening: deeper than any schema of the admin API, shallow enough for cycles. */
const MAX_DEPTH = 24;

// ---------------------------------------------------------------------------------------------------------------
// JSON pointers

// ---------------------------------------------------------------------------------------------------------------
// Schema flattening

interface FlatNode {
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
  /** Schema nodes visited so far; the walk stops at MAX_VISITS so a pathological document cannot blow it up. */
  visits: number;
}

const MAX_VISITS = 100_000;

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

function resolveLocal(doc: Spec, ref: string): { target: any; pointer: string } | undefined {
  if (!ref.startsWith('#')) return undefined;
  const pointer = ref.slice(1);
  return { target: at(doc, pointer), pointer };
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
  return Boolean(schema.properties) || types.includes('object') || (Array.isArray(schema.allOf) && schema.allOf.some((s: Schema) => isObjectish(doc, s, seen)));
}

function branchName(branch: Schema, index: number): string {
  if (typeof branch?.$ref === 'string') return branch.$ref.split('/').pop()!;
  return `#${index}`;
}

function walk(ctx: WalkContext, schema: unknown, site: Site, node: FlatNode, depth: number): void {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  const s = schema as Schema;
  node.sites.push(site);
  if (depth > ctx.maxDepth || ++ctx.visits > MAX_VISITS) return;

  if (typeof s.$ref === 'string') {
    if (ctx.refStack.includes(s.$ref)) {
      node.types.add(`(recursive ${s.$ref.split('/').pop()})`);
    } else {
      const resolved = resolveLocal(ctx.doc, s.$ref);
      if (resolved?.target !== undefined) {
        ctx.refStack.push(s.$ref);
        walk(ctx, resolved.target, { pointer: resolved.pointer, floor: componentFloor(resolved.pointer) }, node, depth + 1);
        ctx.refStack.pop();
      } else {
        node.types.add(`(unresolved ${s.$ref})`);
      }
    }
  }

  const types: unknown[] = Array.isArray(s.type) ? s.type : s.type !== undefined ? [s.type] : [];
  for (const t of types) node.types.add(String(t));
  if (s.nullable === true) node.types.add('null');
  if ('const' in s) {
    node.enumValues.add(JSON.stringify(s.const));
    node.types.add(s.const === null ? 'null' : typeof s.const === 'number' ? (Number.isInteger(s.const) ? 'integer' : 'number') : typeof s.const);
  }
  if (Array.isArray(s.enum)) {
    for (const v of s.enum) {
      node.enumValues.add(JSON.stringify(v));
      if (v === null) node.types.add('null');
    }
  }
  if (types.includes('string') && !Array.isArray(s.enum) && !('const' in s)) node.freeString = true;
  for (const c of CONSTRAINTS) {
    if (s[c] === undefined) continue;
    let set = node.constraints.get(c);
    if (!set) node.constraints.set(c, (set = new Set()));
    set.add(JSON.stringify(s[c]));
  }
  if (typeof s.additionalProperties === 'boolean') {
    let set = node.constraints.get('additionalProperties');
    if (!set) node.constraints.set('additionalProperties', (set = new Set()));
    set.add(String(s.additionalProperties));
  }
  if (s.discriminator && typeof s.discriminator === 'object') node.discriminator.add(String(s.discriminator.propertyName));

  if (Array.isArray(s.allOf)) {
    s.allOf.forEach((part: Schema, i: number) => walk(ctx, part, { pointer: join(site.pointer, 'allOf', i), floor: site.floor }, node, depth + 1));
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = s[keyword];
    if (!Array.isArray(branches)) continue;
    const objectish = branches.map((b: Schema) => isObjectish(ctx.doc, b));
    const split = objectish.filter(Boolean).length >= 2;
    branches.forEach((branch: Schema, i: number) => {
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
    walk(ctx, s.additionalProperties, { pointer: join(site.pointer, 'additionalProperties'), floor: site.floor }, child, depth + 1);
  }
}

/** Flattens a schema into logical nodes keyed by location ("", ".data", ".data[]", ".data[].role", ...). */
export function flattenSchema(doc: Spec, schema: unknown, site: Site, maxDepth = MAX_DEPTH): Map<string, FlatNode> {
  const ctx: WalkContext = { doc, out: new Map(), maxDepth, refStack: [], visits: 0 };
  walk(ctx, schema, site, nodeFor(ctx, '', ''), 0);
  return ctx.out;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison

const fmtSet = (set: Set<string>) => (set.size ? [...set].sort().join('|') : '(none)');
const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((v) => b.has(v));
const fmtValues = (values: string[]) => values.map((v) => (v.startsWith('"') ? JSON.parse(v) : v)).join(', ');

interface Emit {
  (d: Omit<Difference, 'classification' | 'notes' | 'operation' | 'area'> & { sites: Site[] }): void;
}

function isOpen(node: FlatNode) {
  return node.enumValues.size > 0 && node.freeString;
}

const requiredDetail = (upstream: unknown, curated: unknown) =>
  `required: upstream ${upstream ? 'required' : 'optional'}, curated ${curated ? 'required' : 'optional'}`;

/** Each node of a $ref trail as a site of its own (its notes, not its ancestors', explain a difference). */
const trailSites = (trail: string[]): Site[] => trail.map((p) => ({ pointer: p, floor: p }));

/** Where the schema of a media type sits under a request body or response, notes searched up to it. */
const contentSite = (owner: { pointer: string }, mediaType: string): Site => ({
  pointer: join(owner.pointer, 'content', mediaType, 'schema'),
  floor: owner.pointer,
});

/** Compares two flattened schemas and emits every difference. `prefix` goes in front of each subject. */
function compareFlat(up: Map<string, FlatNode>, cur: Map<string, FlatNode>, prefix: string, emit: Emit) {
  const subject = (label: string) => `${prefix}${label.replace(/^\./, '')}`.trim() || '(body)';
  for (const [key, u] of up) {
    const c = cur.get(key);
    if (!c) {
      // Report only the topmost missing node.
      if (u.parent !== undefined && !cur.has(u.parent)) continue;
      const parent = u.parent !== undefined ? cur.get(u.parent) : undefined;
      emit({ change: 'added', subject: subject(u.label), detail: `upstream has ${describe(u)}, openapi.yaml does not`, sites: parent?.sites ?? [] });
      continue;
    }
    const changes: string[] = [];
    if (!sameSet(u.types, c.types)) changes.push(`type: upstream ${fmtSet(u.types)}, curated ${fmtSet(c.types)}`);
    const enumAdded = [...u.enumValues].filter((v) => !c.enumValues.has(v));
    const enumRemoved = [...c.enumValues].filter((v) => !u.enumValues.has(v));
    if (enumAdded.length) changes.push(`enum values only upstream: ${fmtValues(enumAdded)}`);
    if (enumRemoved.length) changes.push(`enum values only curated: ${fmtValues(enumRemoved)}`);
    if (isOpen(u) !== isOpen(c) && (u.enumValues.size || c.enumValues.size))
      changes.push(isOpen(c) ? 'enum opened: curated also accepts any string' : 'enum closed: upstream accepts any string');
    const constraintNames = new Set([...u.constraints.keys(), ...c.constraints.keys()]);
    for (const name of [...constraintNames].sort()) {
      const a = u.constraints.get(name) ?? new Set<string>();
      const b = c.constraints.get(name) ?? new Set<string>();
      if (!sameSet(a, b)) changes.push(`${name}: upstream ${fmtSet(a)}, curated ${fmtSet(b)}`);
    }
    if (!sameSet(u.discriminator, c.discriminator))
      changes.push(`discriminator: upstream ${fmtSet(u.discriminator)}, curated ${fmtSet(c.discriminator)}`);
    if (changes.length) emit({ change: 'changed', subject: subject(u.label), detail: changes.join('; '), sites: c.sites });

    // Required-ness of the properties of this node: occurs on this object node and on the property node.
    const names = new Set([...u.requiredProps, ...c.requiredProps]);
    for (const name of [...names].sort()) {
      const ru = u.requiredProps.has(name);
      const rc = c.requiredProps.has(name);
      if (ru === rc) continue;
      const childSites = cur.get(`${key}.${name}`)?.sites ?? [];
      emit({
        change: 'changed',
        subject: subject(`${u.label}.${name}`),
        detail: requiredDetail(ru, rc),
        sites: [...c.sites, ...childSites],
      });
    }
  }
  for (const [key, c] of cur) {
    if (up.has(key)) continue;
    if (c.parent !== undefined && !up.has(c.parent)) continue;
    emit({ change: 'removed', subject: subject(c.label), detail: `openapi.yaml has ${describe(c)}, upstream does not`, sites: c.sites });
  }
}

function describe(node: FlatNode): string {
  const t = fmtSet(node.types);
  return node.label ? `${node.label.split(/[.[<{]/).pop() || node.label} (${t})` : `a schema (${t})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Operations

interface OpRef {
  method: string;
  path: string;
  op: Operation;
  pointer: string;
}

function collectOperations(doc: Spec, filter: (path: string) => boolean): Map<string, OpRef> {
  const ops = new Map<string, OpRef>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!filter(path) || !item) continue;
    for (const method of HTTP_METHODS) {
      const op = (item)[method];
      if (op) ops.set(`${method.toUpperCase()} ${path}`, { method, path, op, pointer: join('/paths', path, method) });
    }
  }
  return ops;
}

interface ParamRef {
  param: Parameter;
  /** Curated pointer of the (resolved) parameter node(s). */
  sites: Site[];
  schemaSite: Site;
}

function deref(doc: Spec, node: any, pointer: string): { node: any; pointer: string; trail: string[] } {
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

function collectParams(doc: Spec, ref: OpRef): Map<string, ParamRef> {
  const params = new Map<string, ParamRef>();
  const pathItemPointer = join('/paths', ref.path);
  const sources: [unknown, string][] = [
    [at(doc, pathItemPointer)?.parameters, join(pathItemPointer, 'parameters')],
    [ref.op.parameters, join(ref.pointer, 'parameters')],
  ];
  for (const [list, listPointer] of sources) {
    if (!Array.isArray(list)) continue;
    list.forEach((raw, i) => {
      const { node, pointer, trail } = deref(doc, raw, join(listPointer, i));
      if (!node || typeof node !== 'object') return;
      const param = node as Parameter;
      params.set(`${param.in} ${param.name}`, {
        param,
        sites: trailSites(trail),
        schemaSite: { pointer: join(pointer, 'schema'), floor: pointer },
      });
    });
  }
  return params;
}

function jsonContent(content: Record<string, { schema?: Schema }> | undefined): [string, Schema | undefined] | undefined {
  if (!content) return undefined;
  if (content['application/json']) return ['application/json', content['application/json'].schema];
  const first = Object.keys(content)[0];
  return first ? [first, content[first].schema] : undefined;
}

/** Compares the admin part (/organization* and /projects*) of two specs. */
export function diffSpecs(upstream: Spec, curated: Spec): DiffResult {
  const upOps = collectOperations(upstream, isAdminPath);
  const curOps = collectOperations(curated, isAdminPath);
  const differences: Difference[] = [];

  const push = (operation: string, area: Area, d: Omit<Difference, 'classification' | 'notes' | 'operation' | 'area'> & { sites: Site[] }) => {
    const seen = new Set<string>();
    const notes = d.sites
      .flatMap((site) => notesAlong(curated, site))
      .filter((n) => !seen.has(`${n.pointer}\n${n.note}`) && seen.add(`${n.pointer}\n${n.note}`));
    const { sites, ...rest } = d;
    differences.push({
      operation,
      area,
      ...rest,
      pointer: rest.pointer ?? sites[0]?.pointer,
      classification: notes.length ? 'documented' : 'unexplained',
      notes,
    });
  };

  for (const [key, u] of upOps) {
    const c = curOps.get(key);
    if (!c) {
      const pathItem = join('/paths', u.path);
      const sites = at(curated, pathItem) ? [{ pointer: pathItem, floor: pathItem }] : [];
      push(key, 'operation', { change: 'added', subject: u.op.operationId ?? key, detail: 'operation exists upstream, not in openapi.yaml', sites });
      continue;
    }
    diffOperation(key, u, c);
  }
  for (const [key, c] of curOps) {
    if (upOps.has(key)) continue;
    push(key, 'operation', {
      change: 'removed',
      subject: c.op.operationId ?? key,
      detail: 'operation exists in openapi.yaml, not upstream',
      sites: opSites(c),
    });
  }

  function opSites(c: OpRef): Site[] {
    const pathItem = join('/paths', c.path);
    return [
      { pointer: c.pointer, floor: c.pointer },
      { pointer: pathItem, floor: pathItem },
    ];
  }

  function diffOperation(key: string, u: OpRef, c: OpRef) {
    const opLevel = opSites(c);
    /** Flattens and compares an upstream and a curated schema; `extraSites` join every difference's sites. */
    const compareSchemas = (area: Area, prefix: string, [uSchema, uSite]: [unknown, Site], [cSchema, cSite]: [unknown, Site], extraSites: Site[]) =>
      compareFlat(flattenSchema(upstream, uSchema, uSite), flattenSchema(curated, cSchema, cSite), prefix, (d) =>
        push(key, area, { ...d, sites: [...d.sites, ...extraSites] }),
      );
    if (u.op.operationId !== c.op.operationId) {
      push(key, 'operationId', {
        change: 'changed',
        subject: 'operationId',
        detail: `renamed: upstream ${u.op.operationId}, curated ${c.op.operationId}`,
        sites: opLevel,
        pointer: c.pointer,
      });
    }

    // Parameters.
    const up = collectParams(upstream, u);
    const cp = collectParams(curated, c);
    for (const [name, p] of up) {
      const q = cp.get(name);
      if (!q) {
        push(key, 'parameter', { change: 'added', subject: name, detail: 'parameter exists upstream, not in openapi.yaml', sites: opLevel, pointer: c.pointer });
        continue;
      }
      const siteList = q.sites;
      if (Boolean(p.param.required) !== Boolean(q.param.required)) {
        push(key, 'parameter', {
          change: 'changed',
          subject: name,
          detail: requiredDetail(p.param.required, q.param.required),
          sites: siteList,
        });
      }
      compareSchemas('parameter', `${name} `, [p.param.schema, p.schemaSite], [q.param.schema, q.schemaSite], siteList);
    }
    for (const [name, q] of cp) {
      if (up.has(name)) continue;
      push(key, 'parameter', { change: 'removed', subject: name, detail: 'parameter exists in openapi.yaml, not upstream', sites: [...q.sites, ...opLevel] });
    }

    // Request body.
    const ub = deref(upstream, u.op.requestBody, join(u.pointer, 'requestBody'));
    const cb = deref(curated, c.op.requestBody, join(c.pointer, 'requestBody'));
    if (ub.node && !cb.node) {
      push(key, 'requestBody', { change: 'added', subject: 'request body', detail: 'upstream has a request body, openapi.yaml does not', sites: opLevel });
    } else if (!ub.node && cb.node) {
      push(key, 'requestBody', {
        change: 'removed',
        subject: 'request body',
        detail: 'openapi.yaml has a request body, upstream does not',
        sites: [...trailSites(cb.trail), ...opLevel],
      });
    } else if (ub.node && cb.node) {
      const bodySites = trailSites(cb.trail);
      if (Boolean(ub.node.required) !== Boolean(cb.node.required)) {
        push(key, 'requestBody', {
          change: 'changed',
          subject: 'request body',
          detail: requiredDetail(ub.node.required, cb.node.required),
          sites: bodySites,
        });
      }
      const uj = jsonContent(ub.node.content);
      const cj = jsonContent(cb.node.content);
      if (uj && cj) {
        if (uj[0] !== cj[0]) {
          push(key, 'requestBody', { change: 'changed', subject: 'request body', detail: `media type: upstream ${uj[0]}, curated ${cj[0]}`, sites: bodySites });
        }
        compareSchemas('requestBody', 'body ', [uj[1], contentSite(ub, uj[0])], [cj[1], contentSite(cb, cj[0])], bodySites);
      }
    }

    // Responses.
    const ur = u.op.responses ?? {};
    const cr = c.op.responses ?? {};
    for (const status of Object.keys(ur)) {
      if (!(status in cr)) {
        push(key, 'status', { change: 'added', subject: status, detail: `upstream declares response ${status}, openapi.yaml does not`, sites: opLevel, pointer: c.pointer });
      }
    }
    for (const status of Object.keys(cr)) {
      const cResponsePointer = join(c.pointer, 'responses', status);
      if (!(status in ur)) {
        push(key, 'status', {
          change: 'removed',
          subject: status,
          detail: `openapi.yaml declares response ${status}, upstream does not`,
          sites: [{ pointer: cResponsePointer, floor: cResponsePointer }, ...opLevel],
        });
        continue;
      }
      const ures = deref(upstream, ur[status], join(u.pointer, 'responses', status));
      const cres = deref(curated, cr[status], cResponsePointer);
      const responseSites = trailSites(cres.trail);
      const uj = jsonContent(ures.node?.content);
      const cj = jsonContent(cres.node?.content);
      if (!uj && !cj) continue;
      if (!uj || !cj) {
        push(key, 'response', {
          change: uj ? 'added' : 'removed',
          subject: `${status} body`,
          detail: uj ? 'upstream has a response body, openapi.yaml does not' : 'openapi.yaml has a response body, upstream does not',
          sites: responseSites,
        });
        continue;
      }
      compareSchemas('response', `${status} `, [uj[1], contentSite(ures, uj[0])], [cj[1], contentSite(cres, cj[0])], responseSites);
    }
  }

  const documented = differences.filter((d) => d.classification === 'documented').length;
  return {
    upstreamOperations: upOps.size,
    curatedOperations: curOps.size,
    differences,
    documented,
    unexplained: differences.length - documented,
  };
}

/** Short human-readable report, grouped by operation, unexplained differences first within each group. */
export function renderReport(result: DiffResult, { verbose = false }: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  const byOp = new Map<string, Difference[]>();
  for (const d of result.differences) {
    if (!byOp.has(d.operation)) byOp.set(d.operation, []);
    byOp.get(d.operation)!.push(d);
  }
  const sign = { added: '+', removed: '-', changed: '~' } as const;
  for (const [op, diffs] of byOp) {
    lines.push(op);
    diffs.sort((a, b) => Number(a.classification === 'documented') - Number(b.classification === 'documented'));
    for (const d of diffs) {
      const tag = d.classification === 'unexplained' ? 'UNEXPLAINED' : 'documented';
      const what = d.subject === d.area ? d.area : `${d.area} ${d.subject}`;
      lines.push(`  ${sign[d.change]} [${tag}] ${what}: ${d.detail}`);
      if (d.classification === 'unexplained' && d.pointer) lines.push(`      at ${d.pointer} (no x-curation note)`);
      if (verbose && d.notes.length) for (const n of d.notes) lines.push(`      note at ${n.pointer}: ${n.note}`);
    }
  }
  lines.push('');
  lines.push(
    `${result.upstreamOperations} upstream operations, ${result.curatedOperations} in openapi.yaml; ` +
      `${result.differences.length} differences: ${result.documented} documented, ${result.unexplained} unexplained` +
      (result.unexplained ? ' (drift)' : ''),
  );
  return lines.join('\n');
}
