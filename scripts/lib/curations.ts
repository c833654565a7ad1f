import { joinPointer, nodeAt, type Spec } from './spec';

export interface Curation {
  /** JSON pointer of the node that carries the note. */
  pointer: string;
  note: string;
}

/** Every x-curation note in the spec, in document order. */
export function listCurations(spec: Spec): Curation[] {
  const found: Curation[] = [];
  const visit = (node: unknown, pointer: string) => {
    if (Array.isArray(node)) return node.forEach((v, i) => visit(v, `${pointer}/${i}`));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-curation') {
        for (const note of Array.isArray(value) ? value : [value]) found.push({ pointer: pointer || '/', note: String(note) });
      } else {
        visit(value, joinPointer(pointer, key));
      }
    }
  };
  visit(spec, '');
  return found;
}

/** True when the node at `pointer`, or one of its ancestors, carries an x-curation note. */
export function isCurated(spec: Spec, pointer: string): boolean {
  if (pointer === '') return spec['x-curation'] !== undefined;
  // Every prefix below the root (whose notes are global, not about this node), the node itself last.
  const keys = pointer.split('/');
  return keys.slice(1).some((_, i) => nodeAt(spec, keys.slice(0, i + 2).join('/'))?.['x-curation'] !== undefined);
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
