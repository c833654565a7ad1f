/**
 * The one updating line on stderr that long commands show on a terminal: what is done (`5/12 projects`), and,
 * while the client sits out a rate limit, what it waits for (`waiting 20 s: GET …/api_keys is rate limited`).
 * The wait comes from the client's public `onRateLimit` hook (told of every wait before it starts); it is shown
 * until it has passed. The line is redrawn in place (CR, erase line) and cut to the terminal's width so it never
 * wraps (a wrapped line could not be erased).
 */
import type { RateLimitInfo } from '../index.js';
import { escapeControls } from './output/safe-text.js';
import { truncate } from './output/table.js';

/** A wait in words: `0.5 s`, `20 s`, `6 min 0 s`. Pure. */
export function formatWait(ms: number): string {
  if (ms < 1_000) return `${(Math.max(0, ms) / 1_000).toFixed(1)} s`;
  const s = Math.round(ms / 1_000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * What a rate-limit wait is shown as: the route shortened to its method and last path segment. Pure.
 * @example
 * describeWait({ route: 'GET /organization/projects/{project_id}/api_keys', waitMs: 20_000 } as RateLimitInfo)
 * // 'waiting 20 s: GET …/api_keys is rate limited'
 */
export function describeWait(info: Pick<RateLimitInfo, 'route' | 'waitMs'>): string {
  const [method, path = ''] = info.route.split(' ');
  const segments = path.split('/').filter(Boolean);
  const short = segments.length > 1 ? `…/${segments.at(-1)}` : path;
  return `waiting ${formatWait(info.waitMs)}: ${method} ${short} is rate limited`;
}

export interface ProgressOptions {
  /** Writes the terminal control sequence and text as they are (the line's text is escaped here). */
  write: (raw: string) => void;
  /** The terminal's width (the line is cut one short of it). */
  width: number;
  now?: () => number;
}

export class ProgressLine {
  #message = '';
  #wait: { text: string; until: number } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #shown = false;
  readonly #now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.#now = options.now ?? Date.now;
  }

  /** What is done so far, e.g. `5/12 projects checked`. */
  set(message: string): void {
    this.#message = message;
    this.#draw();
  }

  /** A rate-limit wait starting now (the client's onRateLimit). */
  waiting(info: Pick<RateLimitInfo, 'route' | 'waitMs'>): void {
    this.#wait = { text: describeWait(info), until: this.#now() + info.waitMs };
    clearTimeout(this.#timer);
    // Redrawn when the wait is over, so the line does not claim a wait that has ended; never keeps the process up.
    this.#timer = setTimeout(() => this.#draw(), info.waitMs + 50);
    this.#timer.unref?.();
    this.#draw();
  }

  /** The line as it reads now. */
  text(): string {
    if (this.#wait && this.#now() >= this.#wait.until) this.#wait = undefined;
    return [this.#message, this.#wait?.text].filter(Boolean).join(' · ');
  }

  #draw(): void {
    const text = this.text();
    if (!text) return;
    const width = Number.isFinite(this.options.width) ? this.options.width - 1 : Infinity;
    this.options.write(`\r\x1b[2K${truncate(escapeControls(text.replace(/[\r\n]+/g, ' ')), width)}`);
    this.#shown = true;
  }

  /** Erases the line (and forgets the wait); the next set draws it again. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#wait = undefined;
    this.#message = '';
    if (this.#shown) this.options.write('\r\x1b[2K');
    this.#shown = false;
  }
}
