/**
 * `openai-admin/testing`: a local, stateful emulator of the OpenAI Administration API for tests,
 * demos and trying provisioning scripts without touching a real organisation. Node only.
 *
 * @module openai-admin/testing
 */
import type { AddressInfo } from 'node:net';
import { FaultInjector, type FaultOptions } from './faults.js';
import { seedState } from './seed.js';
import { createEmulatorServer } from './server.js';
import { EmulatorState } from './store.js';

export { DEMO_ADMIN_KEY } from './auth.js';
export { ApiError, type ErrorBody } from './errors.js';
export type { FaultOptions } from './faults.js';
export { seedUsers, SEED_EPOCH } from './seed.js';
export { EmulatorState } from './store.js';
export type {
  CertificateRecord,
  GroupRecord,
  ProjectKeyRecord,
  ProjectRecord,
  RoleAssignmentRecord,
  RoleRecord,
  ServiceAccountRecord,
  UserRecord,
} from './store.js';

const MAX_LOGGED_REQUESTS = 10_000;

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`; the emulator is meant for local use only). */
  host?: string;
  /** Makes ids, seeded data, usage numbers and faults reproducible (default `'emulator'`). */
  seed?: string | number;
  /** Injected 429s, 500s and latency, decided per request from the seed. */
  faults?: FaultOptions;
  /** Org users to pre-populate (default 12). `users: 5000` takes a few milliseconds. */
  users?: number;
  /** Projects to pre-populate, each with members, keys, a service account and rate limits (default 3). */
  projects?: number;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL to give a client, e.g. `http://127.0.0.1:53412/v1`. */
  readonly url: string;
  /** The in-memory organisation, for arranging and asserting state directly in tests. */
  readonly state: EmulatorState;
  /**
   * Every request received, in order (method and URL path with query). A test can prove that something was
   * NOT sent, e.g. a CLI `--dry-run`. Keeps the last 10 000.
   */
  readonly requests: ReadonlyArray<{ readonly method: string; readonly url: string }>;
  /** Changes the fault knobs of the running emulator (e.g. turn 429s on for one test). */
  setFaults(faults: FaultOptions): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Starts a local emulator of the OpenAI Administration API: all operations of the project's
 * openapi.yaml, with realistic ids, exact pagination, synthetic but seeded usage and costs, OpenAI's
 * error shape, and optional seeded faults. Any bearer key is accepted except project keys
 * (`sk-proj-…`), which get the same 401 as upstream; examples use {@link DEMO_ADMIN_KEY}.
 *
 * @example
 * ```ts
 * import { startEmulator, DEMO_ADMIN_KEY } from 'openai-admin/testing';
 *
 * const emu = await startEmulator({ seed: 42, users: 5000 });
 * const res = await fetch(`${emu.url}/organization/projects?limit=2`, {
 *   headers: { authorization: `Bearer ${DEMO_ADMIN_KEY}` },
 * });
 * console.log((await res.json()).data.map((p: { name: string }) => p.name));
 * await emu.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { port = 0, host = '127.0.0.1', seed = 'emulator', faults = {}, users, projects } = options;
  const state = new EmulatorState(String(seed));
  seedState(state, { users, projects });
  const injector = new FaultInjector(String(seed), { ...faults });
  const server = createEmulatorServer(state, injector);
  const requests: Array<{ method: string; url: string }> = [];
  server.on('request', (req: { method?: string; url?: string }) => {
    // Bounded, so a long-running `openai-admin emulator` does not grow without limit.
    if (requests.length >= MAX_LOGGED_REQUESTS) requests.shift();
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostPart}:${address.port}/v1`,
    state,
    requests,
    setFaults(next: FaultOptions) {
      injector.options = { ...next };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
