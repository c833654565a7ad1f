/**
 * Shared helpers of the emulator suites: a plain-fetch caller that records which operation each call hit
 * and checks every 2xx JSON body against the generated response validator of that operation.
 */
import * as responseValidators from '../../generated/validators/responses.gen.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/testing/index.js';
import { matchRoute } from '../../src/testing/router.js';

export const ADMIN_KEY = 'sk-admin-emulator';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };
const validators = responseValidators as unknown as Record<string, Validator>;

export interface CallResult {
  status: number;
  headers: Headers;
  json: any;
  operation: string | null;
}

export interface Api {
  emu: Emulator;
  /** Operation names answered 2xx so far (and validated). */
  covered: Set<string>;
  call(method: string, path: string, body?: unknown, key?: string | null): Promise<CallResult>;
  /** Like call, but asserts the status is `expected` (default: any 2xx); the failure message shows the body. */
  ok(method: string, path: string, body?: unknown, expected?: number): Promise<CallResult['json']>;
}

export async function startApi(options: EmulatorOptions = {}): Promise<Api> {
  const emu = await startEmulator({ seed: 'test', ...options });
  const covered = new Set<string>();
  const api: Api = {
    emu,
    covered,
    async call(method, path, body, key = ADMIN_KEY) {
      const headers: Record<string, string> = {};
      if (key !== null) headers.authorization = `Bearer ${key}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${emu.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      const json = text ? JSON.parse(text) : undefined;
      const route = matchRoute(method, new URL(`${emu.url}${path}`).pathname.replace(/^\/v1/, ''));
      if (res.status >= 200 && res.status < 300 && route) {
        const validate = validators[route.name];
        if (!validate(json)) {
          throw new Error(
            `${route.name} ${method} ${path}: response fails its schema: ${JSON.stringify(validate.errors)}\n${text.slice(0, 2000)}`,
          );
        }
        covered.add(route.name);
      }
      return { status: res.status, headers: res.headers, json, operation: route?.name ?? null };
    },
    async ok(method, path, body, expected) {
      const r = await api.call(method, path, body);
      const good = expected === undefined ? r.status >= 200 && r.status < 300 : r.status === expected;
      // An assertion (not a throw), so a test made only of ok() calls counts as asserting; the body shows on failure.
      const want = `${method} ${path} → ${expected ?? '2xx'}`;
      expect(good ? want : `${method} ${path} → ${r.status}: ${JSON.stringify(r.json)}`).toBe(want);
      return r.json;
    },
  };
  return api;
}

/** A syntactically valid PEM block; the emulator checks only the armour. */
export const PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUemulatoremulatoremulator0wCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHZW11bGF0b3I=\n-----END CERTIFICATE-----\n';

/** 2025-01-01T00:00:00Z: usage tests use a fixed past window so results never depend on the clock. */
export const JAN_1_2025 = 1735689600;
export const DAY = 86400;
