/**
 * The one real node:http server the test suites build on: 127.0.0.1 only, records every request (body
 * included), answers through a replaceable handler, and destroys open sockets on close so no test hangs.
 */
import { createServer as createNetServer } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A port nothing listens on right now, on 127.0.0.1 (the OS picks it; we check it is free again before use). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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
export async function startServer(initial: Handler = (_q, res) => res.end('{}'), { keepAliveMs = 1000 } = {}): Promise<LocalServer> {
  let handler = initial;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
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
