/**
 * The one real node:http server the test suites build on: 127.0.0.1 only, records every request (body
 * included), answers through a replaceable handler, and destroys open sockets on close so no test hangs.
 */
import { createServer as createNetServer } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A port nothing listens on right now, on 127.0.0.1 (the OS picks it, then it is released: something else may take
 * it before use, so a caller that needs certainty checks again with assertPortFree). Nothing listening also makes it
 * a port that refuses connections.
 */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Throws if something already listens on the port (we never talk to or kill a process we did not start). */
export async function assertPortFree(port: number): Promise<void> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) =>
    server
      .once('error', (e) => reject(new Error(`port ${port} on 127.0.0.1 is busy: ${e.message}`)))
      .listen(port, '127.0.0.1', resolve),
  );
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Answers with a JSON body and an exact content-length (extra headers may override either). */
export const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
};

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest, index: number) => unknown;

export interface LocalServer {
  url: string;
  port: number;
  /** Every request received, body included, in order. */
  requests: SeenRequest[];
  /** Replaces the handler (and clears the request log). */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** A real node:http server on 127.0.0.1 that records every request; close() destroys open sockets too. */
export async function startServer(
  initial: Handler = (_q, res) => res.end('{}'),
  { keepAliveMs = 1000 } = {},
): Promise<LocalServer> {
  let handler = initial;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      Promise.resolve(handler(req, res, seen, requests.length - 1)).catch((error) => {
        if (!res.headersSent) res.writeHead(599).end(String(error));
      });
    });
  });
  server.keepAliveTimeout = keepAliveMs;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    handle(next) {
      handler = next;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
