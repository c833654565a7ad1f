/**
 * Phase 1 of spec:sync: what upstream has and openapi.yaml lacks is imported with the standing curations applied as
 * rules (./rules): new operations (and the components they reach), parameters, properties, enum values — each at
 * upstream's position. Nothing curated is overwritten and nothing is deleted.
 */
import { notesOf } from '../curations';
import { collectOperations } from '../spec-diff/operations';
import { HTTP_METHODS, isAdminPath, nodeAt, unescapePointerKey, type Spec } from '../spec';
import { curateOperation, derivePagination } from './rules/operation';
import { openEnumsDeep } from './rules/open-enum';
import { applyParameterRules } from './rules/parameters';
import { TODO_KEY } from './todos';
import type { SyncChange } from './types';
import { YamlTextEditor, type YamlPath } from './yaml-edit';

type Node = Record<string, any>;

export const pointerOf = (path: YamlPath) =>
  path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** Local $refs a node uses, transitively through the components of `doc`. */
function reachableRefs(doc: Spec, node: unknown, out = new Set<string>()): Set<string> {
  const visit = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    for (const [k, v] of Object.entries(n)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/') && !out.has(v)) {
        out.add(v);
        visit(nodeAt(doc, v.slice(1)));
      } else visit(v);
    }
  };
  visit(node);
  return out;
}

/** Components reached from a request (parameters, request bodies) of an admin operation: their enums stay closed. */
function requestSideRefs(doc: Spec): Set<string> {
  const out = new Set<string>();
  for (const { op } of collectOperations(doc, isAdminPath).values()) {
    reachableRefs(doc, op.parameters, out);
    reachableRefs(doc, op.requestBody, out);
  }
  return out;
}

const resolver = (doc: Spec) => (node: Node | undefined) => {
  let n = node;
  for (let i = 0; n && typeof n.$ref === 'string' && i < 16; i++) n = nodeAt(doc, n.$ref.slice(1));
  return n;
};

/** A parsed YAML node with its keys sorted, for comparing. */
const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical((v as Node)[k])]),
        )
      : v;
/** Deep equality of two parsed YAML nodes, key order aside. */
export const sameNode = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

const paramKey = (p: Node | undefined) => (p ? `${p.in} ${p.name}` : '');

/** The key of `keys` that follows `key` in `order` and exists in `present`: where an insertion goes before. */
function nextPresent(order: string[], key: string, present: Set<string>): string | undefined {
  return order.slice(order.indexOf(key) + 1).find((k) => present.has(k));
}

export class Merger {
  readonly changes: SyncChange[] = [];
  readonly editor: YamlTextEditor;
  readonly curated: Spec;
  private readonly requestSide: Set<string>;
  private readonly resolveUp;
  private readonly resolveCur;
  /** Components imported in this run (so two new operations sharing one import it once). */
  private readonly imported = new Set<string>();

  constructor(
    text: string,
    private readonly upstream: Spec,
    /** The upstream openapi.yaml was last synced with: a node equal to base's was never curated. */
    private readonly base?: Spec,
  ) {
    this.editor = new YamlTextEditor(text);
    this.curated = this.editor.doc.toJS() as Spec;
    this.requestSide = requestSideRefs(upstream);
    this.resolveUp = resolver(upstream);
    this.resolveCur = resolver(this.curated);
  }

  run() {
    const upOps = collectOperations(this.upstream, isAdminPath);
    const curOps = collectOperations(this.curated, isAdminPath);
    const upPaths = [...new Set([...upOps.values()].map((o) => o.path))];
    const curPaths = new Set(Object.keys(this.curated.paths ?? {}));
    for (const path of upPaths) {
      const missing = HTTP_METHODS.filter(
        (m) => upOps.has(`${m.toUpperCase()} ${path}`) && !curOps.has(`${m.toUpperCase()} ${path}`),
      );
      if (!missing.length) continue;
      const curated = Object.fromEntries(
        missing.map((m) => [m, this.newOperation(m, path, upOps.get(`${m.toUpperCase()} ${path}`)!.op)]),
      );
      if (!curPaths.has(path)) {
        this.editor.addPair(['paths'], path, curated, nextPresent(upPaths, path, curPaths));
      } else {
        const present = new Set(Object.keys(this.curated.paths[path]));
        for (const m of missing)
          this.editor.addPair(['paths', path], m, curated[m], nextPresent([...HTTP_METHODS], m, present));
      }
    }
    for (const [key, u] of upOps) {
      const c = curOps.get(key);
      if (c) this.mergeOperation(u.op, c.op, ['paths', c.path, c.method]);
    }
    const upSchemas = (this.upstream.components?.schemas ?? {}) as Record<string, Node>;
    for (const [name, c] of Object.entries((this.curated.components?.schemas ?? {}) as Record<string, Node>)) {
      if (upSchemas[name])
        this.mergeSchema(
          upSchemas[name],
          c,
          ['components', 'schemas', name],
          !this.requestSide.has(`#/components/schemas/${name}`),
        );
    }
  }

  private newOperation(method: string, path: string, upstreamOp: Node): Node {
    const get = this.upstream.paths[path]?.get as Node | undefined;
    const collectionIsList = Boolean(
      get && (derivePagination(get, this.resolveUp) || /^list|list$/i.test(get.operationId ?? '')),
    );
    const { op, todos } = curateOperation(upstreamOp, method, path, this.resolveUp, collectionIsList);
    // Put the todo where a reader looks first: right after the operationId.
    const ordered: Node = {};
    for (const [k, v] of Object.entries(op)) {
      ordered[k] = v;
      if (k === 'operationId') ordered[TODO_KEY] = todos;
    }
    if (!(TODO_KEY in ordered)) ordered[TODO_KEY] = todos;
    this.changes.push({
      kind: 'operation added',
      pointer: pointerOf(['paths', path, method]),
      detail: `${method.toUpperCase()} ${path} as ${op.operationId}${op.operationId !== upstreamOp.operationId ? ` (upstream ${upstreamOp.operationId})` : ''}; ${todos.length} todo(s) for a person`,
    });
    this.importComponents(upstreamOp);
    return ordered;
  }

  /** Copies the components a new node reaches that openapi.yaml lacks (response-only schemas get open enums). */
  private importComponents(node: unknown) {
    const refs = [...reachableRefs(this.upstream, node)].sort();
    for (const ref of refs) {
      const [, , kind, name] = ref.split('/').map(unescapePointerKey);
      if (this.imported.has(ref) || nodeAt(this.curated, ref.slice(1)) !== undefined) continue;
      this.imported.add(ref);
      let value = nodeAt(this.upstream, ref.slice(1)) as Node;
      if (kind === 'schemas' && !this.requestSide.has(ref)) value = openEnumsDeep(value);
      const existing = Object.keys((this.curated.components as Record<string, Node>)?.[kind] ?? {});
      if (!existing.length) {
        this.editor.addPair(['components'], kind, { [name]: value });
      } else {
        const sorted = existing.every((k, i) => i === 0 || existing[i - 1] <= k);
        this.editor.addPair(['components', kind], name, value, sorted ? existing.find((k) => k > name) : undefined);
      }
      this.changes.push({
        kind: 'component added',
        pointer: pointerOf(['components', kind, name]),
        detail: `${kind} ${name} (reached by a new node)`,
      });
    }
  }

  private mergeOperation(u: Node, c: Node, path: YamlPath) {
    const upParams = ((u.parameters ?? []) as Node[]).map((p) => ({ raw: p, resolved: this.resolveUp(p) }));
    const curParams = ((c.parameters ?? []) as Node[]).map((p) => this.resolveCur(p));
    const curKeys = curParams.map(paramKey);
    const order = upParams.map((p) => paramKey(p.resolved));
    for (const p of upParams) {
      const key = paramKey(p.resolved);
      const at = curKeys.indexOf(key);
      if (at >= 0) {
        const cp = c.parameters[at];
        if (cp.$ref || p.raw.$ref) continue;
        const baseOp = this.base ? (nodeAt(this.base, pointerOf(path)) as Node | undefined) : undefined;
        const baseParam = ((baseOp?.parameters ?? []) as Node[]).find((b) => paramKey(b) === key);
        if (baseParam && sameNode(cp, baseParam) && !sameNode(baseParam, p.raw)) {
          this.editor.replaceItem([...path, 'parameters'], at, applyParameterRules(p.raw));
          this.changes.push({
            kind: 'parameter changed',
            pointer: pointerOf([...path, 'parameters', at]),
            detail: `${key}: upstream changed it, nobody curated it`,
          });
          continue;
        }
        this.mergeSchema(p.resolved?.schema, cp.schema, [...path, 'parameters', at, 'schema'], false);
        continue;
      }
      const value = p.raw.$ref ? p.raw : applyParameterRules(p.raw);
      if (p.raw.$ref) this.importComponents(p.raw);
      else this.importComponents(value);
      if (!curParams.length) this.editor.addPair(path, 'parameters', [value]);
      else {
        const next = nextPresent(order, key, new Set(curKeys));
        this.editor.addItem([...path, 'parameters'], value, next === undefined ? undefined : curKeys.indexOf(next));
      }
      this.changes.push({
        kind: 'parameter added',
        pointer: pointerOf([...path, 'parameters']),
        detail: `${key}${value !== p.raw ? ' (standing curations applied)' : ''}`,
      });
    }
    const uBody = this.resolveUp(u.requestBody)?.content?.['application/json']?.schema;
    const cBody = c.requestBody?.content?.['application/json']?.schema;
    if (!c.requestBody?.$ref)
      this.mergeSchema(uBody, cBody, [...path, 'requestBody', 'content', 'application/json', 'schema'], false);
    for (const [status, r] of Object.entries((c.responses ?? {}) as Record<string, Node>)) {
      const ur = this.resolveUp(u.responses?.[status]);
      if (!ur || r?.$ref) continue;
      this.mergeSchema(
        ur.content?.['application/json']?.schema,
        r?.content?.['application/json']?.schema,
        [...path, 'responses', status, 'content', 'application/json', 'schema'],
        true,
      );
    }
  }

  /** Adds the properties and enum values upstream has and the curated schema lacks; recurses where both have a node. */
  private mergeSchema(u: Node | undefined, c: Node | undefined, path: YamlPath, responseSide: boolean): void {
    if (!u || !c || typeof u !== 'object' || typeof c !== 'object' || u.$ref || c.$ref) return;
    // An opened enum: its closed branch is what upstream's enum corresponds to.
    if (Array.isArray(c.anyOf) && c.anyOf.some((b: Node) => b?.['x-open-enum']) && !u.anyOf) {
      this.mergeSchema(u, c.anyOf[0], [...path, 'anyOf', 0], responseSide);
      return;
    }
    if (Array.isArray(u.enum) && Array.isArray(c.enum)) {
      const curatedValues = c.enum.map((v: unknown) => JSON.stringify(v));
      const order = u.enum.map((v: unknown) => JSON.stringify(v));
      const present = new Set<string>(curatedValues);
      for (const v of order) {
        if (present.has(v)) continue;
        // Upstream's position: before the next upstream value openapi.yaml has.
        const next = nextPresent(order, v, present);
        this.editor.addItem(
          [...path, 'enum'],
          JSON.parse(v),
          next === undefined ? undefined : curatedValues.indexOf(next),
        );
        this.changes.push({ kind: 'enum value added', pointer: pointerOf([...path, 'enum']), detail: v });
      }
    }
    if (u.properties && c.properties) this.mergeProperties(u, c, path, responseSide);
    if (u.items && c.items) this.mergeSchema(u.items, c.items, [...path, 'items'], responseSide);
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
      if (!Array.isArray(u[k]) || !Array.isArray(c[k])) continue;
      for (let i = 0; i < Math.min(u[k].length, c[k].length); i++) {
        if (!c[k][i]?.['x-open-enum']) this.mergeSchema(u[k][i], c[k][i], [...path, k, i], responseSide);
      }
    }
  }

  private mergeProperties(u: Node, c: Node, path: YamlPath, responseSide: boolean) {
    const order = Object.keys(u.properties);
    const present = new Set(Object.keys(c.properties));
    const notes = notesOf(c).join('\n');
    for (const name of order) {
      if (present.has(name)) {
        const baseProp = this.base ? nodeAt(this.base, pointerOf([...path, 'properties', name])) : undefined;
        if (
          baseProp !== undefined &&
          sameNode(c.properties[name], baseProp) &&
          !sameNode(baseProp, u.properties[name])
        ) {
          this.editor.replacePair(
            [...path, 'properties'],
            name,
            responseSide ? openEnumsDeep(u.properties[name]) : u.properties[name],
          );
          this.changes.push({
            kind: 'property changed',
            pointer: pointerOf([...path, 'properties', name]),
            detail: 'upstream changed it, nobody curated it',
          });
          continue;
        }
        this.mergeSchema(u.properties[name], c.properties[name], [...path, 'properties', name], responseSide);
        continue;
      }
      const value = responseSide ? openEnumsDeep(u.properties[name]) : u.properties[name];
      this.editor.addPair([...path, 'properties'], name, value, nextPresent(order, name, present));
      this.importComponents(value);
      this.changes.push({
        kind: 'property added',
        pointer: pointerOf([...path, 'properties', name]),
        detail: JSON.stringify(value) !== JSON.stringify(u.properties[name]) ? 'open enum rule applied' : 'as upstream',
      });
      // Required upstream: required here too, unless a note on the schema says it is not.
      const required: unknown[] = Array.isArray(c.required) ? c.required : [];
      if (
        Array.isArray(u.required) &&
        u.required.includes(name) &&
        !required.includes(name) &&
        !notes.includes(`${name} not required`)
      ) {
        const next = nextPresent(u.required, name, new Set(required.map(String)));
        if (required.length)
          this.editor.addItem([...path, 'required'], name, next === undefined ? undefined : required.indexOf(next));
        else this.editor.addPair(path, 'required', [name]);
      }
    }
  }
}
