/**
 * Request targets `new URL` cannot parse (`//`, `http://[`) used to throw outside the handler's try and take the
 * emulator down with an unhandled rejection. They are a 400 in OpenAI's error shape, and the next request works.
 * (The full hostile-input list, with the emulator in a child process, is test/slow/attack/emulator.attack.test.ts.)
 */
import { connect } from 'node:net';
import { startEmulator, type Emulator } from '../../src/testing/index.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'targets', users: 2, projects: 1 });
});
afterAll(() => emu.close());

/** One raw request on its own connection; resolves with status and body once the server closes it. */
function raw(target: string): Promise<{ status: number; body: unknown }> {
  const { port } = new URL(emu.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c) => (text += String(c))); // a string: setEncoding above
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      resolve({ status, body: JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) });
    });
    socket.write(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk-admin-x\r\nConnection: close\r\n\r\n`,
    );
  });
}

test.each(['//', 'http://[', '//[::1'])(
  'request target %j gets a 400 invalid_request_error, and the emulator keeps serving',
  async (target) => {
    const r = await raw(target);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: {
        message: expect.stringContaining('Invalid URL'),
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    const ok = await fetch(`${emu.url}/organization/projects?limit=1`, {
      headers: { authorization: 'Bearer sk-admin-x' },
    });
    expect(ok.status).toBe(200);
  },
);
