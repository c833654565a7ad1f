import { operationId, type CompiledValidator, type OperationSpec } from '../types/operation.js';
import { OpenAIAdminError, RequestValidationError, ResponseValidationError, type FieldIssue } from '../base/errors.js';
import { LONE_SURROGATE, pathIssues } from './url.js';

/** Response validation: 'off' (default, fastest), 'warn' (log and continue) or 'strict' (throw). */
export type ValidateMode = 'off' | 'warn' | 'strict';

// Request checks are data (generated/validators/requests.gen.ts) run by schema-check.ts, one module for every
// operation, loaded on the first validated call; the response validators load only when response validation is on.
const requestValidators = new Map<string, CompiledValidator>();
// Messages are composed only after a failure (issues.ts); loaded with the validators, so it is there by then.
let issues: typeof import('./issues.js') | undefined;
let issuesLoading: Promise<typeof import('./issues.js')> | undefined;
const loadIssues = () => (issuesLoading ??= import('./issues.js').then((m) => (issues = m)));
let requestChecks:
  | Promise<
      [typeof import('../../../generated/validators/requests.gen.js'), typeof import('./schema-check.js'), unknown]
    >
  | undefined;
const loadRequestValidator = async (op: OperationSpec) => {
  // The checker travels with its data and the messages: none of them is in a bundle's initial chunk.
  const [{ defs, requests }, { schemaValidator }] = await (requestChecks ??= Promise.all([
    import('../../../generated/validators/requests.gen.js'),
    import('./schema-check.js'),
    loadIssues(),
  ]));
  const validate = schemaValidator(requests[op.name], defs);
  requestValidators.set(op.name, validate);
  return validate;
};

/** The response validators by camelCase operation name: the module openai-admin/response-validators. */
export type ResponseValidators = Readonly<Record<string, unknown>>;

// A literal import(), as every import() in the package: a bundle's tools must see each module it may load. The
// module it names is mapped out of browser builds (package.json "browser"), so a single-file browser bundle does
// not carry ~700 KB of validators, used or not: there it is empty, and the app passes the validators it imports.
let responseModule: Promise<ResponseValidators> | undefined;
const loadResponseModule = (): Promise<ResponseValidators> =>
  (responseModule ??= import('./response-validators.js')
    .then((m: Partial<typeof import('./response-validators.js')>) => {
      if (!m.responseValidators) throw new Error('not in this bundle');
      return m.responseValidators;
    })
    .catch((cause: unknown) => {
      responseModule = undefined;
      throw new OpenAIAdminError(
        "Response validation (validate: 'warn' or 'strict') could not load its validators; in a bundle, import them and pass " +
          "them: import * as responseValidators from 'openai-admin/response-validators'; new OpenAIAdmin({ validate: 'strict', responseValidators }).",
        { cause },
      );
    }));
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

export interface RequestParts {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
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
  const data: Record<string, unknown> = { path: parts.path ?? {}, query: stripUndefined(parts.query ?? {}) };
  if (parts.body !== undefined) data.body = parts.body;
  // Path ids get the friendlier checks of pathIssues; the schema's pattern says the same less clearly.
  const found = pathIssues(op, parts.path);
  if (!validate(data)) found.push(...issues!.toIssues(validate.errors, op).filter((i) => !i.path.startsWith('path.')));
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
  const { toIssues } = await loadIssues();
  const error = new ResponseValidationError(operationId(op), toIssues(validate.errors), body);
  if (mode === 'strict') throw error;
  await warn(error.message);
}

function stripUndefined(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}
