/**
 * The one way src/core loads a module when first needed (the failure handling, the body serialiser, the key scrub,
 * reconciliation, the request checks, the response validators, the node:http transport). Each is named by a literal
 * `import()` at its call site, so that a bundler sees it and makes it a chunk of its own. A loaded module is kept; a
 * failed load is not: in a code-split bundle a chunk is fetched over the network and can fail just when the network
 * does, and the next call must try again (README, "Bundles"). test/integration/bundle-splitting.test.ts deletes
 * each chunk in turn.
 */
import { APIConnectionError } from './errors.js';

export interface Lazy<M> {
  /** The module, loading it on the first call and again after a failed load. */
  (): Promise<M>;
  /** The module once loaded, for a synchronous fast path; undefined before. */
  readonly loaded: M | undefined;
}

export function lazy<M>(load: () => Promise<M>): Lazy<M> {
  let loading: Promise<M> | undefined;
  function get(): Promise<M> {
    return (loading ??= load().then(
      (module) => (get.loaded = module),
      (cause: unknown) => {
        loading = undefined;
        throw cause;
      },
    ));
  }
  get.loaded = undefined as M | undefined;
  return get;
}

/**
 * A lazy module a call cannot go on without: a load that fails becomes an APIConnectionError saying what could not
 * load and what that means for the call (no server text in it), not the loader's TypeError naming a chunk URL.
 */
export async function required<M>(module: Lazy<M>, what: string, consequence: string): Promise<M> {
  try {
    return module.loaded ?? (await module());
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new APIConnectionError({ message: `${what} (${reason}); ${consequence}.`, cause });
  }
}
