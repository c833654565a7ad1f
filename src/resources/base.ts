import type { ClientCore } from '../core/client/client-core.js';

/** A group of related operations; sub-resources share the parent's client. */
export abstract class APIResource {
  constructor(protected readonly _client: ClientCore) {}
}
