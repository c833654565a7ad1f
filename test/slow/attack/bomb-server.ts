/**
 * A hostile API on 127.0.0.1 for the attack suite: every response body is generated as it is sent (zeros or
 * 'x's pushed through a real compressor), with backpressure, and stops when the client hangs up, so a 10 GiB
 * bomb costs the test process only what the client actually reads. Which body a request gets is the last path
 * segment: `/v1/organization/projects/<scenario>`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable, pipeline } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

export interface Scenario {
  /** Bytes of the body before compression. */
  decodedBytes: number;
  coding?: 'gzip' | 'br';
  /** Announce the (uncompressed) length; only for identity bodies. */
  contentLength?: boolean;
}

/** What the client reads: a JSON string that never closes, 1 MiB at a time, `total` bytes in all (bounded). */
function body(total: number): Readable {
  const chunk = Buffer.alloc(MiB, 'x');
  let left = total;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

function compressor(coding: 'gzip' | 'br') {
  // Zeros at gzip level 9 shrink about 1000:1 (10 MB for 10 GiB); brotli at quality 1 far more, and fast.
  return coding === 'gzip'
    ? createGzip({ level: 9 })
    : createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
}

export interface BombServer {
  url: string;
  /** Requests received per scenario name. */
  requests: Map<string, number>;
  /** Uncompressed bytes the server generated per scenario (what it cost; compressed bytes are far fewer). */
  generated: Map<string, number>;
  close(): Promise<void>;
}

export async function startBombServer(scenarios: Record<string, Scenario>): Promise<BombServer> {
  const requests = new Map<string, number>();
  const generated = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res: ServerResponse) => {
    req.resume();
    const name = decodeURIComponent(req.url!.split('?')[0].split('/').pop()!);
    requests.set(name, (requests.get(name) ?? 0) + 1);
    const scenario = scenarios[name];
    if (!scenario) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({ id: name, object: 'organization.project', name: 'small', created_at: 1, status: 'active' }),
      );
    }
    const source = body(scenario.decodedBytes);
    source.on('data', (c: Buffer) => generated.set(name, (generated.get(name) ?? 0) + c.length));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (scenario.coding) headers['content-encoding'] = scenario.coding;
    else if (scenario.contentLength) headers['content-length'] = String(scenario.decodedBytes);
    res.writeHead(200, headers);
    // pipeline destroys every stage when the client hangs up, which ends the generation.
    if (scenario.coding) pipeline(source, compressor(scenario.coding), res, () => {});
    else pipeline(source, res, () => {});
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`,
    requests,
    generated,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
