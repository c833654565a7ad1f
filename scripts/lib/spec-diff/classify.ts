/**
 * Classification: a difference is "documented" when a node of openapi.yaml on one of its sites (or an ancestor up to
 * the site's floor) carries an `x-curation` note, else "unexplained".
 */
import { notesAlong } from '../curations';
import type { Spec } from '../spec';
import type { Area, Difference, Finding } from './types';

export function classify(curated: Spec, operation: string, area: Area, finding: Finding): Difference {
  const seen = new Set<string>();
  const notes = finding.sites
    .flatMap((site) => notesAlong(curated, site))
    .filter((n) => !seen.has(`${n.pointer}\n${n.note}`) && seen.add(`${n.pointer}\n${n.note}`));
  const { sites, ...rest } = finding;
  return {
    operation,
    area,
    ...rest,
    pointer: rest.pointer ?? sites[0]?.pointer,
    classification: notes.length ? 'documented' : 'unexplained',
    notes,
  };
}
