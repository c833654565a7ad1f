import { operationId, type CompiledValidator, type OperationSpec } from '../types/operation.js';
import { OpenAIAdminError, RequestValidationError, ResponseValidationError, type FieldIssue } from '../base/errors.js';
import type { RequestParts, ResponseValidators, ValidateMode } from '../types/call.js';
import { lazy, required } from '../base/lazy.js';

// Request checks are data (generated/validators/requests.gen.ts) run by schema-check.ts, one module for every
// operation, loaded on the first validated call with the messages (issues.ts); the response validators load only
// when response validation is on. Both through base/lazy.ts: a load that failed is tried again by the next call.
const requestValidators = new Map<string, CompiledValidator>();
const issuesModule = lazy(() => import('./issues.js'));
const requestChecks = lazy(() =>
  // The checker travels with its data and the messages: none of them is in a bundle's initial chunk.
  Promise.all([import('../../../generated/validators/requests.gen.js'), import('./schema-check.js'), issuesModule()]),
);
const loadRequestValidator = async (op: OperationSpec) => {
  const [{ defs, requests }, { schemaValidator }] = await required(
    requestChecks,
    'openai-admin could not load its request checks',
    'nothing was sent',
  );
  const validate = schemaValidator(requests[op.name], defs);
  requestValidators.set(op.name, validate);
  return validate;
};

// A literal import(), as every import() in the package: a bundle's tools must see each module it may load. The
// module it names is mapped out of browser builds (package.json "browser"), so a single-file browser bundle does
// not carry ~700 KB of validators, used or not: there it is empty, and the app passes the validators it imports.
const responseModule = lazy(() =>
  import('./response-validators.js').then((m: Partial<typeof import('./response-validators.js')>) => {
    if (!m.responseValidators) throw new Error('not in this bundle');
    return m.responseValidators;
  }),
);
const loadResponseModule = (): Promise<ResponseValidators> =>
  responseModule().catch((cause: unknown) => {
    throw new OpenAIAdminError(
      "Response validation (validate: 'warn' or 'strict') could not load its validators; in a bundle, import them and pass " +
        "them: import * as responseValidators from 'openai-admin/response-validators'; new OpenAIAdmin({ validate: 'strict', responseValidators }).",
      { cause },
    );
  });
const responseValidators = new WeakMap<object, Map<string, CompiledValidator | undefined>>();
const loadResponseValidator = async (op: OperationSpec, given: ResponseValidators | undefined) => {
  const module = given ?? (await loadResponseModule());
  let byName = responseValidators.get(module);
  if (!byName) responseValidators.set(module, (byName = new Map<string, CompiledValidator | undefined>()));
  if (!byName.has(op.name)) {
    const found = module[op.name];
    byName.set(op.name, typeof found === 'function' ? (found as CompiledValidator) : undefined);
  }
  return byName.get(op.name);
};

/** Cannot be percent-encoded (encodeURIComponent throws): such a string is corrupt, not an id. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a path id is unusable, or null. Ids are percent-encoded anyway, but "." and ".." would be normalised
 * away by URL parsers and address the parent resource, and an empty id addresses the collection.
 */
export function pathIdProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `must be a string (got ${value === null ? 'null' : typeof value})`;
  if (value === '') return 'must not be empty';
  if (value === '.' || value === '..') return `must not be "${value}"`;
  if (/[/?#]/.test(value)) return 'must not contain "/", "?" or "#"';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (it has an unpaired surrogate)';
  if (/[\r\n]/.test(value)) return 'must not contain CR or LF';
  return null;
}

/** An issue for every unusable path id of the operation, in path order. Pure. */
export function pathIssues(op: Pick<OperationSpec, 'pathParams'>, params: Record<string, unknown> = {}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const name of op.pathParams) {
    const problem = pathIdProblem(params[name]);
    if (problem) issues.push({ path: `path.${name}`, message: problem });
  }
  return issues;
}

const isUnixSeconds = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Checks the spec cannot express: the usage `limit` bound that depends on `bucket_width`, and a time range
 * that ends before it starts. Pure; returns the issues found.
 */
export function crossFieldIssues(op: OperationSpec, parts: RequestParts): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const query = parts.query ?? {};
  const widths = op.pagination?.limitByBucketWidth;
  if (widths) {
    const width = (query.bucket_width as string | undefined) ?? '1d';
    const max = widths[width];
    const limit = query.limit;
    if (max !== undefined && typeof limit === 'number' && (limit < 1 || limit > max)) {
      issues.push({
        path: 'query.limit',
        message: `must be between 1 and ${max} when bucket_width is "${width}" (got ${limit})`,
      });
    }
  }
  for (const [name, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [value];
    if (values.some((v) => typeof v === 'string' && LONE_SURROGATE.test(v))) {
      issues.push({ path: `query.${name}`, message: 'must be well-formed Unicode (it has an unpaired surrogate)' });
    }
  }
  const { start_time: start, end_time: end } = query;
  if (isUnixSeconds(start) && isUnixSeconds(end) && end <= start) {
    issues.push({ path: 'query.end_time', message: `must be after start_time (${end} <= ${start})` });
  }
  return issues;
}

/**
 * Throws RequestValidationError listing every failing field; nothing is sent in that case. Synchronous once
 * the operation's validator is loaded, so the hot path of a warm client awaits nothing here.
 */
export function validateRequest(op: OperationSpec, parts: RequestParts): void | Promise<void> {
  const validate = requestValidator(op);
  if (validate instanceof Promise) return validate.then((loaded) => checkRequest(op, parts, loaded));
  checkRequest(op, parts, validate);
}

/** The operation's compiled request validator: from the cache once loaded, else a promise of it. */
export function requestValidator(op: OperationSpec): CompiledValidator | Promise<CompiledValidator> {
  return requestValidators.get(op.name) ?? loadRequestValidator(op);
}

function checkRequest(op: OperationSpec, parts: RequestParts, validate: CompiledValidator): void {
  // The request checks hold no path ids (scripts/lib/validators.ts requestSchema): pathIssues' checks are stricter.
  const data: Record<string, unknown> = { query: definedOnly(parts.query) };
  if (parts.body !== undefined) data.body = parts.body;
  const found = pathIssues(op, parts.path);
  if (!validate(data)) {
    // The messages load with the validators (requestChecks), so they are here; were they not, still refused.
    const messages = requestChecks.loaded?.[2];
    if (messages) found.push(...messages.toIssues(validate.errors, op));
    else found.push({ path: 'request', message: 'does not match the schema' });
  }
  found.push(...crossFieldIssues(op, parts));
  if (found.length) throw new RequestValidationError(operationId(op), found);
}

export async function validateResponse(
  op: OperationSpec,
  body: unknown,
  mode: ValidateMode,
  warn: (message: string) => void | Promise<void>,
  given?: ResponseValidators,
): Promise<void> {
  if (mode === 'off') return;
  let validate: CompiledValidator | undefined;
  try {
    validate = await loadResponseValidator(op, given);
  } catch (error) {
    // 'warn' logs and continues, even when the validators are missing (a bundle that did not import them).
    if (mode === 'strict') throw error;
    return warn((error as Error).message);
  }
  if (!validate || validate(body)) return;
  const { toIssues } = await issuesModule();
  const error = new ResponseValidationError(operationId(op), toIssues(validate.errors), body);
  if (mode === 'strict') throw error;
  await warn(error.message);
}

/**
 * The fields that are not undefined: a query's absent parameters, or the client's `{ maxDelayMs: undefined }`,
 * which keeps the default instead of erasing it (config.ts). Pure.
 */
export function definedOnly<T extends object>(record: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [name, value] of Object.entries(record ?? {}))
    if (value !== undefined) (out as Record<string, unknown>)[name] = value;
  return out;
}
