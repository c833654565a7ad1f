/**
 * The request checks cover the query and the body; path ids are checked by pathIssues alone (the generated schemas
 * hold none since they said the same less clearly). A call with neither query nor body (a retrieve, a delete) is
 * still refused when its operation needs a query or a body, on every call, and its ids are checked on every call.
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

describe('request checks on calls with neither query nor body', () => {
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

  test('path ids are checked on every call, by pathIssues', async () => {
    expect(await issuesOf(ops.retrieveProject, { path: { project_id: 'proj_1' } })).toEqual([]);
    expect(await issuesOf(ops.retrieveProject, { path: { project_id: 'proj_1' } })).toEqual([]);
    expect(await issuesOf(ops.retrieveProject, { path: { project_id: 'a/b' } })).toEqual([
      { path: 'path.project_id', message: 'must not contain "/", "?" or "#"' },
    ]);
    expect(await issuesOf(ops.retrieveProject, { path: {} })).toEqual([
      { path: 'path.project_id', message: 'must be a string (got undefined)' },
    ]);
  });

  test('an operation that passes bare calls still checks a query when one is given', async () => {
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
