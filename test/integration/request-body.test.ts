/**
 * What is sent is what was validated: the body is serialised first and its parsed form validated; values JSON
 * cannot carry are refused by path; unknown body fields are refused like unknown query parameters (with a
 * suggestion), and the one escape hatch for fields newer than the spec (extraBody / extraQuery) is merged
 * after validation. Nothing is sent when a request is refused.
 */
import { RequestValidationError } from '../../src/core/base/errors.js';
import { serializeJSON } from '../../src/core/validation/body.js';
import { rejectionOf, testClient } from '../support/client.js';
import { project, useTestServer } from '../support/http-server.js';

const server = useTestServer();
const any = (value: unknown) => value as never;

async function refused(call: (admin: ReturnType<typeof testClient>['admin']) => PromiseLike<unknown>) {
  const { admin } = testClient(server);
  const error = await rejectionOf(call(admin));
  expect(error).toBeInstanceOf(RequestValidationError);
  expect(error.message).toMatch(/Nothing was sent/);
  expect(server.requests).toHaveLength(0);
  return error.issues as { path: string; message: string }[];
}

describe('the validated body is the body on the wire', () => {
  test('a toJSON that turns a valid object into an invalid one is refused (validated as sent)', async () => {
    const body = { name: 'looks fine', toJSON: () => ({ name: 42 }) };
    expect(await refused((admin) => admin.projects.create(any(body)))).toEqual([
      { path: 'body.name', message: 'must be of type string' },
    ]);
  });

  test('a toJSON that adds a field the spec does not know is refused by name', async () => {
    const body = { name: 'x', toJSON: () => ({ name: 'x', owner: 'me' }) };
    expect(await refused((admin) => admin.projects.create(any(body)))).toEqual([
      { path: 'body.owner', message: 'is not a field of this request body' },
    ]);
  });

  test('a class instance whose toJSON gives a valid body is sent as its toJSON', async () => {
    class Named {
      constructor(private readonly value: string) {}
      toJSON() {
        return { name: this.value };
      }
    }
    server.enqueue({ body: project('proj_1') });
    const { admin } = testClient(server);
    await admin.projects.create(any(new Named('From class')));
    expect(server.requests[0].body).toBe('{"name":"From class"}');
  });

  test('an undefined property is left out, as "not given"', async () => {
    server.enqueue({ body: project('proj_1') });
    const { admin } = testClient(server);
    await admin.projects.create({ name: 'x', external_key_id: undefined });
    expect(server.requests[0].body).toBe('{"name":"x"}');
  });
});

describe('values JSON cannot carry are refused by path, never sent altered', () => {
  test('a circular body', async () => {
    const body: Record<string, unknown> = { name: 'x' };
    body.self = body;
    expect(await refused((admin) => admin.projects.create(any(body)))).toEqual([
      { path: 'body', message: 'contains a circular reference: JSON cannot carry it' },
    ]);
  });

  test.each([
    [
      'NaN',
      { threshold_amount: NaN },
      'body.threshold_amount',
      /must be a finite number \(got NaN; JSON would send null\)/,
    ],
    ['Infinity', { threshold_amount: Infinity }, 'body.threshold_amount', /must be a finite number \(got Infinity/],
    ['a BigInt', { threshold_amount: 10n }, 'body.threshold_amount', /is a BigInt/],
    ['a function', { threshold_amount: () => 5 }, 'body.threshold_amount', /is a function, not a JSON value/],
  ])('%s', async (_name, field, path, message) => {
    const body = {
      currency: 'USD',
      interval: 'month',
      notification_channel: { type: 'email', recipients: ['a@example.com'] },
      ...field,
    };
    const issues = await refused((admin) => admin.spendAlerts.create(any(body)));
    expect(issues).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  test('undefined inside an array, with the path of the item', async () => {
    const issues = await refused((admin) =>
      admin.certificates.activate(any({ certificate_ids: ['cert_1', undefined] })),
    );
    expect(issues).toEqual([
      { path: 'body.certificate_ids[1]', message: 'is undefined (JSON would send null or nothing)' },
    ]);
  });

  test('a toJSON that serialises something itself does not hide a NaN of the outer body', () => {
    const inner = { toJSON: () => (serializeJSON({ ok: 1 }, 'inner'), 'x') };
    expect(serializeJSON({ a: NaN, b: inner }, 'body').issues).toEqual([
      { path: 'body.a', message: expect.stringMatching(/finite number/) },
    ]);
  });

  test('serializeJSON names nested paths and passes plain data through unchanged', () => {
    expect(serializeJSON({ a: [{ b: NaN }] }, 'body').issues).toEqual([
      { path: 'body.a[0].b', message: expect.stringMatching(/finite number/) },
    ]);
    expect(serializeJSON({ a: [1, 'x', null, { b: true }] }, 'body')).toEqual({
      text: '{"a":[1,"x",null,{"b":true}]}',
      issues: [],
    });
  });
});

describe('unknown fields: body and query behave alike', () => {
  test('an unknown body field is refused with the closest known one', async () => {
    expect(await refused((admin) => admin.projects.create(any({ nmae: 'x' })))).toEqual([
      { path: 'body.name', message: 'is required' },
      { path: 'body.nmae', message: 'is not a field of this request body (did you mean "name"?)' },
    ]);
  });

  test('an unknown field of a nested body object is refused too', async () => {
    const issues = await refused((admin) =>
      admin.invites.create(
        any({ email: 'a@example.com', role: 'reader', projects: [{ id: 'proj_1', role: 'member', colour: 'red' }] }),
      ),
    );
    expect(issues).toEqual([{ path: 'body.projects.0.colour', message: 'is not a field of this request body' }]);
  });

  test('an unknown query parameter gets the same suggestion', async () => {
    expect(await refused((admin) => admin.projects.list(any({ limt: 5 })))).toEqual([
      { path: 'query.limt', message: 'is not a parameter of this operation (did you mean "limit"?)' },
    ]);
  });
});

describe('extraBody and extraQuery: the escape hatch for what is newer than the spec', () => {
  test('extraBody fields are merged into the sent body after validation', async () => {
    server.enqueue({ body: project('proj_1') });
    const { admin } = testClient(server);
    await admin.projects.create({ name: 'x' }, { extraBody: { brand_new_flag: true, nested: { a: 1 } } });
    expect(server.requests[0].json).toEqual({ name: 'x', brand_new_flag: true, nested: { a: 1 } });
  });

  test('extraQuery parameters are appended after the spec ones, on every page of a list', async () => {
    server.enqueue(
      { body: { object: 'list', data: [project('p1')], has_more: true, last_id: 'p1' } },
      { body: { object: 'list', data: [project('p2')], has_more: false, last_id: 'p2' } },
    );
    const { admin } = testClient(server);
    await admin.projects.list({ limit: 1 }, { extraQuery: { include_beta: true, tag: ['a', 'b c'] } }).toArray();
    expect(server.requests.map((r) => r.rawQuery)).toEqual([
      'limit=1&include_beta=true&tag=a&tag=b%20c',
      'limit=1&after=p1&include_beta=true&tag=a&tag=b%20c',
    ]);
  });

  test.each([
    ['a body field the spec knows', { extraBody: { name: 42 } }, 'options.extraBody.name', /is a field of the spec/],
    [
      'an object as a query value',
      { extraQuery: { filter: { a: 1 } } },
      'options.extraQuery.filter',
      /must be a string, a finite number, a boolean/,
    ],
    [
      'a circular extraBody',
      (() => {
        const o: Record<string, unknown> = {};
        o.o = o;
        return { extraBody: o };
      })(),
      'options.extraBody',
      /circular/,
    ],
    ['extraBody that is not an object', { extraBody: 'x' }, 'options.extraBody', /must be an object/],
  ])('%s is refused by name', async (_name, options, path, message) => {
    const issues = await refused((admin) => admin.projects.create({ name: 'x' }, any(options)));
    expect(issues).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  test('a query parameter the spec knows is refused in extraQuery by name', async () => {
    const issues = await refused((admin) => admin.projects.list({}, { extraQuery: { limit: 1000 } }));
    expect(issues).toEqual([
      {
        path: 'options.extraQuery.limit',
        message: 'is a parameter of the spec: pass it in the query, where it is checked',
      },
    ]);
  });

  test('extraBody on an operation without a body is refused', async () => {
    const issues = await refused((admin) => admin.projects.retrieve('proj_1', { extraBody: { a: 1 } }));
    expect(issues).toEqual([
      { path: 'options.extraBody', message: 'is for operations with a JSON body; this one has none' },
    ]);
  });
});
