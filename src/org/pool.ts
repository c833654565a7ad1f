/**
 * Runs tasks with at most `concurrency` in flight. The client's pacing (its scheduler) decides how fast requests
 * actually go out and waits out 429s; this only bounds how many an org run keeps queued at once.
 */

/**
 * Calls `task` for every item, `concurrency` at a time; resolves with the results in item order. The first
 * failure stops new tasks from starting and rejects once the running ones have settled.
 *
 * @example
 * ```ts
 * const names = await inPool(projectIds, 4, async (id) => (await admin.projects.retrieve(id)).name);
 * ```
 */
export async function inPool<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}
