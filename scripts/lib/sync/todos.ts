/**
 * `x-sync-todo`: what spec:sync could not decide, written on the node it concerns. `npm run generate` refuses while
 * any remain; a person settles each (applies it, or records the decision as an x-curation note) and deletes the todo.
 */
import { annotationsIn, type Spec } from '../spec';

export const TODO_KEY = 'x-sync-todo';

export interface SyncTodo {
  pointer: string;
  todo: string;
}

export function todosOf(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const value = (node as Record<string, unknown>)[TODO_KEY];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Every x-sync-todo in the spec, in document order. */
export function listSyncTodos(spec: Spec): SyncTodo[] {
  return annotationsIn(spec, TODO_KEY, todosOf).map(({ pointer, value }) => ({ pointer, todo: value }));
}

export class SyncTodoError extends Error {
  override name = 'SyncTodoError';
}

/** Throws naming every open x-sync-todo: generation waits until a person has settled them. */
export function assertNoSyncTodos(spec: Spec, file = 'openapi.yaml') {
  const todos = listSyncTodos(spec);
  if (!todos.length) return;
  const lines = todos.map((t) => `${t.pointer}: ${t.todo}`);
  throw new SyncTodoError(
    `${file}: ${todos.length} x-sync-todo left by npm run spec:sync; settle each (apply it or record the decision in an x-curation note), delete the x-sync-todo, then run npm run generate again\n  ${lines.join('\n  ')}`,
  );
}
