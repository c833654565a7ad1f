/**
 * Compares one operation present on both sides: its operationId, parameters, request body and responses. Each
 * comparer emits findings with the curated sites whose notes may explain them; classification happens elsewhere.
 */
import type { Site } from '../curations';
import { joinPointer as join, type Spec } from '../spec';
import { compareFlat, requiredDetail } from './compare-schemas';
import { deref, flattenSchema } from './flatten';
import { collectParams, contentSite, jsonContent, opSites, trailSites, type OpRef } from './operations';
import type { Area, Finding } from './types';

export interface OperationPair {
  upstream: Spec;
  curated: Spec;
  u: OpRef;
  c: OpRef;
  emit: (area: Area, finding: Finding) => void;
}

/** Flattens and compares an upstream and a curated schema; `extraSites` join every finding's sites. */
function compareSchemas(
  pair: OperationPair,
  area: Area,
  prefix: string,
  [uSchema, uSite]: [unknown, Site],
  [cSchema, cSite]: [unknown, Site],
  extraSites: Site[],
) {
  compareFlat(flattenSchema(pair.upstream, uSchema, uSite), flattenSchema(pair.curated, cSchema, cSite), prefix, (d) =>
    pair.emit(area, { ...d, sites: [...d.sites, ...extraSites] }),
  );
}

export function compareOperationId({ u, c, emit }: OperationPair) {
  if (u.op.operationId === c.op.operationId) return;
  emit('operationId', {
    change: 'changed',
    subject: 'operationId',
    detail: `renamed: upstream ${u.op.operationId}, curated ${c.op.operationId}`,
    sites: opSites(c),
    pointer: c.pointer,
  });
}

export function compareParameters(pair: OperationPair) {
  const { u, c, emit } = pair;
  const up = collectParams(pair.upstream, u);
  const cp = collectParams(pair.curated, c);
  for (const [name, p] of up) {
    const q = cp.get(name);
    if (!q) {
      emit('parameter', {
        change: 'added',
        subject: name,
        detail: 'parameter exists upstream, not in openapi.yaml',
        sites: opSites(c),
        pointer: c.pointer,
      });
      continue;
    }
    if (Boolean(p.param.required) !== Boolean(q.param.required)) {
      emit('parameter', {
        change: 'changed',
        subject: name,
        detail: requiredDetail(p.param.required, q.param.required),
        sites: q.sites,
      });
    }
    compareSchemas(
      pair,
      'parameter',
      `${name} `,
      [p.param.schema, p.schemaSite],
      [q.param.schema, q.schemaSite],
      q.sites,
    );
  }
  for (const [name, q] of cp) {
    if (up.has(name)) continue;
    emit('parameter', {
      change: 'removed',
      subject: name,
      detail: 'parameter exists in openapi.yaml, not upstream',
      sites: [...q.sites, ...opSites(c)],
    });
  }
}

export function compareRequestBody(pair: OperationPair) {
  const { u, c, emit } = pair;
  const ub = deref(pair.upstream, u.op.requestBody, join(u.pointer, 'requestBody'));
  const cb = deref(pair.curated, c.op.requestBody, join(c.pointer, 'requestBody'));
  if (ub.node && !cb.node) {
    emit('requestBody', {
      change: 'added',
      subject: 'request body',
      detail: 'upstream has a request body, openapi.yaml does not',
      sites: opSites(c),
    });
    return;
  }
  if (!ub.node && cb.node) {
    emit('requestBody', {
      change: 'removed',
      subject: 'request body',
      detail: 'openapi.yaml has a request body, upstream does not',
      sites: [...trailSites(cb.trail), ...opSites(c)],
    });
    return;
  }
  if (!ub.node || !cb.node) return;
  const bodySites = trailSites(cb.trail);
  if (Boolean(ub.node.required) !== Boolean(cb.node.required)) {
    emit('requestBody', {
      change: 'changed',
      subject: 'request body',
      detail: requiredDetail(ub.node.required, cb.node.required),
      sites: bodySites,
    });
  }
  const uj = jsonContent(ub.node.content);
  const cj = jsonContent(cb.node.content);
  if (!uj || !cj) return;
  if (uj[0] !== cj[0]) {
    emit('requestBody', {
      change: 'changed',
      subject: 'request body',
      detail: `media type: upstream ${uj[0]}, curated ${cj[0]}`,
      sites: bodySites,
    });
  }
  compareSchemas(
    pair,
    'requestBody',
    'body ',
    [uj[1], contentSite(ub, uj[0])],
    [cj[1], contentSite(cb, cj[0])],
    bodySites,
  );
}

export function compareResponses(pair: OperationPair) {
  const { u, c, emit } = pair;
  const ur = u.op.responses ?? {};
  const cr = c.op.responses ?? {};
  for (const status of Object.keys(ur)) {
    if (!(status in cr)) {
      emit('status', {
        change: 'added',
        subject: status,
        detail: `upstream declares response ${status}, openapi.yaml does not`,
        sites: opSites(c),
        pointer: c.pointer,
      });
    }
  }
  for (const status of Object.keys(cr)) {
    const cResponsePointer = join(c.pointer, 'responses', status);
    if (!(status in ur)) {
      emit('status', {
        change: 'removed',
        subject: status,
        detail: `openapi.yaml declares response ${status}, upstream does not`,
        sites: [{ pointer: cResponsePointer, floor: cResponsePointer }, ...opSites(c)],
      });
      continue;
    }
    const ures = deref(pair.upstream, ur[status], join(u.pointer, 'responses', status));
    const cres = deref(pair.curated, cr[status], cResponsePointer);
    const responseSites = trailSites(cres.trail);
    const uj = jsonContent(ures.node?.content);
    const cj = jsonContent(cres.node?.content);
    if (!uj && !cj) continue;
    if (!uj || !cj) {
      emit('response', {
        change: uj ? 'added' : 'removed',
        subject: `${status} body`,
        detail: uj
          ? 'upstream has a response body, openapi.yaml does not'
          : 'openapi.yaml has a response body, upstream does not',
        sites: responseSites,
      });
      continue;
    }
    compareSchemas(
      pair,
      'response',
      `${status} `,
      [uj[1], contentSite(ures, uj[0])],
      [cj[1], contentSite(cres, cj[0])],
      responseSites,
    );
  }
}

/** Every comparer, in report order. */
export function compareOperation(pair: OperationPair) {
  compareOperationId(pair);
  compareParameters(pair);
  compareRequestBody(pair);
  compareResponses(pair);
}
