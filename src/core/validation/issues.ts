/**
 * Turns validator issues (keyword + params, as ajv reports them) into the messages users read. Needed only once
 * something failed, so it is loaded with the validators (validation.ts), never in a bundle's initial chunk.
 */
import type { CompiledValidator, OperationSpec } from '../types/operation.js';
import type { FieldIssue } from '../base/errors.js';
import { defs, requests } from '../../../generated/validators/requests.gen.js';
import { propertyNames } from './schema-check.js';
import { didYouMean } from '../base/suggest.js';

type AjvError = NonNullable<CompiledValidator['errors']>[number];

/** The top-level fields of the operation's JSON body (none without one). */
export function bodyFields(op: Pick<OperationSpec, 'name'>): string[] {
  return propertyNames(requests[op.name]?.properties?.body, defs);
}

/** What an unknown property is called where it was found, with the closest known name when there is one. */
function unknownProperty(op: OperationSpec | undefined, where: string, name: string): string {
  if (where === 'query')
    return `is not a parameter of this operation${didYouMean(
      name,
      (op?.query ?? []).map((q) => q.name),
    )}`;
  if (where === 'body') return `is not a field of this request body${didYouMean(name, op ? bodyFields(op) : [])}`;
  if (where.startsWith('body.')) return 'is not a field of this request body';
  return 'is not a parameter of this operation';
}

function describe(error: AjvError, op?: OperationSpec): FieldIssue {
  const where = error.instancePath.slice(1).replace(/\//g, '.');
  const at = (child: string) => (where ? `${where}.${child}` : child);
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return { path: at(String(p.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return {
        path: at(String(p.additionalProperty)),
        message: unknownProperty(op, where, String(p.additionalProperty)),
      };
    case 'type':
      return { path: where, message: `must be ${p.type === 'integer' ? 'an integer' : `of type ${p.type}`}` };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const shown =
        allowed.length > 8 ? `${allowed.slice(0, 8).join(', ')}, … (${allowed.length} values)` : allowed.join(', ');
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
export function toIssues(errors: AjvError[] | null | undefined, op?: OperationSpec): FieldIssue[] {
  const issues = (errors ?? [])
    .filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword) || errors!.length === 1)
    .map((e) => describe(e, op));
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path} ${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
