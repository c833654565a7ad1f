import { annotationsIn, nodeAt, type Spec } from './spec';

export interface Curation {
  /** JSON pointer of the node that carries the note. */
  pointer: string;
  note: string;
}

/** The notes a node carries: `x-curation` is one note or a list of them. */
export function notesOf(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const value = (node as Record<string, unknown>)['x-curation'];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** A curated node plus the ancestor at which the search for notes stops (inclusive). */
export interface Site {
  pointer: string;
  floor: string;
}

/** Notes on the node at site.pointer and its ancestors up to site.floor. */
export function notesAlong(doc: unknown, site: Site): Curation[] {
  const found: Curation[] = [];
  let pointer = site.pointer;
  for (;;) {
    const here = pointer;
    found.push(...notesOf(nodeAt(doc, pointer)).map((note) => ({ pointer: here || '/', note })));
    if (pointer === site.floor || pointer === '' || !pointer.startsWith(site.floor)) break;
    pointer = pointer.slice(0, pointer.lastIndexOf('/'));
  }
  return found;
}

/** Every x-curation note in the spec, in document order. */
export function listCurations(spec: Spec): Curation[] {
  return annotationsIn(spec, 'x-curation', notesOf).map(({ pointer, value }) => ({ pointer, note: value }));
}

/** True when the node at `pointer`, or an ancestor below the root (whose notes are global), carries a note. */
export function isCurated(spec: Spec, pointer: string): boolean {
  if (pointer === '') return notesOf(spec).length > 0;
  const second = pointer.indexOf('/', 1);
  return notesAlong(spec, { pointer, floor: second === -1 ? pointer : pointer.slice(0, second) }).length > 0;
}

export function renderCurations(curations: Curation[]): string {
  const lines = curations.map((c) => `| \`${c.pointer.replace(/\|/g, '\\|')}\` | ${c.note.replace(/\|/g, '\\|')} |`);
  return `# Curations of openapi.yaml against the upstream spec

Generated from the \`x-curation\` notes in \`openapi.yaml\` by \`npm run generate\`. Do not edit.
${curations.length} notes.

| node | what changed and why |
|---|---|
${lines.join('\n')}
`;
}
