/**
 * Read-after-write: the ids this client created in the last moments, so that a 404 naming one of them (the API
 * is eventually consistent: a service account just created can answer 404 for a moment) is retried briefly
 * instead of failing. Bounded (the most recent MAX_IDS ids) and only touched on creates and on 404s.
 */

/** How long after its creation a 404 naming an id is taken for lag rather than absence. */
export const READ_AFTER_WRITE_WINDOW_MS = 2_000;
/** The waits before each retry of such a 404: at most three retries, 1.75 s in all. */
export const READ_AFTER_WRITE_DELAYS_MS: readonly number[] = [250, 500, 1_000];
const MAX_IDS = 256;

export class RecentIds {
  /** id → creation time; a Map iterates in insertion order, so the first key is the oldest. */
  readonly #created = new Map<string, number>();

  get size(): number {
    return this.#created.size;
  }

  add(id: string, at: number): void {
    this.#created.delete(id);
    this.#created.set(id, at);
    if (this.#created.size > MAX_IDS) this.#created.delete(this.#created.keys().next().value!);
  }

  /**
   * The wait before retrying a 404 whose path names an id created within the window before `now`, when fewer
   * than READ_AFTER_WRITE_DELAYS_MS.length such retries were made; else undefined (the 404 stands).
   */
  retryDelay(path: Record<string, unknown> | undefined, now: number, retriesDone: number): number | undefined {
    return this.#created.size > 0 && retriesDone < READ_AFTER_WRITE_DELAYS_MS.length && this.namesRecent(path, now)
      ? READ_AFTER_WRITE_DELAYS_MS[retriesDone]
      : undefined;
  }

  /** True when one of the path's values is an id created within the window before `now`. */
  namesRecent(path: Record<string, unknown> | undefined, now: number): boolean {
    if (!path) return false;
    for (const value of Object.values(path)) {
      const at = typeof value === 'string' ? this.#created.get(value) : undefined;
      if (at !== undefined && now - at <= READ_AFTER_WRITE_WINDOW_MS) return true;
    }
    return false;
  }
}
