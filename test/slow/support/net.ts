import { createServer as createNetServer } from 'node:net';
import type { ServerResponse } from 'node:http';

export { freePort, startServer, type Handler, type LocalServer, type SeenRequest } from '../../support/local-server.js';

/** Throws if something already listens on the port (we never talk to or kill a process we did not start). */
export async function assertPortFree(port: number): Promise<void> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) =>
    server.once('error', (e) => reject(new Error(`port ${port} on 127.0.0.1 is busy: ${(e as Error).message}`))).listen(port, '127.0.0.1', resolve),
  );
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
};
