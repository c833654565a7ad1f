/**
 * The key scrub (src/core/base/scrub.ts): an echo of the key in any encoding, anywhere in a response, never reaches
 * an error surface; what is not the key is left as it was. The scrub functions alone: test/core/base/scrub.test.ts.
 */
import {
  APIConnectionError,
  APIError,
  OutcomeUnknownError,
  ResponseValidationError,
} from '../../src/core/base/errors.js';
import { REDACTED } from '../../src/core/base/scrub.js';
import { rejectionOf, SECRET_KEY, testClient } from '../support/client.js';
import { project, useTestServer } from '../support/http-server.js';
import { errorSurfaces, keyEncodings, leaksIn } from '../support/key-forms.js';

const server = useTestServer();
const ENCODINGS = Object.entries(keyEncodings(SECRET_KEY));

describe('an echoed key in any encoding is scrubbed from every error surface', () => {
  test.each(ENCODINGS)('%s, in the error message of a JSON body', async (_name, form) => {
    server.enqueue({
      status: 400,
      body: { error: { message: `Bad Authorization: ${form} (check it)`, type: 'invalid_request_error' } },
    });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(APIError);
    expect(leaksIn(errorSurfaces(error), SECRET_KEY)).toEqual([]);
    expect(error.message).toContain('Bad Authorization:');
    expect(error.message).toContain('(check it)');
  });

  test.each(ENCODINGS)('%s, deep in a JSON body, as a value and as a key', async (_name, form) => {
    let nested: unknown = { [form]: form, list: [form] };
    for (let i = 0; i < 20; i++) nested = { level: i, nested };
    server.enqueue({ status: 422, body: { error: { message: 'unprocessable', echo: nested } } });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(leaksIn(errorSurfaces(error), SECRET_KEY)).toEqual([]);
  });

  test.each(ENCODINGS)('%s, in a response header, whatever its case', async (_name, form) => {
    server.enqueue({
      status: 404,
      headers: { 'x-echo': form, 'x-request-id': form },
      body: { error: { message: 'nope' } },
    });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(leaksIn(errorSurfaces(error), SECRET_KEY)).toEqual([]);
    expect(error.headers['x-echo']).toContain(REDACTED);
  });

  test.each(ENCODINGS)('%s, in an HTML error page (not JSON)', async (_name, form) => {
    server.enqueue({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: `<html><body>upstream said ${form}</body></html>`,
    });
    const { admin } = testClient(server, { maxRetries: 0 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(leaksIn(errorSurfaces(error), SECRET_KEY)).toEqual([]);
  });

  test.each(ENCODINGS)('%s, in a 200 that is not JSON (the unparseable-success excerpt)', async (_name, form) => {
    server.enqueue({ status: 200, headers: { 'content-type': 'text/plain' }, body: `oops ${form} {` });
    const { admin } = testClient(server, { maxRetries: 0 });
    const error = await rejectionOf(admin.projects.retrieve('proj_1'));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(leaksIn(errorSurfaces(error), SECRET_KEY)).toEqual([]);
  });

  test.each(ENCODINGS)(
    '%s, in a success body that fails strict validation (ResponseValidationError.body and issues)',
    async (_name, form) => {
      server.enqueue({ body: { ...project('proj_1'), created_at: form, [form]: form } });
      const { admin } = testClient(server, { validate: 'strict' });
      const error = await rejectionOf(admin.projects.retrieve('proj_1'));
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect(leaksIn(errorSurfaces(error), SECRET_KEY)).toEqual([]);
    },
  );

  test.each(ENCODINGS)('%s, in the reason of an OutcomeUnknownError and its cause', async (_name, form) => {
    server.enqueue({ status: 500, headers: { 'x-echo': form }, body: { error: { message: `failed for ${form}` } } });
    const { admin } = testClient(server);
    const error = await rejectionOf(admin.projects.create({ name: 'x' }));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(leaksIn(errorSurfaces(error), SECRET_KEY)).toEqual([]);
    expect(leaksIn(errorSurfaces(error.cause), SECRET_KEY)).toEqual([]);
  });

  test('in validation warnings sent to the logger', async () => {
    const form = keyEncodings(SECRET_KEY)['base64-bearer'];
    server.enqueue({ body: { ...project('proj_1'), created_at: form } });
    const { admin, logger } = testClient(server, { validate: 'warn' });
    await admin.projects.retrieve('proj_1');
    expect(leaksIn(logger.all(), SECRET_KEY)).toEqual([]);
  });
});

describe('an encoded key cut where a non-JSON body is excerpted is scrubbed before the cut', () => {
  // The excerpt of an HTML error is cut at 200 characters, of a broken 200 at 80: try every cut through each encoding.
  test.each([
    ['an HTML error page', 502, 200],
    ['a 200 that is not JSON', 200, 80],
  ])('%s', async (_name, status, cut) => {
    let body = '';
    const fetch = (async () =>
      new Response(body, { status, headers: { 'content-type': 'text/html' } })) as unknown as typeof globalThis.fetch;
    const { admin } = testClient(server, { fetch, maxRetries: 0 });
    const leaks: string[] = [];
    // The base64 forms are the ones a cut turns into an unrecognisable fragment (the others are covered by the property suite).
    for (const name of ['base64', 'base64-bearer']) {
      const form = keyEncodings(SECRET_KEY)[name];
      for (let inside = 1; inside < Math.min(form.length, cut); inside++) {
        body = `${'x'.repeat(cut - inside)} ${form} tail`;
        const error = await rejectionOf(admin.projects.retrieve('proj_1'));
        for (const leak of leaksIn(errorSurfaces(error), SECRET_KEY))
          leaks.push(`${name} cut after ${inside}: ${leak}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
