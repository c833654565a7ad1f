/**
 * Cross-field request checks (src/core/validation/validation.ts), pure: bounds that depend on another field. The client
 * refusing such a request before any I/O: test/integration/validation.test.ts.
 */
import * as ops from '../../../generated/operations.gen.js';
import { crossFieldIssues } from '../../../src/core/validation/validation.js';

describe('crossFieldIssues (pure)', () => {
  test('the usage limit bound follows bucket_width', () => {
    expect(crossFieldIssues(ops.usageCompletions, { query: { bucket_width: '1m', limit: 1440 } })).toEqual([]);
    expect(crossFieldIssues(ops.usageCompletions, { query: { bucket_width: '1m', limit: 1441 } })).toEqual([
      { path: 'query.limit', message: 'must be between 1 and 1440 when bucket_width is "1m" (got 1441)' },
    ]);
  });

  test('operations without bucket widths have no limit bound here', () => {
    expect(crossFieldIssues(ops.listProjects, { query: { limit: 1000 } })).toEqual([]);
  });
});
