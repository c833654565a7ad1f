/**
 * validateRequest keeps the schema's verdict on a call with neither query nor body (a retrieve, a delete, a list
 * without parameters) after the first such call of an operation, and skips the schema from then on. The verdict must
 * be the schema's: an operation that needs a query or a body is refused on every bare call, not only the first, and
 * the path ids are checked on every call whatever was kept.
 */
import * as ops from '../../../generated/operations.gen.js';
import { RequestValidationError } from '../../../src/core/base/errors.js';
import { validateRequest } from '../../../src/core/validation/validation.js';
import type { RequestParts } from '../../../src/core/types/call.js';
import type { OperationSpec } from '../../../src/core/types/operation.js';

/** The issues validateRequest finds (after loading the checks on first use), or [] when it passes. */
async function issuesOf(op: OperationSpec, parts: RequestParts) {
  try {
    await validateRequest(op, parts);
    return [];
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    return error.issues;
  }
}

describe('a call with neither query nor body', () => {
  test('an operation that needs a query is refused on every bare call', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await issuesOf(ops.usageCompletions, {})).toEqual([{ path: 'query.start_time', message: 'is required' }]);
      expect(await issuesOf(ops.usageCompletions, { query: { start_time: undefined } })).toHaveLength(1);
    }
  });

  test('an operation that needs a body is refused on every call without one', async () => {
    for (let i = 0; i < 3; i++)
      expect((await issuesOf(ops.createProject, {})).map((issue) => issue.path)).toEqual(['body']);
  });

  test('path ids are checked on every call after the verdict is kept', async () => {
    expect(await issuesOf(ops.retrieveProject, { path: { project_id: 'proj_1' } })).toEqual([]);
    expect(await issuesOf(ops.retrieveProject, { path: { project_id: 'proj_1' } })).toEqual([]);
    expect(await issuesOf(ops.retrieveProject, { path: { project_id: 'a/b' } })).toEqual([
      { path: 'path.project_id', message: 'must not contain "/", "?" or "#"' },
    ]);
    expect(await issuesOf(ops.retrieveProject, { path: {} })).toEqual([
      { path: 'path.project_id', message: 'must be a string (got undefined)' },
    ]);
  });

  test('a verdict kept for bare calls does not excuse a call with a query or a body', async () => {
    expect(await issuesOf(ops.listProjects, {})).toEqual([]);
    expect(await issuesOf(ops.listProjects, {})).toEqual([]);
    expect((await issuesOf(ops.listProjects, { query: { limit: 0 } })).map((issue) => issue.path)).toEqual([
      'query.limit',
    ]);
    expect((await issuesOf(ops.listProjects, { query: { nope: 1 } })).map((issue) => issue.path)).toEqual([
      'query.nope',
    ]);
  });
});
