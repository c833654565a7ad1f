/** What a test compares: a ledger's rows and cursors, read with the same drivers the CLI loads. */
import { openLedger } from '../../../../src/ledger/index.js';

export interface Dump {
  rows: string[];
  finalUntil: Record<string, number>;
  /**
   * The totals a scrape reads (running totals of the final rows plus the window), each to a billionth as the
   * exporter renders them: a kill or a concurrent writer that left the running totals off would show here.
   */
  totals: string[];
}

/**
 * Every row as one line (value and finality included), every cursor's final edge and the scrape's totals: two equal
 * ledgers dump equal.
 */
export async function dumpLedger(db: string): Promise<Dump> {
  const store = await openLedger(db);
  try {
    const cursors = await store.cursors();
    const rows = await store.rows();
    const totals = await store.totals();
    return {
      rows: rows
        .map((r) =>
          [r.series, r.start_time, r.end_time, r.group_key, r.metric, r.value, r.value_text, r.currency, r.final].join(
            ' ',
          ),
        )
        .sort(),
      finalUntil: Object.fromEntries(cursors.map((c) => [c.series, c.final_until])),
      totals: totals.map((t) =>
        [t.series, t.metric, t.project_id, t.model, t.line_item, t.currency, Math.round(t.value * 1e9) / 1e9].join(' '),
      ),
    };
  } finally {
    await store.close();
  }
}
