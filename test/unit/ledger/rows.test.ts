import { rowsOfBucket } from '../../../src/ledger/rows.js';

const usage = { name: 'usage.completions', kind: 'usage' as const };
const costs = { name: 'costs', kind: 'costs' as const };
const always = () => true;

describe('the ledger rows of one API bucket', () => {
  test('one row per counter, keyed by the group; numeric strings count, other values are refused, not NaN', () => {
    const { rows, refused } = rowsOfBucket(
      usage,
      ['project_id', 'model', 'batch'],
      {
        start_time: 0,
        end_time: 60,
        results: [
          {
            project_id: 'p',
            model: 'm',
            batch: true,
            input_tokens: '5',
            output_tokens: 'lots',
            num_model_requests: 1,
            project_name: 'x',
          },
        ],
      },
      always,
    );
    expect(rows.map((r) => [r.metric, r.value, r.group_key, r.final])).toEqual([
      ['input_tokens', 5, '{"batch":"true","model":"m","project_id":"p"}', 1],
      ['num_model_requests', 1, '{"batch":"true","model":"m","project_id":"p"}', 1],
    ]);
    expect(refused).toEqual(['output_tokens']);
  });

  test('a cost keeps its exact decimal text whether it came as a string or a number', () => {
    const { rows } = rowsOfBucket(
      costs,
      ['project_id', 'line_item'],
      {
        start_time: 0,
        end_time: 86_400,
        results: [
          { project_id: 'p', line_item: 'a', amount: { value: '0.0123456789012345678', currency: 'USD' } },
          { project_id: 'p', line_item: 'b', amount: { value: 0.5, currency: 'usd' } },
        ],
      },
      () => false,
    );
    expect(rows.map((r) => [r.line_item, r.value_text, r.currency, r.final])).toEqual([
      ['a', '0.0123456789012345678', 'usd', 0],
      ['b', '0.5', 'usd', 0],
    ]);
  });

  test('the same group twice in one bucket adds up instead of colliding', () => {
    const bucket = {
      start_time: 0,
      end_time: 60,
      results: [
        { project_id: 'p', input_tokens: 2 },
        { project_id: 'p', input_tokens: 3 },
      ],
    };
    expect(rowsOfBucket(usage, ['project_id'], bucket, always).rows.map((r) => r.value)).toEqual([5]);
  });

  test('a bucket without times or results is an error naming the series', () => {
    expect(() => rowsOfBucket(usage, [], { start_time: 'x', end_time: 60, results: [] }, always)).toThrow(
      /usage.completions/,
    );
    expect(() => rowsOfBucket(usage, [], { start_time: 0, end_time: 60, results: null }, always)).toThrow(/results/);
  });
});
