import type { CompiledValidator } from '../../generated/operations.gen.js';
/**
 * OpenAI's error envelope. Clients branch on `status`, `type` and `code`, so every failure the
 * emulator produces goes through this one class and one serialiser.
 */

/** The wire shape of every error body: `{ error: { message, type, param, code } }`. */
export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/**
 * An error the emulator answers with; thrown anywhere in a handler and turned into a response.
 *
 * @example
 * ```ts
 * throw new ApiError(409, 'Already a member.', 'invalid_request_error', 'user_id', 'conflict');
 * // → 409 { "error": { "message": "Already a member.", "type": "invalid_request_error", "param": "user_id", "code": "conflict" } }
 * ```
 */
export class ApiError extends Error {
  override name = 'ApiError' as const;

  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function badRequest(message: string, param: string | null = null, code: string | null = null): ApiError {
  return new ApiError(400, message, 'invalid_request_error', param, code);
}

export function notFound(what: string, id: string, param: string | null = null): ApiError {
  return new ApiError(404, `No ${what} found with id '${id}'.`, 'invalid_request_error', param, 'not_found');
}

export function conflict(message: string, param: string | null = null): ApiError {
  return new ApiError(409, message, 'invalid_request_error', param, 'conflict');
}

/** The real API answers an unknown path or method with 404 "Invalid URL", not 405. */
export function invalidUrl(method: string, path: string): ApiError {
  return new ApiError(404, `Invalid URL (${method} ${path})`, 'invalid_request_error');
}

/** Archived projects are read-only upstream; the message names the project so scripts can log it. */
export function archived(projectId: string): ApiError {
  return badRequest(`Project '${projectId}' is archived and cannot be modified.`, 'project_id', 'project_archived');
}

type AjvError = NonNullable<CompiledValidator['errors']>[number];

/** `/body/projects/0/role` → `projects[0].role`, the way OpenAI names nested params. */
function paramName(instancePath: string, missing?: unknown): string {
  const parts = instancePath
    .split('/')
    .slice(2)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (typeof missing === 'string') parts.push(missing);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || instancePath.split('/')[1] || 'body';
}

/** Turns the first failure of a generated request validator into a 400 naming the param. */
export function fromValidation(errors: readonly AjvError[] | null | undefined): ApiError {
  const e = errors?.[0];
  if (!e) return badRequest('Invalid request.');
  const exclusive = exclusiveFields(errors);
  if (exclusive)
    return badRequest(
      `Invalid request: '${exclusive.join("' and '")}' cannot be used together.`,
      exclusive[0],
      'invalid_value',
    );
  const param = paramName(e.instancePath, e.params.missingProperty);
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return badRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
    case 'maximum':
      return badRequest(
        `Invalid '${param}': integer above maximum value. Expected a value <= ${String(p.limit)}.`,
        param,
        'integer_above_max_value',
      );
    case 'minimum':
      return badRequest(
        `Invalid '${param}': integer below minimum value. Expected a value >= ${String(p.limit)}.`,
        param,
        'integer_below_min_value',
      );
    case 'type':
      return badRequest(`Invalid type for '${param}': expected ${String(p.type)}.`, param, 'invalid_type');
    case 'enum':
      return badRequest(
        `Invalid value for '${param}': expected one of ${(p.allowedValues as unknown[]).map((v) => `'${String(v)}'`).join(', ')}.`,
        param,
        'invalid_value',
      );
    default:
      return badRequest(`Invalid '${param}': ${e.message ?? e.keyword}.`, param, 'invalid_value');
  }
}

/**
 * A body-level anyOf whose branches each constrain one field is how the spec says "these fields exclude each
 * other" (e.g. expires_in_seconds with create_service_account_only: true): the fields its failed branches name.
 */
function exclusiveFields(errors: readonly AjvError[]): string[] | null {
  const at = errors.findIndex((x) => x.keyword === 'anyOf' && x.instancePath === '/body');
  if (at < 0) return null;
  const names = new Set(
    errors
      .slice(0, at)
      .filter((x) => x.instancePath.startsWith('/body/'))
      .map((x) => x.instancePath.slice('/body/'.length).split('/')[0]),
  );
  return names.size > 1 ? [...names] : null;
}
