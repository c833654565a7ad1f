/** Compares two flattened schemas node by node: types, enum values (and openness), constraints, required-ness. */
import type { Site } from '../curations';
import type { FlatNode } from './flatten';
import type { Emit } from './types';

const fmtSet = (set: Set<string>) => (set.size ? [...set].sort().join('|') : '(none)');
const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((v) => b.has(v));
const fmtValues = (values: string[]) => values.map((v) => (v.startsWith('"') ? JSON.parse(v) : v)).join(', ');

/** An open enum: known values plus a free string branch. */
const isOpen = (node: FlatNode) => node.enumValues.size > 0 && node.freeString;

export const requiredDetail = (upstream: unknown, curated: unknown) =>
  `required: upstream ${upstream ? 'required' : 'optional'}, curated ${curated ? 'required' : 'optional'}`;

function describe(node: FlatNode): string {
  const t = fmtSet(node.types);
  return node.label ? `${node.label.split(/[.[<{]/).pop() || node.label} (${t})` : `a schema (${t})`;
}

/** What differs in the value facts of one logical node present on both sides; empty when nothing does. */
function valueChanges(u: FlatNode, c: FlatNode): string[] {
  const changes: string[] = [];
  if (!sameSet(u.types, c.types)) changes.push(`type: upstream ${fmtSet(u.types)}, curated ${fmtSet(c.types)}`);
  const enumAdded = [...u.enumValues].filter((v) => !c.enumValues.has(v));
  const enumRemoved = [...c.enumValues].filter((v) => !u.enumValues.has(v));
  if (enumAdded.length) changes.push(`enum values only upstream: ${fmtValues(enumAdded)}`);
  if (enumRemoved.length) changes.push(`enum values only curated: ${fmtValues(enumRemoved)}`);
  if (isOpen(u) !== isOpen(c) && (u.enumValues.size || c.enumValues.size))
    changes.push(
      isOpen(c) ? 'enum opened: curated also accepts any string' : 'enum closed: upstream accepts any string',
    );
  const constraintNames = new Set([...u.constraints.keys(), ...c.constraints.keys()]);
  for (const name of [...constraintNames].sort()) {
    const a = u.constraints.get(name) ?? new Set<string>();
    const b = c.constraints.get(name) ?? new Set<string>();
    if (!sameSet(a, b)) changes.push(`${name}: upstream ${fmtSet(a)}, curated ${fmtSet(b)}`);
  }
  if (!sameSet(u.discriminator, c.discriminator))
    changes.push(`discriminator: upstream ${fmtSet(u.discriminator)}, curated ${fmtSet(c.discriminator)}`);
  return changes;
}

/** Compares two flattened schemas and emits every difference. `prefix` goes in front of each subject. */
export function compareFlat(up: Map<string, FlatNode>, cur: Map<string, FlatNode>, prefix: string, emit: Emit) {
  const subject = (label: string) => `${prefix}${label.replace(/^\./, '')}`.trim() || '(body)';
  for (const [key, u] of up) {
    const c = cur.get(key);
    if (!c) {
      // Report only the topmost missing node.
      if (u.parent !== undefined && !cur.has(u.parent)) continue;
      const parent = u.parent !== undefined ? cur.get(u.parent) : undefined;
      emit({
        change: 'added',
        subject: subject(u.label),
        detail: `upstream has ${describe(u)}, openapi.yaml does not`,
        sites: parent?.sites ?? [],
      });
      continue;
    }
    const changes = valueChanges(u, c);
    if (changes.length)
      emit({ change: 'changed', subject: subject(u.label), detail: changes.join('; '), sites: c.sites });

    // Required-ness of the properties of this node: occurs on this object node and on the property node.
    const names = new Set([...u.requiredProps, ...c.requiredProps]);
    for (const name of [...names].sort()) {
      const ru = u.requiredProps.has(name);
      const rc = c.requiredProps.has(name);
      if (ru === rc) continue;
      const childSites: Site[] = cur.get(`${key}.${name}`)?.sites ?? [];
      emit({
        change: 'changed',
        subject: subject(`${u.label}.${name}`),
        detail: requiredDetail(ru, rc),
        sites: [...c.sites, ...childSites],
      });
    }
  }
  for (const [key, c] of cur) {
    if (up.has(key)) continue;
    if (c.parent !== undefined && !up.has(c.parent)) continue;
    emit({
      change: 'removed',
      subject: subject(c.label),
      detail: `openapi.yaml has ${describe(c)}, upstream does not`,
      sites: c.sites,
    });
  }
}
