import { USAGE_KINDS, usagePage, type UsageOperation } from '../usage.js';
import { ok, type Handler, type Handlers } from './types.js';

const usageHandler =
  (name: UsageOperation): Handler =>
  ({ state, query }) =>
    ok(usagePage(state, name, query));

/** The ten usage families and costs, all served by the one synthesiser. */
export const usageHandlers = Object.fromEntries(
  (Object.keys(USAGE_KINDS) as UsageOperation[]).map((name) => [name, usageHandler(name)]),
) as Handlers<UsageOperation>;
