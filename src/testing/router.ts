import { operations, type OperationName, type OperationSpec } from '../../generated/operations.gen.js';

export interface RouteMatch {
  name: OperationName;
  op: OperationSpec;
  params: Record<string, string>;
}

interface CompiledRoute {
  name: OperationName;
  op: OperationSpec;
  pattern: RegExp;
}

/**
 * Routes straight from the generated operations table, so a new operation in openapi.yaml is routed
 * (and, through the handler registry's type, must be implemented) without touching this file.
 */
function compile(): CompiledRoute[] {
  const routes: CompiledRoute[] = [];
  for (const [name, op] of Object.entries(operations) as [OperationName, OperationSpec][]) {
    const source = op.path
      .split('/')
      .map((seg) => (/^\{\w+\}$/.test(seg) ? '([^/]+)' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    routes.push({ name, op, pattern: new RegExp(`^${source}$`) });
  }
  // Literal segments must win over templates: /certificates/activate before /certificates/{certificate_id}.
  const literalScore = (r: CompiledRoute) => r.op.path.split('/').filter((s) => !s.startsWith('{')).length;
  return routes.sort((a, b) => literalScore(b) - literalScore(a));
}

const routes = compile();

/** Finds the operation for a method and a path below `/v1`, or null (answered as 404 Invalid URL). */
export function matchRoute(method: string, path: string): RouteMatch | null {
  for (const route of routes) {
    if (route.op.method !== method) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    let ok = true;
    route.op.pathParams.forEach((p, i) => {
      try {
        params[p] = decodeURIComponent(m[i + 1]);
      } catch {
        ok = false;
      }
    });
    if (ok) return { name: route.name, op: route.op, params };
  }
  return null;
}
