import type { OperationName } from '../../../generated/operations.gen.js';
import type { EmulatorState } from '../store.js';

/** What a handler sees: validated, typed inputs (query values already coerced by the pipeline). */
export interface Ctx {
  state: EmulatorState;
  path: Record<string, string>;
  // Inputs were checked by the generated request validator, so handlers read them loosely.
  query: Record<string, any>;
  body: any;
}

export interface Reply {
  status: number;
  body: unknown;
}

export type Handler = (ctx: Ctx) => Reply;

/** Handlers for a subset of operations; the registry checks that together they cover all of them. */
export type Handlers<K extends OperationName = OperationName> = Record<K, Handler>;

export const ok = (body: unknown): Reply => ({ status: 200, body });
/** The real API answers 201 on some creates where the upstream spec said 200. */
export const created = (body: unknown): Reply => ({ status: 201, body });
