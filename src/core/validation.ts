import type { CompiledValidator, OperationSpec } from '../../generated/operations.gen.js';
import { RequestValidationError, ResponseValidationError, type FieldIssue } from './errors.js';
import { didYouMean } from './suggest.js';
import { LONE_SURROGATE, pathIssues } from './url.js';

/** Response validation: 'off' (default, fastest), 'warn' (log and continue) or 'strict' (throw). */
export type ValidateMode = 'off' | 'warn' | 'strict';

type AjvError = NonNullable<CompiledValidator['errors']>[number];
type ValidatorModule = Record<string, CompiledValidator>;

// The validators are large. Each operation's request validator is its own module, loaded on the first call of
// that operation; the response validators load only when response validation is on.
const requestValidators = new Map<string, CompiledValidator>();
const loadRequestValidator = async (op: OperationSpec) => {
  const { validate } = await op.requestValidator();
  requestValidators.set(op.id, validate);
  return validate;
};
let responseModule: Promise<ValidatorModule> | undefined;
const responseValidators = new Map<string, Promise<CompiledValidator | undefined>>();
const loadResponseValidator = (op: OperationSpec) => {
  let loaded = responseValidators.get(op.id);
  if (!loaded) {
    responseModule ??= import('../../generated/validators/responses.gen.js') as unknown as Promise<ValidatorModule>;
    // Exported under the camelCase operation id.
    const name = op.id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    responseValidators.set(op.id, (loaded = responseModule.then((m) => m[name])));
  }
  return loaded;
};

/** What an unknown property is called where it was found, with the closest known name when there is one. */
function unknownProperty(op: OperationSpec | undefined, where: string, name: string): string {
  if (where === 'query') return `is not a parameter of this operation${didYouMean(name, (op?.query ?? []).map((q) => q.name))}`;
  if (where === 'body') return `is not a field of this request body${didYouMean(name, op?.bodyFields ?? [])}`;
  if (where.startsWith('body.')) return 'is not a field of this request body';
  return 'is not a parameter of this operation';
}

function describe(error: AjvError, op?: OperationSpec): FieldIssue {
  const where = error.instancePath.slice(1).replace(/\//g, '.');
  const at = (child: string) => (where ? `${where}.${child}` : child);
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return { path: at(p.missingProperty), message: 'is required' };
    case 'additionalProperties':
      return { path: at(p.additionalProperty), message: unknownProperty(op, where, String(p.additionalProperty)) };
    case 'type':
      return { path: where, message: `must be ${p.type === 'integer' ? 'an integer' : `of type ${p.type}`}` };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const shown = allowed.length > 8 ? `${allowed.slice(0, 8).join(', ')}, … (${allowed.length} values)` : allowed.join(', ');
      return { path: where, message: `must be one of ${shown}` };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path: where, message: `must be ${p.comparison} ${p.limit}` };
    case 'minLength':
      return { path: where, message: p.limit === 1 ? 'must not be empty' : `must have at least ${p.limit} characters` };
    case 'maxLength':
      return { path: where, message: `must have at most ${p.limit} characters` };
    case 'pattern':
      return { path: where, message: `does not match ${p.pattern}` };
    case 'minItems':
      return { path: where, message: `must have at least ${p.limit} items` };
    case 'maxItems':
      return { path: where, message: `must have at most ${p.limit} items` };
    case 'const':
      return { path: where, message: `must be ${JSON.stringify(p.allowedValue)}` };
    default:
      return { path: where, message: `fails ${error.keyword}` };
  }
}

/** Keeps the most specific issue per field: anyOf/oneOf wrappers only add noise next to their branches. */
function toIssues(errors: AjvError[] | null | undefined, op?: OperationSpec): FieldIssue[] {
  const issues = (errors ?? []).filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword) || errors!.length === 1).map((e) => describe(e, op));
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path} ${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export interface RequestParts {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

const isUnixSeconds = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

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
      issues.push({ path: 'query.limit', message: `must be between 1 and ${max} when bucket_width is "${width}" (got ${limit})` });
    }
  }
  for (const [name, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [value];
    if (values.some((v) => typeof v === 'string' && LONE_SURROGATE.test(v))) {
      issues.push({ path: `query.${name}`, message: 'must be well-formed Unicode (it has an unpaired surrogate)' });
    }
  }
  const { start_time: start, end_time: end } = query;
  if (isUnixSeconds(start) && isUnixSeconds(end) && (end as number) <= (start as number)) {
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
  return requestValidators.get(op.id) ?? loadRequestValidator(op);
}

function checkRequest(op: OperationSpec, parts: RequestParts, validate: CompiledValidator): void {
  const data: Record<string, unknown> = { path: parts.path ?? {}, query: stripUndefined(parts.query ?? {}) };
  if (parts.body !== undefined) data.body = parts.body;
  // Path ids get the friendlier checks of pathIssues; the schema's pattern says the same less clearly.
  const issues = pathIssues(op, parts.path);
  if (!validate(data)) issues.push(...toIssues(validate.errors, op).filter((i) => !i.path.startsWith('path.')));
  issues.push(...crossFieldIssues(op, parts));
  if (issues.length) throw new RequestValidationError(op.id, issues);
}

export async function validateResponse(
  op: OperationSpec,
  body: unknown,
  mode: ValidateMode,
  warn: (message: string) => void,
): Promise<void> {
  if (mode === 'off') return;
  const validate = await loadResponseValidator(op);
  if (!validate || validate(body)) return;
  const error = new ResponseValidationError(op.id, toIssues(validate.errors), body);
  if (mode === 'strict') throw error;
  warn(error.message);
}

function stripUndefined(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}
