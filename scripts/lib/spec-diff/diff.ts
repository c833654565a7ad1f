/**
 * The diff of an upstream OpenAPI document's admin part against the curated openapi.yaml.
 *
 * Operations are matched by METHOD + path (operations.ts). For each matched operation the diff compares the
 * operationId, the response status codes, the parameters and the flattened JSON schemas of the request body and of the
 * responses present on both sides (compare-operation.ts, compare-schemas.ts, flatten.ts).
 *
 * Sites searched for notes (classify.ts): for a schema difference, every curated node that makes up the logical node
 * (the property node, the component schemas its $refs resolve to, its anyOf/allOf branches) and their JSON ancestors up
 * to the enclosing component schema or up to the parameter / request body / response node. The operation node (and its
 * path item) documents operation-level differences only: operationId, status codes, parameters added or removed,
 * request body added or removed. Notes on the document root are not consulted (they describe the admin-only extraction
 * as a whole, which this diff does not report on).
 */
import { joinPointer as join, isAdminPath, nodeAt as at, type Spec } from '../spec';
import { classify } from './classify';
import { compareOperation } from './compare-operation';
import { collectOperations, opSites } from './operations';
import type { Area, DiffResult, Difference, Finding } from './types';

/** Compares the admin part (/organization* and /projects*) of two specs. */
export function diffSpecs(upstream: Spec, curated: Spec): DiffResult {
  const upOps = collectOperations(upstream, isAdminPath);
  const curOps = collectOperations(curated, isAdminPath);
  const differences: Difference[] = [];
  const push = (operation: string, area: Area, finding: Finding) =>
    differences.push(classify(curated, operation, area, finding));

  for (const [key, u] of upOps) {
    const c = curOps.get(key);
    if (c) {
      compareOperation({ upstream, curated, u, c, emit: (area, finding) => push(key, area, finding) });
      continue;
    }
    const pathItem = join('/paths', u.path);
    const sites = at(curated, pathItem) ? [{ pointer: pathItem, floor: pathItem }] : [];
    push(key, 'operation', {
      change: 'added',
      subject: u.op.operationId ?? key,
      detail: 'operation exists upstream, not in openapi.yaml',
      sites,
    });
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

  const documented = differences.filter((d) => d.classification === 'documented').length;
  return {
    upstreamOperations: upOps.size,
    curatedOperations: curOps.size,
    differences,
    documented,
    unexplained: differences.length - documented,
  };
}
