/**
 * Clean parameter names and wire names (src/core/types/operation.ts), pure: the query renamed for the wire, and issue
 * paths renamed back into the caller's spelling. The same on a real server: test/integration/operation.test.ts.
 */
import * as ops from '../../../generated/operations.gen.js';
import { cleanIssuePath, toWireQuery } from '../../../src/core/types/operation.js';

describe('toWireQuery (pure)', () => {
  test('renames clean names to wire names, leaving the rest alone', () => {
    expect(toWireQuery(ops.listAuditLogs, { event_types: ['project.created'], limit: 5 })).toEqual({
      'event_types[]': ['project.created'],
      limit: 5,
    });
  });

  test('returns the very same object when nothing needs renaming', () => {
    const query = { limit: 5 };
    expect(toWireQuery(ops.listAuditLogs, query)).toBe(query);
    expect(toWireQuery(ops.listProjects, query)).toBe(query);
  });

  test('the clean spelling wins over the deprecated wire spelling', () => {
    expect(toWireQuery(ops.listAuditLogs, { project_ids: ['a'], 'project_ids[]': ['b'] })).toEqual({
      'project_ids[]': ['a'],
    });
  });

  test('an undefined clean value leaves the wire spelling in place', () => {
    expect(toWireQuery(ops.listAuditLogs, { project_ids: undefined, 'project_ids[]': ['b'] })).toEqual({
      'project_ids[]': ['b'],
    });
  });
});

describe('cleanIssuePath (pure)', () => {
  test.each([
    ['query.event_types[]', 'query.event_types'],
    ['query.event_types[].0', 'query.event_types.0'],
    ['query.limit', 'query.limit'],
    ['body.event_types[]', 'body.event_types[]'],
  ])('%s → %s', (path, expected) => {
    expect(cleanIssuePath(ops.listAuditLogs, path)).toBe(expected);
  });
});
