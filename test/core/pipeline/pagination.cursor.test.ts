/** nextCursor for the three cursor styles, and the flat usage rows: pure functions. */
import * as ops from '../../../generated/operations.gen.js';
import { nextCursor, PaginationError } from '../../../src/core/pipeline/pagination.js';
import { bucketRows } from '../../../src/core/client/usage.js';

const cursor = ops.listProjects.pagination;
const next = ops.listGroups.pagination;
const page = ops.usageCompletions.pagination;

describe('nextCursor: cursor style (after → last_id, has_more)', () => {
  test('gives last_id while has_more is true', () => {
    expect(nextCursor(cursor, { data: [{ id: 'a' }], last_id: 'a', has_more: true })).toBe('a');
  });

  test('gives null when has_more is false, whatever last_id says', () => {
    expect(nextCursor(cursor, { data: [{ id: 'a' }], last_id: 'a', has_more: false })).toBeNull();
    expect(nextCursor(cursor, { data: [], last_id: null, has_more: false })).toBeNull();
  });

  test('falls back to the id of the last item when last_id is missing', () => {
    expect(nextCursor(cursor, { data: [{ id: 'a' }, { id: 'b' }], last_id: null, has_more: true })).toBe('b');
  });

  test('has_more with neither last_id nor items is an error, never a silent end', () => {
    expect(() => nextCursor(cursor, { data: [], last_id: null, has_more: true })).toThrow(PaginationError);
    expect(() => nextCursor(cursor, { data: [], has_more: true })).toThrow(/has_more is true but "last_id" is missing/);
  });
});

describe('nextCursor: next style (after → next)', () => {
  test('gives next when present', () => {
    expect(nextCursor(next, { data: [], next: 'grp_cursor', has_more: true })).toBe('grp_cursor');
  });

  test('gives null when next is null', () => {
    expect(nextCursor(next, { data: [], next: null, has_more: false })).toBeNull();
    expect(nextCursor(next, { data: [], next: null })).toBeNull();
  });

  test('gives null when has_more is false even if next is set', () => {
    expect(nextCursor(next, { data: [], next: 'stale', has_more: false })).toBeNull();
  });

  test('has_more true with an empty next is an error', () => {
    expect(() => nextCursor(next, { data: [], next: null, has_more: true })).toThrow(PaginationError);
    expect(() => nextCursor(next, { data: [], next: '', has_more: true })).toThrow(/"next" is empty/);
  });
});

describe('nextCursor: page style (page → next_page)', () => {
  test('gives next_page while has_more is true', () => {
    expect(nextCursor(page, { data: [], next_page: 'page_2=', has_more: true })).toBe('page_2=');
  });

  test('gives null on the last page (next_page null)', () => {
    expect(nextCursor(page, { data: [], next_page: null, has_more: false })).toBeNull();
  });

  test('has_more true without next_page is an error', () => {
    expect(() => nextCursor(page, { data: [{ id: 'not-a-cursor' }], next_page: null, has_more: true })).toThrow(
      /has_more is true but "next_page" is missing/,
    );
  });
});

describe('bucketRows', () => {
  test('one row per result with the bucket time range, without the object tag', () => {
    const rows = bucketRows({
      start_time: 100,
      end_time: 200,
      results: [
        {
          object: 'organization.usage.completions.result',
          input_tokens: 5,
          output_tokens: 7,
          project_id: 'p1',
          model: 'gpt',
        },
        {
          object: 'organization.usage.completions.result',
          input_tokens: 1,
          output_tokens: 2,
          project_id: 'p2',
          model: null,
        },
      ],
    });
    expect(rows).toEqual([
      { start_time: 100, end_time: 200, input_tokens: 5, output_tokens: 7, project_id: 'p1', model: 'gpt' },
      { start_time: 100, end_time: 200, input_tokens: 1, output_tokens: 2, project_id: 'p2', model: null },
    ]);
  });

  test('an empty bucket gives no rows', () => {
    expect(bucketRows({ start_time: 1, end_time: 2, results: [] })).toEqual([]);
  });
});
