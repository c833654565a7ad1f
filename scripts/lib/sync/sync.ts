/**
 * spec:sync: brings upstream changes to the admin part into openapi.yaml.
 *
 * Phase 1 (merge): what upstream has and openapi.yaml lacks is imported with the standing curations applied as rules
 * (merge.ts, ./rules): new operations (and the components they reach), parameters, properties, enum values; a
 * parameter or property that upstream changed and nobody curated (openapi.yaml has it as `base` had it) is replaced by
 * upstream's. Nothing curated is overwritten and nothing is deleted.
 * Phase 2 (flag): every difference spec:diff still finds unexplained (upstream removed or changed something, with no
 * rule to decide) and, given the previously vendored upstream as `base`, every documented difference upstream has
 * changed since (a change that conflicts with an x-curation note) is flagged with an x-sync-todo on its node (flag.ts).
 *
 * Deterministic, and idempotent: a second run finds nothing to import and flags nothing new.
 */
import type { Spec } from '../spec';
import { flag } from './flag';
import { Merger } from './merge';
import type { SyncChange, SyncResult } from './types';

export type { SyncChange, SyncResult } from './types';

/**
 * One sync run over the text of openapi.yaml. `base`: the upstream the curated spec was last synced with (the vendored
 * file); documented differences that changed since are flagged as conflicts with their x-curation notes.
 */
export function syncSpec(curatedText: string, upstream: Spec, { base }: { base?: Spec } = {}): SyncResult {
  const merger = new Merger(curatedText, upstream, base === upstream ? undefined : base);
  merger.run();
  const merged = merger.editor.result();
  const added = merger.changes
    .filter((c) => c.kind === 'operation added' || c.kind === 'component added' || c.kind === 'property added')
    .map((c) => c.pointer);
  const flagged = flag(merged, upstream, base === upstream ? undefined : base, added);
  return { text: flagged.text, changes: [...merger.changes, ...flagged.changes] };
}

/** The change list, one line each. */
export function renderChanges(changes: SyncChange[]): string {
  const sign: Record<SyncChange['kind'], string> = {
    'operation added': '+',
    'component added': '+',
    'parameter added': '+',
    'parameter changed': '~',
    'property changed': '~',
    'property added': '+',
    'enum value added': '+',
    flagged: '!',
  };
  return changes.map((c) => `${sign[c.kind]} ${c.kind}: ${c.pointer} — ${c.detail}`).join('\n');
}
