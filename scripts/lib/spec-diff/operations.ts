/** Pairing the two specs: operations by METHOD + path, parameters by `in` + `name`, the JSON content of a body. */
import type { Site } from '../curations';
import {
  HTTP_METHODS,
  joinPointer as join,
  nodeAt as at,
  type Operation,
  type Parameter,
  type Schema,
  type Spec,
} from '../spec';
import { deref } from './flatten';

export interface OpRef {
  method: string;
  path: string;
  op: Operation;
  pointer: string;
}

export interface ParamRef {
  param: Parameter;
  /** Curated pointer of the (resolved) parameter node(s). */
  sites: Site[];
  schemaSite: Site;
}

/** Each node of a $ref trail as a site of its own (its notes, not its ancestors', explain a difference). */
export const trailSites = (trail: string[]): Site[] => trail.map((p) => ({ pointer: p, floor: p }));

/** Where the schema of a media type sits under a request body or response, notes searched up to it. */
export const contentSite = (owner: { pointer: string }, mediaType: string): Site => ({
  pointer: join(owner.pointer, 'content', mediaType, 'schema'),
  floor: owner.pointer,
});

/** The operation node and its path item: their notes explain operation-level differences only. */
export function opSites(c: OpRef): Site[] {
  const pathItem = join('/paths', c.path);
  return [
    { pointer: c.pointer, floor: c.pointer },
    { pointer: pathItem, floor: pathItem },
  ];
}

/** Operations keyed "GET /organization/projects", in document order. */
export function collectOperations(doc: Spec, filter: (path: string) => boolean): Map<string, OpRef> {
  const ops = new Map<string, OpRef>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!filter(path) || !item) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op) ops.set(`${method.toUpperCase()} ${path}`, { method, path, op, pointer: join('/paths', path, method) });
    }
  }
  return ops;
}

/** Path-item and operation parameters keyed "query limit", $refs resolved. */
export function collectParams(doc: Spec, ref: OpRef): Map<string, ParamRef> {
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

/** The application/json entry of a content map (else the first one), as [media type, schema]. */
export function jsonContent(
  content: Record<string, { schema?: Schema }> | undefined,
): [string, Schema | undefined] | undefined {
  if (!content) return undefined;
  if (content['application/json']) return ['application/json', content['application/json'].schema];
  const first = Object.keys(content)[0];
  return first ? [first, content[first].schema] : undefined;
}
