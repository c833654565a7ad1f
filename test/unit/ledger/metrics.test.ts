import { renderMetrics } from '../../../src/ledger/metrics.js';

const base = {
  projects: new Map([['p1', 'Team "A"\\n']]),
  vectorStoreBytes: [],
  now: 1_000,
  syncs: { ok: 2, error: 1 },
};

describe('the OpenMetrics text of a ledger', () => {
  test('usage counters by endpoint, project id and name, model; costs by project and line item; ends with # EOF', () => {
    const text = renderMetrics({
      ...base,
      cursors: [
        {
          series: 'costs',
          bucket_width: '1d',
          since: 0,
          final_until: 0,
          fetched_until: 172_800,
          synced_at: 900,
          requests: 3,
        },
      ],
      totals: [
        {
          series: 'usage.completions',
          metric: 'input_tokens',
          project_id: 'p1',
          model: 'gpt',
          line_item: '',
          currency: '',
          value: 42,
        },
        {
          series: 'costs',
          metric: 'amount',
          project_id: 'p1',
          model: '',
          line_item: 'gpt, input',
          currency: 'usd',
          value: 1.8861970000000001,
        },
        {
          series: 'usage.vector_stores',
          metric: 'usage_bytes',
          project_id: 'p1',
          model: '',
          line_item: '',
          currency: '',
          value: 9,
        },
      ],
    });
    expect(text).toContain('# TYPE openai_admin_usage_input_tokens counter\n');
    expect(text).toContain(
      'openai_admin_usage_input_tokens_total{endpoint="completions",project_id="p1",project="Team \\"A\\"\\\\n",model="gpt"} 42\n',
    );
    expect(text).toContain(
      'openai_admin_cost_total{project_id="p1",project="Team \\"A\\"\\\\n",line_item="gpt, input",currency="usd"} 1.886197\n',
    );
    // Bytes stored are a level: never summed into a counter.
    expect(text).not.toContain('usage_bytes');
    expect(text).toContain('openai_admin_ledger_data_lag_seconds{series="costs"} 100\n');
    expect(text).toContain('openai_admin_ledger_buckets_not_final{series="costs"} 2\n');
    expect(text).toContain('openai_admin_exporter_syncs_total{result="error"} 1\n');
    expect(text.endsWith('# EOF\n')).toBe(true);
  });
});
