/**
 * The base of the crash and fault tests' proxies (apply's kill points, keys rotate's faults and held creates): a
 * node:http server on 127.0.0.1 between the bin and the emulator, whose subclass decides per request what to do with
 * it (forward, hold, kill the bin, answer a fault). Here: listening, closing and reading the request's body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request's body as read (what fetch and http.request take as a body). */
export type RequestBody = ReturnType<typeof Buffer.concat>;

export abstract class LoopbackProxy {
  #server: Server;
  constructor() {
    this.#server = createServer((req, res) => void this.#receive(req, res));
  }
  /** Listens on a free port of 127.0.0.1; resolves with the base URL to give the bin (`…/v1`). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`;
  }
  /** Stops listening and drops open connections (a held request included). */
  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
  /** One request, its body read whole. */
  protected abstract handle(req: IncomingMessage, res: ServerResponse, body: RequestBody): Promise<void>;
  async #receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    await this.handle(req, res, Buffer.concat(chunks));
  }
}
