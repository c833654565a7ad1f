/**
 * The admin part of a full upstream OpenAI spec: every path under `/organization` and `/projects` (the admin
 * operations) and every component those paths reach, transitively. Used to vendor the upstream file
 * (scripts/vendor-upstream.ts) so that no test needs the 3 MB original.
 */
import type { Spec } from './spec';

/** Segment-aware: `/organization/…` and `/projects/…` are admin, a hypothetical `/organizations` is not. */
export const ADMIN_PREFIXES = ['/organization', '/projects'] as const;
export const isAdminSubsetPath = (path: string) => ADMIN_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

function collectRefs(node: unknown, out: Set<string>) {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.add(value);
      else collectRefs(value, out);
    }
  }
}

const byKey = <T>(entries: [string, T][]) =>
  Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The subset, deterministic: paths in upstream's order, component names sorted, each node as upstream wrote it. Top-level
 * `webhooks` and `x-oaiMeta` (navigation of the whole API) are dropped; `tags` keeps the ones admin operations use;
 * all security schemes are kept. Throws on a `$ref` that is not local or names nothing: a subset with a dangling
 * reference would fail later, far from the cause.
 */
export function adminSubset(full: Spec): Spec {
  // Paths keep upstream's order (spec:diff reports in that order, so its output matches the full file's).
  const paths = Object.fromEntries(Object.entries(full.paths).filter(([p]) => isAdminSubsetPath(p)));
  const all = full.components as Record<string, Record<string, unknown>>;
  const reached = new Map<string, Map<string, unknown>>(); // kind → name → node
  const pending = new Set<string>();
  collectRefs(paths, pending);
  const done = new Set<string>();
  for (let ref = first(pending); ref !== undefined; ref = first(pending)) {
    pending.delete(ref);
    if (done.has(ref)) continue;
    done.add(ref);
    const m = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
    const node = m ? all[m[1]]?.[m[2]] : undefined;
    if (!m || node === undefined) throw new Error(`admin subset: unresolvable $ref ${ref}`);
    if (!reached.has(m[1])) reached.set(m[1], new Map());
    reached.get(m[1])!.set(m[2], node);
    const inner = new Set<string>();
    collectRefs(node, inner);
    for (const r of inner) if (!done.has(r)) pending.add(r);
  }
  const components: Record<string, Record<string, unknown>> = {};
  for (const kind of Object.keys(all)) {
    if (kind === 'securitySchemes') components[kind] = all[kind];
    else if (reached.has(kind)) components[kind] = byKey([...reached.get(kind)!]);
  }
  const usedTags = new Set(
    Object.values(paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (op as { tags?: string[] })?.tags ?? []),
    ),
  );
  const tags = ((full.tags ?? []) as { name: string }[]).filter((t) => usedTags.has(t.name));
  const { openapi, info, servers, security } = full as Spec & Record<string, unknown>;
  return { openapi, info, servers, security, ...(tags.length ? { tags } : {}), paths, components } as unknown as Spec;
}

const first = (set: Set<string>) => set.values().next().value;
