/**
 * Safe create-and-reconcile. After a create failed ambiguously (5xx, timeout or reset after sending: the server
 * may have processed it), do the check OutcomeUnknownError asks the user to do: list what the create makes and
 * look for an item with the same natural key (`x-natural-key` in openapi.yaml, `naturalKey` in the operations
 * table) created since the request started. Roles are left out: a Role has no created_at, so a role of the same
 * name made earlier could not be told apart.
 *   exactly one → the call resolves with it, marked `reconciled: true` on `.withResponse()`;
 *   none        → OutcomeUnknownError (the create may still appear: the API is eventually consistent, and a
 *                 create is sent again only when the server provably did not process it, which a list cannot prove);
 *   several     → OutcomeUnknownError carrying them as `candidates`.
 * Loaded on demand (a dynamic import from request.ts): no bundle pays for it until a create fails ambiguously. The
 * list requests go through `send`, the client's own request path (request.ts passes it in).
 */
import { operationId, type NaturalKeySpec, type OperationSpec } from '../types/operation.js';
import { OutcomeUnknownError, type APIError } from '../base/errors.js';
import { PagePromise, type Page } from './pagination.js';
import type { Logger, RawResult, RequestOptions, RequestParts } from '../types/call.js';
import { CallResult } from './api-promise.js';

/** Items created up to this long before the request started still count: the client's and the server's clocks differ. */
const RECONCILE_CLOCK_SKEW_MS = 30_000;
/** Pages of 100 read at most: beyond that the answer would be a guess, and the error says so. */
const MAX_PAGES = 10;
const PAGE_LIMIT = 100;
/** What to do when the reconciled item lacks a field only the create response carried. */
const CREATE_ONLY_NOTES: Record<string, string> = {
  api_key:
    'the service account exists, but its API key was only in the lost create response (api_key is null here); ' +
    'create a key for it with admin.projects.serviceAccounts.apiKeys.create(projectId, serviceAccountId, { name }), ' +
    'or delete the account and create it again',
};

/** A result found by reconciliation rather than returned by the create. */
class ReconciledResult<T> extends CallResult<T> {
  readonly reconciled = true;
  constructor(
    data: T,
    requestID: string | null,
    response: () => Response,
    /** Set when the result lacks something only the create response had (a service account's key). */
    readonly warning: string | undefined,
  ) {
    super(data, requestID, response);
  }
}

type Item = Record<string, unknown>;

/** Sends one request of the list operation: the client's performRequest. */
export type SendList = <Body>(
  list: OperationSpec,
  parts: RequestParts,
  options: RequestOptions,
) => Promise<RawResult<Body>>;

export async function reconcileCreate<T>(
  send: SendList,
  logger: Logger,
  op: OperationSpec,
  parts: RequestParts,
  options: RequestOptions,
  startedAtMs: number,
  cause: APIError,
): Promise<RawResult<T>> {
  const key = op.naturalKey;
  const body = parts.body as Item | undefined;
  const wanted = key && body?.[key.bodyField];
  const list = key?.list();
  const spec = list?.pagination;
  if (!key || !body || !list || !spec || typeof wanted !== 'string')
    throw new OutcomeUnknownError(operationId(op), cause);
  const since = (startedAtMs - RECONCILE_CLOCK_SKEW_MS) / 1000;
  const matches: Item[] = [];
  let found: Page<Item, Record<string, unknown>> | undefined;
  let complete = false;
  const listOptions: RequestOptions = {
    signal: options.signal,
    headers: options.headers,
    timeout: options.timeout,
    maxRateLimitWait: options.maxRateLimitWait,
  };
  const query: Record<string, unknown> = { ...key.query };
  if (list.query.some((q) => q.name === 'limit')) query.limit = PAGE_LIMIT;
  // The library's own page walk: malformed pages and repeated cursors are errors here as everywhere.
  const pages = new PagePromise<Item, Record<string, unknown>>(spec, (cursor) =>
    send(
      list,
      { path: parts.path, query: cursor === null ? query : { ...query, [spec.requestParam]: cursor } },
      listOptions,
    ),
  );
  try {
    let read = 0;
    for await (const page of pages.pages()) {
      for (const item of page.data) {
        if (matchesCreate(key, wanted, body, item, since)) {
          matches.push(item);
          found = page;
        }
      }
      if (!page.hasNextPage()) {
        complete = true;
        break;
      }
      if (++read === MAX_PAGES) break;
    }
  } catch (listError) {
    throw withNote(
      new OutcomeUnknownError(operationId(op), cause),
      `Reconciliation could not list ${operationId(list)} (${(listError as Error).message}).`,
    );
  }
  if (matches.length === 1 && complete && found) {
    logger.info?.(
      `openai-admin: ${operationId(op)} failed ambiguously (${cause.message}); reconciled: found it in ${operationId(list)}`,
    );
    let data = matches[0];
    let warning: string | undefined;
    if (key.createOnly) {
      data = { ...data, [key.createOnly]: null };
      warning = `${operationId(op)} reconciled from ${operationId(list)}: ${CREATE_ONLY_NOTES[key.createOnly] ?? `${key.createOnly} was only in the lost create response`}`;
      logger.warn(`openai-admin: ${warning}`);
    }
    const page = found;
    return new ReconciledResult(data as T, page.requestID, () => page.response, warning);
  }
  const field = `body.${key.bodyField}`;
  if (matches.length > 1) {
    const error = withNote(
      new OutcomeUnknownError(operationId(op), cause),
      `Reconciliation found ${matches.length} items of ${operationId(list)} with the same ${field} created since the request started: see error.candidates.`,
    );
    error.candidates = matches;
    throw error;
  }
  if (!complete)
    throw withNote(
      new OutcomeUnknownError(operationId(op), cause),
      `Reconciliation read ${MAX_PAGES} pages of ${operationId(list)} without reaching the end.`,
    );
  throw withNote(
    new OutcomeUnknownError(operationId(op), cause),
    `Reconciliation found no item of ${operationId(list)} with this ${field} created since the request started; it may still appear (the API is eventually consistent).`,
  );
}

/** The natural key matches, the item is recent enough, and every other scalar the body set agrees with the item. */
function matchesCreate(key: NaturalKeySpec, wanted: string, body: Item, item: Item, since: number): boolean {
  const value = item[key.itemField];
  if (typeof value !== 'string') return false;
  if (key.caseInsensitive ? value.toLowerCase() !== wanted.toLowerCase() : value !== wanted) return false;
  const created = item[key.createdField];
  if (typeof created !== 'number' || created < since) return false;
  for (const [name, sent] of Object.entries(body)) {
    if (name === key.bodyField || sent === null || typeof sent === 'object') continue;
    const shown = item[name];
    if (shown !== undefined && shown !== null && typeof shown !== 'object' && shown !== sent) return false;
  }
  return true;
}

function withNote(error: OutcomeUnknownError, note: string): OutcomeUnknownError {
  error.message += ` ${note}`;
  return error;
}
