import type { Context } from './context.js';
import type { OptionSpec } from './globals.js';

/** A runnable command: an API operation or a workflow. Help is rendered from these fields. */
export interface Command {
  readonly words: readonly string[];
  readonly summary: string;
  readonly description?: string;
  /** Positional arguments as shown in usage, e.g. ['<project-id>', '<user-id>']. */
  readonly positionals: readonly string[];
  /** Command-specific flags (globals are added by the parser). */
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples: readonly string[];
  /** The output format without --json/--ndjson/--csv (default 'table'): 'csv' for a command whose output is a CSV file. */
  readonly defaultFormat?: 'csv';
  /** Extra help sections: a title and its lines. */
  readonly notes?: readonly string[];
  /** A deprecated former name: the current words it stands for (kept working, not offered by completion). */
  readonly deprecatedFor?: string;
  run(ctx: Context, values: Record<string, unknown>, positionals: string[]): Promise<void>;
}
