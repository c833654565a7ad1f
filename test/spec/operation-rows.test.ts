import { operationRows } from '../../scripts/lib/operations-table';
import { operations } from '../../generated/operations.gen';
import type { OperationSpec } from '../../src/core/types/operation';
import { curatedSpec } from '../support/paths';

/** A generated row as the generator's row data: a natural key's thunk becomes the name of the row it returns. */
const asData = ({ naturalKey, ...rest }: OperationSpec) => ({
  ...rest,
  ...(naturalKey && { naturalKey: { ...naturalKey, list: naturalKey.list().name } }),
});

describe("the generator's row data and operations.gen.ts's row text say the same", () => {
  const rows = operationRows(curatedSpec());

  it('has a row for every operation of the table, in its order', () => {
    expect([...rows.keys()]).toEqual(Object.keys(operations));
  });

  it.each([...rows])('%s: the generated row is its data', (name, row) => {
    expect(asData(operations[name as keyof typeof operations])).toEqual(row);
  });

  it("a natural key's list thunk returns the row its data names", () => {
    const creates = [...rows.values()].filter((row) => row.naturalKey);
    expect(creates.length).toBeGreaterThan(0);
    for (const row of creates) {
      const generated = operations[row.name as keyof typeof operations] as OperationSpec;
      expect(generated.naturalKey!.list()).toBe(operations[row.naturalKey!.list as keyof typeof operations]);
    }
  });
});
