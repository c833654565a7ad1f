/**
 * Extracts the admin part of the upstream OpenAI spec (paths under /organization and /projects, the components
 * they reference transitively, all security schemes) into a temporary JSON file that Prism can serve.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAdminPath, loadSpec, type Spec } from '../../../scripts/lib/spec';
import { UPSTREAM_FILE } from '../../support/paths';

function collectRefs(node: unknown, out: Set<string>) {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/')) out.add(value);
      else collectRefs(value, out);
    }
  }
}

export function adminSubset(full: Spec): Spec {
  const paths = Object.fromEntries(Object.entries(full.paths).filter(([p]) => isAdminPath(p)));
  const components: Record<string, Record<string, unknown>> = {};
  const pending = new Set<string>();
  collectRefs(paths, pending);
  const done = new Set<string>();
  while (pending.size) {
    const ref = pending.values().next().value as string;
    pending.delete(ref);
    if (done.has(ref)) continue;
    done.add(ref);
    const [, , kind, name] = ref.split('/');
    const node = (full.components as Record<string, Record<string, unknown>>)[kind]?.[name];
    if (node === undefined) continue;
    (components[kind] ??= {})[name] = node;
    const inner = new Set<string>();
    collectRefs(node, inner);
    for (const r of inner) if (!done.has(r)) pending.add(r);
  }
  components.securitySchemes = (full.components as Record<string, Record<string, unknown>>).securitySchemes ?? {};
  const { openapi, info, servers, security } = full as Spec & Record<string, unknown>;
  return { openapi, info, servers, security, paths, components } as unknown as Spec;
}

/** Writes the subset to a fresh temp directory; returns the file path and the subset. */
export function writeUpstreamSubset(): { file: string; spec: Spec; dir: string } {
  const spec = adminSubset(loadSpec(UPSTREAM_FILE));
  const dir = mkdtempSync(join(tmpdir(), 'openai-admin-upstream-'));
  const file = join(dir, 'upstream-admin.json');
  writeFileSync(file, JSON.stringify(spec));
  return { file, spec, dir };
}
