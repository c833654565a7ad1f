/**
 * Every item of one list the organisation reader needs, with a deliberate bound. Export and plan must see whole
 * lists (a shortened list would plan deletes of what it did not see), so the bound is far above any real
 * organisation and exists only so that a server paginating forever cannot grow the process without limit. Past
 * it, the read stops with an error naming the list, and nothing is planned or applied.
 */
import { PaginationError } from '../index.js';

/** The most items read from one list (users, projects, a project's members…). */
export const ORG_LIST_MAX = 200_000;

/**
 * Collects `list` (a generated `list()` call) with {@link ORG_LIST_MAX} as its bound.
 *
 * @example
 * const users = await collect(admin.users.list({ limit: 100 }), 'users');
 */
export async function collect<T>(
  list: { toArray(options: { max: number }): Promise<T[]> },
  what: string,
): Promise<T[]> {
  try {
    return await list.toArray({ max: ORG_LIST_MAX });
  } catch (error) {
    if (!(error instanceof PaginationError)) throw error;
    throw new PaginationError(
      `Reading ${what}: the server listed more than ${ORG_LIST_MAX.toLocaleString('en-US')} items, more than ` +
        'openai-admin reads from one list. Nothing was planned or changed.',
    );
  }
}
