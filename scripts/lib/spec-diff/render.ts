/** Text reports of a diff: the short summary (the default of spec:diff) and the full list (--full). */
import type { DiffResult, Difference } from './types';

const SIGN = { added: '+', removed: '-', changed: '~' } as const;

function differenceLines(d: Difference, verbose: boolean): string[] {
  const tag = d.classification === 'unexplained' ? 'UNEXPLAINED' : 'documented';
  const what = d.subject === d.area ? d.area : `${d.area} ${d.subject}`;
  const lines = [`  ${SIGN[d.change]} [${tag}] ${what}: ${d.detail}`];
  if (d.classification === 'unexplained' && d.pointer) lines.push(`      at ${d.pointer} (no x-curation note)`);
  if (verbose) for (const n of d.notes) lines.push(`      note at ${n.pointer}: ${n.note}`);
  return lines;
}

/** Differences grouped by operation (in first-seen order), unexplained first within each group. */
function groupedLines(differences: Difference[], verbose: boolean): string[] {
  const byOp = new Map<string, Difference[]>();
  for (const d of differences) {
    if (!byOp.has(d.operation)) byOp.set(d.operation, []);
    byOp.get(d.operation)!.push(d);
  }
  const lines: string[] = [];
  for (const [op, diffs] of byOp) {
    lines.push(op);
    const ordered = [...diffs].sort(
      (a, b) => Number(a.classification === 'documented') - Number(b.classification === 'documented'),
    );
    for (const d of ordered) lines.push(...differenceLines(d, verbose));
  }
  return lines;
}

function totalsLine(result: DiffResult): string {
  return (
    `${result.upstreamOperations} upstream operations, ${result.curatedOperations} in openapi.yaml; ` +
    `${result.differences.length} differences: ${result.documented} documented, ${result.unexplained} unexplained` +
    (result.unexplained ? ' (drift)' : '')
  );
}

/** Every difference, grouped by operation, unexplained differences first within each group; the totals last. */
export function renderReport(result: DiffResult, { verbose = false }: { verbose?: boolean } = {}): string {
  return [...groupedLines(result.differences, verbose), '', totalsLine(result)].join('\n');
}

/**
 * The short report: counts by area and change (documented / unexplained), then every unexplained difference in full
 * (they are what needs a person), then the totals.
 */
export function renderSummary(result: DiffResult, { verbose = false }: { verbose?: boolean } = {}): string {
  const counts = new Map<string, { documented: number; unexplained: number }>();
  for (const d of result.differences) {
    const kind = `${d.area} ${d.change}`;
    if (!counts.has(kind)) counts.set(kind, { documented: 0, unexplained: 0 });
    counts.get(kind)![d.classification]++;
  }
  const width = Math.max(0, ...[...counts.keys()].map((k) => k.length));
  const lines = ['differences by kind (documented / unexplained):'];
  for (const kind of [...counts.keys()].sort()) {
    const { documented, unexplained } = counts.get(kind)!;
    lines.push(`  ${kind.padEnd(width)}  ${String(documented).padStart(4)} / ${unexplained}`);
  }
  if (!counts.size) lines.push('  (none)');
  const unexplained = result.differences.filter((d) => d.classification === 'unexplained');
  if (unexplained.length) lines.push('', 'unexplained (no x-curation note):', ...groupedLines(unexplained, verbose));
  lines.push('', totalsLine(result));
  if (result.documented) lines.push('(npm run spec:diff -- --full lists the documented differences too)');
  return lines.join('\n');
}
