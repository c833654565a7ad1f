/**
 * Usage counters that arrive as strings, against a real server on 127.0.0.1: `.rows()` hands out numbers, so sums
 * add ("5" and "5" are 10, never "055"), and a counter that is no number is left out of its row with one warning
 * per field through the client's logger — never a crash, never NaN, never the value itself in the log.
 */
import { SECRET_KEY, testClient } from '../support/client.js';
import { useTestServer } from '../support/http-server.js';

const server = useTestServer();

const page = (...buckets: object[]) => ({ object: 'page', data: buckets, has_more: false, next_page: null });
const bucket = (start: number, ...results: object[]) => ({
  object: 'bucket',
  start_time: start,
  end_time: start + 86_400,
  results,
});
const completions = (fields: Record<string, unknown>) => ({
  object: 'organization.usage.completions.result',
  project_id: 'proj_1',
  model: 'gpt-4o',
  ...fields,
});

const warnings = (logger: ReturnType<typeof testClient>['logger']) =>
  logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);

async function rowsOf(admin: ReturnType<typeof testClient>['admin'], query = { start_time: 0 }) {
  const rows: Array<Record<string, unknown>> = [];
  for await (const row of admin.usage.completions(query).rows()) rows.push(row);
  return rows;
}

test('counters sent as numeric strings become numbers: two buckets of "5" add up to 10', async () => {
  server.enqueue({
    body: page(
      bucket(
        0,
        completions({
          num_model_requests: '5',
          input_tokens: '100',
          output_tokens: ' 7 ',
          input_cached_tokens: '1.5e1',
        }),
      ),
      bucket(86_400, completions({ num_model_requests: '5', input_tokens: 20, output_tokens: '-0' })),
    ),
  });
  const { admin, logger } = testClient(server);
  const rows = await rowsOf(admin);
  expect(rows).toEqual([
    {
      start_time: 0,
      end_time: 86_400,
      project_id: 'proj_1',
      model: 'gpt-4o',
      num_model_requests: 5,
      input_tokens: 100,
      output_tokens: 7,
      input_cached_tokens: 15,
    },
    {
      start_time: 86_400,
      end_time: 172_800,
      project_id: 'proj_1',
      model: 'gpt-4o',
      num_model_requests: 5,
      input_tokens: 20,
      output_tokens: -0,
    },
  ]);
  expect(rows.reduce((sum, r) => sum + (r.num_model_requests as number), 0)).toBe(10);
  expect(warnings(logger)).toEqual([]);
});

test('a counter that is not a number (text, empty, Infinity, null, an object, a boolean) is left out with a warning naming the field', async () => {
  server.enqueue({
    body: page(
      bucket(
        0,
        completions({ num_model_requests: 'five', input_tokens: '', output_tokens: null, input_audio_tokens: 3 }),
        completions({
          num_model_requests: 2,
          input_tokens: 'Infinity',
          output_tokens: { value: 1 },
          input_audio_tokens: true,
        }),
        completions({
          num_model_requests: 'NaN',
          input_tokens: '0x10',
          output_tokens: '1,000',
          input_audio_tokens: [4],
        }),
      ),
    ),
  });
  const { admin, logger } = testClient(server);
  const rows = await rowsOf(admin);
  expect(rows).toEqual([
    { start_time: 0, end_time: 86_400, project_id: 'proj_1', model: 'gpt-4o', input_audio_tokens: 3 },
    { start_time: 0, end_time: 86_400, project_id: 'proj_1', model: 'gpt-4o', num_model_requests: 2 },
    // "0x10" is a number to Number() (16), as costs' amount.value reads it; "1,000" is not.
    { start_time: 0, end_time: 86_400, project_id: 'proj_1', model: 'gpt-4o', input_tokens: 16 },
  ]);
  // Totals stay numbers: a field left out adds nothing rather than NaN.
  const total = rows.reduce((sum, r) => sum + ((r.input_tokens as number | undefined) ?? 0), 0);
  expect(total).toBe(16);
  // One warning per field and query, however many rows had it.
  expect(warnings(logger)).toEqual(
    ['num_model_requests', 'input_tokens', 'output_tokens', 'input_audio_tokens'].map(
      (field) => `openai-admin: usage-completions: a row's ${field} is not a number; left out`,
    ),
  );
});

test('group fields are left as sent, even when they look like numbers; costs rows are unchanged', async () => {
  server.enqueue({
    body: page(
      bucket(
        0,
        completions({
          project_id: '123',
          model: '4',
          user_id: null,
          num_model_requests: 1,
          input_tokens: 1,
          output_tokens: 1,
        }),
      ),
    ),
  });
  server.enqueue({
    body: page(
      bucket(0, {
        object: 'organization.costs.result',
        amount: { value: '0.5', currency: 'usd' },
        line_item: '100',
        project_id: '200',
      }),
    ),
  });
  const { admin, logger } = testClient(server);
  expect(await rowsOf(admin)).toEqual([
    {
      start_time: 0,
      end_time: 86_400,
      project_id: '123',
      model: '4',
      user_id: null,
      num_model_requests: 1,
      input_tokens: 1,
      output_tokens: 1,
    },
  ]);
  const costs = [];
  for await (const row of admin.costs({ start_time: 0 }).rows()) costs.push(row);
  expect(costs).toEqual([
    {
      start_time: 0,
      end_time: 86_400,
      amount: { value: 0.5, value_decimal: '0.5', currency: 'usd' },
      line_item: '100',
      project_id: '200',
    },
  ]);
  expect(warnings(logger)).toEqual([]);
});

test('the warning never repeats what the server sent (it could be anything, the key included), and follows logLevel', async () => {
  const echo = completions({
    num_model_requests: `Bearer ${SECRET_KEY} \u001b]52;c;cGF5bG9hZA==\u0007`,
    input_tokens: 1,
    output_tokens: 1,
  });
  server.enqueue({ body: page(bucket(0, echo)) }, { body: page(bucket(0, echo)) });
  const { admin, logger } = testClient(server);
  await rowsOf(admin);
  expect(warnings(logger)).toHaveLength(1);
  expect(logger.all()).not.toContain(SECRET_KEY);
  expect(logger.all()).not.toContain('\u001b');

  const quiet = testClient(server, { logLevel: 'error' });
  expect((await rowsOf(quiet.admin))[0]).not.toHaveProperty('num_model_requests');
  expect(warnings(quiet.logger)).toEqual([]);
});

test('other usage endpoints are covered too: every kind of counter is coerced by name', async () => {
  server.enqueue({
    body: page(
      bucket(0, {
        object: 'organization.usage.vector_stores.result',
        usage_bytes: '1048576',
        project_id: 'proj_1',
      }),
    ),
  });
  server.enqueue({
    body: page(
      bucket(0, {
        object: 'organization.usage.audio_transcriptions.result',
        seconds: '61.5',
        num_model_requests: '3',
        model: 'whisper-1',
      }),
    ),
  });
  const { admin } = testClient(server);
  const vector = [];
  for await (const row of admin.usage.vectorStores({ start_time: 0 }).rows()) vector.push(row);
  expect(vector[0].usage_bytes).toBe(1_048_576);
  const audio = [];
  for await (const row of admin.usage.audioTranscriptions({ start_time: 0 }).rows()) audio.push(row);
  expect(audio[0]).toMatchObject({ seconds: 61.5, num_model_requests: 3, model: 'whisper-1' });
});
