/**
 * Phase 2 of spec:sync: every difference spec:diff still finds unexplained (upstream removed or changed something, and
 * no rule decides) and, given the upstream openapi.yaml was last synced with as `base`, every documented difference
 * upstream has changed since (a change that conflicts with an x-curation note) becomes an x-sync-todo on its node.
 */
import { diffSpecs, type Difference } from '../spec-diff-core';
import { collectOperations } from '../spec-diff/operations';
import { isAdminPath, nodeAt, unescapePointerKey, type Spec } from '../spec';
import { TODO_KEY, todosOf } from './todos';
import type { SyncChange, SyncResult } from './types';
import { YamlTextEditor, type YamlPath } from './yaml-edit';

const DECIDE = 'no rule decides: align openapi.yaml with upstream, or keep it and say why in an x-curation note';

/** The todo for a difference spec:diff cannot explain; the node it sits on says where, so the subject is left out. */
function unexplainedTodo(d: Difference): string {
  if (d.area === 'operation' && d.change === 'removed')
    return 'upstream no longer has this operation: delete it (with its emulator handler and friendly method), or keep it and say why in an x-curation note';
  if (d.change === 'removed')
    return `upstream no longer has this ${d.area === 'parameter' ? 'parameter' : 'node'} (${d.detail}); ${DECIDE}`;
  return `upstream differs: ${d.detail}; ${DECIDE}`;
}

/** Phase 2: flags, on the nearest map node, what is left for a person. */
export function flag(text: string, upstream: Spec, base: Spec | undefined, added: string[]): SyncResult {
  const editor = new YamlTextEditor(text);
  const curated = editor.doc.toJS() as Spec;
  const todos = new Map<string, string[]>();
  const add = (pointer: string | undefined, todo: string) => {
    const target = nearestMap(curated, pointer ?? '');
    if (todosOf(nodeAt(curated, target)).includes(todo)) return;
    if (!todos.has(target)) todos.set(target, []);
    if (!todos.get(target)!.includes(todo)) todos.get(target)!.push(todo);
  };
  const result = diffSpecs(upstream, curated);
  for (const d of result.differences) {
    if (d.classification === 'unexplained') add(d.pointer, unexplainedTodo(d));
  }
  if (base) {
    // Both against the merged spec: what differs from upstream now but did not from base is an upstream change.
    const before = new Set(
      diffSpecs(base, curated).differences.map((d) => `${d.operation}|${d.area}|${d.subject}|${d.detail}`),
    );
    // Nodes base did not have (imported by this or an earlier sync) cannot conflict with a curation of base.
    const baseOps = collectOperations(base, isAdminPath);
    const inBase = (pointer = '') => {
      const component = /^\/components\/[^/]+\/[^/]+/.exec(pointer);
      return !component || nodeAt(base, component[0]) !== undefined;
    };
    const isNew = (pointer = '') => added.some((a) => pointer === a || pointer.startsWith(`${a}/`));
    for (const d of result.differences) {
      if (d.classification !== 'documented' || isNew(d.pointer) || !baseOps.has(d.operation) || !inBase(d.pointer))
        continue;
      if (before.has(`${d.operation}|${d.area}|${d.subject}|${d.detail}`)) continue;
      add(
        d.pointer,
        `upstream changed a curated node: ${d.detail}; check the x-curation note still holds: ${d.notes.map((n) => n.note).join(' / ')}`,
      );
    }
  }
  const changes: SyncChange[] = [];
  for (const [pointer, list] of todos) {
    const path = toYamlPath(curated, pointer);
    const existing = todosOf(nodeAt(curated, pointer));
    if (existing.length) for (const t of list) editor.addItem([...path, TODO_KEY], t);
    else editor.addPair(path, TODO_KEY, list);
    for (const t of list) changes.push({ kind: 'flagged', pointer: pointer || '/', detail: t });
  }
  return { text: editor.result(), changes };
}

function nearestMap(doc: Spec, pointer: string): string {
  let p = pointer;
  for (;;) {
    const n = nodeAt(doc, p);
    if (n && typeof n === 'object' && !Array.isArray(n) && Object.keys(n).length) return p;
    if (p === '') return p;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function toYamlPath(doc: Spec, pointer: string): YamlPath {
  const path: YamlPath = [];
  let node: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = unescapePointerKey(raw);
    const k = Array.isArray(node) ? Number(key) : key;
    path.push(k);
    node = (node as Record<string | number, unknown>)?.[k];
  }
  return path;
}
