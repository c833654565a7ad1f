/** Flags every command accepts. Documented here once; help and parsing both read this table. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  description: string;
  /** Shown in help as `--flag <placeholder>`. */
  placeholder?: string;
}

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for this command.' },
  version: { type: 'boolean', description: 'Print the version.' },
  json: { type: 'boolean', description: 'Print one JSON document (the object, or an array for a list).' },
  ndjson: { type: 'boolean', description: 'Print one JSON object per line, as pages arrive.' },
  csv: {
    type: 'boolean',
    description:
      "Print CSV (RFC 4180) with a header row. A cell starting with =, +, -, @, tab or CR (a spreadsheet formula) gets a leading ' unless it is a plain number; control characters are escaped.",
  },
  'csv-raw': {
    type: 'boolean',
    description: 'Print CSV with every cell exactly as the server sent it (no formula guard, no escapes).',
  },
  fields: {
    type: 'string',
    placeholder: 'a,b.c',
    description: 'Only these fields/columns (dotted paths reach nested fields).',
  },
  max: { type: 'string', placeholder: 'N', description: 'Stop a list after N items.' },
  all: {
    type: 'boolean',
    description:
      'Every item of a list also on a terminal (which shows a first screenful; pipes and files always get every item).',
  },
  wide: {
    type: 'boolean',
    description:
      "Tables: every column, cells uncut, whatever the terminal's width (default: fit it; COLUMNS overrides).",
  },
  output: {
    type: 'string',
    short: 'o',
    placeholder: 'file',
    description: 'Write the output to this file instead of stdout, atomically: all of it or, on failure, nothing.',
  },
  quiet: { type: 'boolean', short: 'q', description: 'No progress line and no remarks on stderr; warnings remain.' },
  'api-key-file': {
    type: 'string',
    placeholder: 'path',
    description: 'Read the admin key from this file (default: $OPENAI_ADMIN_KEY).',
  },
  'base-url': {
    type: 'string',
    placeholder: 'url',
    description: 'API base URL (default: $OPENAI_BASE_URL or https://api.openai.com/v1).',
  },
  'allow-insecure-http': {
    type: 'boolean',
    description:
      'Allow a plain-http --base-url to another machine (the key then crosses the network in clear text). Loopback needs no flag.',
  },
  emulator: {
    type: 'boolean',
    description:
      'Run against a fresh local emulator (seeded, no key needed) that is ephemeral: it lives for this one command, so what one command creates is gone in the next. For state across commands: openai-admin emulator start --state FILE.',
  },
  'dry-run': { type: 'boolean', description: 'Print method, URL and body; send nothing.' },
  yes: {
    type: 'boolean',
    short: 'y',
    description: 'Do not ask before destructive commands (required when stdin is not a terminal).',
  },
  debug: { type: 'boolean', description: 'Log each request to stderr (key redacted) and print stacks on errors.' },
};

/** Global flags that take a value: the command-word scanner skips their values. */
export const GLOBAL_VALUE_FLAGS = new Set(
  Object.entries(GLOBAL_OPTIONS)
    .filter(([, o]) => o.type === 'string')
    .map(([k]) => k),
);

export interface Globals {
  help: boolean;
  version: boolean;
  json: boolean;
  ndjson: boolean;
  csv: boolean;
  'csv-raw': boolean;
  fields?: string;
  max?: string;
  all: boolean;
  wide: boolean;
  output?: string;
  quiet: boolean;
  'api-key-file'?: string;
  'base-url'?: string;
  'allow-insecure-http': boolean;
  emulator: boolean;
  'dry-run': boolean;
  yes: boolean;
  debug: boolean;
}
