/** What a test compares: a ledger's rows and cursors, read with the same drivers the CLI loads. */
import { openLedger } from '../../../../src/ledger/index.js';

export interface Dump {
  rows: string[];
  finalUntil: Record<string, number>;
}

/** Every row as one line (value and finality included) and every cursor's final edge: two equal ledgers dump equal. */
export async function dumpLedger(db: string): Promise<Dump> {
  const store = await openLedger(db);
  try {
    const cursors = await store.cursors();
    const rows = await store.rows();
    return {
      rows: rows
        .map((r) =>
          [r.series, r.start_time, r.end_time, r.group_key, r.metric, r.value, r.value_text, r.currency, r.final].join(
            ' ',
          ),
        )
        .sort(),
      finalUntil: Object.fromEntries(cursors.map((c) => [c.series, c.final_until])),
    };
  } finally {
    await store.close();
  }
}
