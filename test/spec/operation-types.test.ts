/**
 * Type-level specification of the operation type map (generated/operation-types.gen.ts) and the core typed by
 * it. The assertions that matter are checked by `npm run typecheck`; the runtime part only keeps jest honest.
 */
import * as ops from '../../generated/operations.gen.js';
import type {
  ListAuditLogsQuery,
  ListProjectsItem,
  RetrieveProjectResponse,
} from '../../generated/operation-types.gen.js';
import { OpenAIAdmin } from '../../src/client.js';
import type { APIPromise } from '../../src/core/pipeline/api-promise.js';
import type { ItemOf, PaginatedOperationName, ResponseOf } from '../../src/core/types/operation.js';
import { listPages, type PagePromise } from '../../src/core/pipeline/pagination.js';
import { usagePages } from '../../src/core/client/usage.js';
import type { Project } from '../../generated/client/types.gen.js';
import type { CompletionsUsageResult } from '../../src/resources/usage.js';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

const admin = new OpenAIAdmin({ apiKey: 'sk-admin-types', baseURL: 'http://127.0.0.1:9/v1' });

// The operation fixes the result: no type argument to get wrong.
const retrieved = () => admin._call(ops.retrieveProject, { path: { project_id: 'p' } });
assertType<Equals<ReturnType<typeof retrieved>, APIPromise<RetrieveProjectResponse>>>();
assertType<Equals<ResponseOf<'retrieveProject'>, RetrieveProjectResponse>>();
const listed = () => listPages(admin, ops.listProjects, { query: { limit: 2 } });
assertType<Equals<ReturnType<typeof listed>, PagePromise<ListProjectsItem, ResponseOf<'listProjects'>>>>();
assertType<Equals<ItemOf<'listProjects'>, Project>>();

// Lists exist only for paginated operations.
assertType<'listProjects' extends PaginatedOperationName ? true : false>();
assertType<'retrieveProject' extends PaginatedOperationName ? false : true>();
// @ts-expect-error retrieveProject is not paginated
const notAList = () => listPages(admin, ops.retrieveProject, { path: { project_id: 'p' } });

// The parts follow the operation: ids where the path has them, the body's own type.
// @ts-expect-error retrieveProject needs its project_id
const noId = () => admin._call(ops.retrieveProject, {});
// @ts-expect-error a project's name is a string
const badBody = () => admin._call(ops.updateProject, { path: { project_id: 'p' }, body: { name: 7 } });

// Usage pages narrow only to a result their buckets can hold.
const completions = () =>
  usagePages<'usageCompletions', CompletionsUsageResult>(admin, ops.usageCompletions, { start_time: 1 });
type NotAResult = { object: 'nope' };
const wrongResult = () =>
  // @ts-expect-error not a result of any usage bucket
  usagePages<'usageCompletions', NotAResult>(admin, ops.usageCompletions, { start_time: 1 });

// Clean names for bracketed query parameters; the wire spelling is still accepted (deprecated).
const clean: ListAuditLogsQuery = { event_types: ['project.created'], project_ids: ['proj_1'] };
const wire: ListAuditLogsQuery = { 'event_types[]': ['project.created'] };
// @ts-expect-error not a parameter of the operation
const unknownParam: ListAuditLogsQuery = { event_type: ['project.created'] };

// Copies keep their class.
class Tagged extends OpenAIAdmin {
  readonly tag = 'x';
}
const copy = new Tagged({ apiKey: 'sk-admin-types', baseURL: 'http://127.0.0.1:9/v1' }).withOptions({ timeout: 1 });
assertType<Equals<typeof copy, Tagged>>();

describe('operation type map', () => {
  it('compiles (the assertions above are checked by npm run typecheck)', () => {
    expect(
      [retrieved, listed, notAList, noId, badBody, completions, wrongResult, clean, wire, unknownParam, copy.tag]
        .length,
    ).toBe(11);
  });
});
