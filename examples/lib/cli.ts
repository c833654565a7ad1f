/**
 * The command-line half of every example: decide emulator or live, build the client, run, clean up.
 *
 * - Default: a fresh local emulator (seeded, in memory) — no key, no network, nothing to undo.
 * - `--live` with OPENAI_ADMIN_KEY set: the real API. Examples that change the organisation also need
 *   `--allow-writes`, so a read-only habit (`--live`) never provisions or deletes anything by accident.
 *
 * The examples' `main` functions never import this file's emulator start-up themselves: tests call `main`
 * with their own client, and this module is only used from the tiny CLI guard at the bottom of each example.
 */
import { basename } from 'node:path';
import { OpenAIAdmin } from '../../src/index.js';
import { DEMO_ADMIN_KEY, startEmulator, type EmulatorOptions } from '../../src/testing/index.js';

export interface CliContext {
  admin: OpenAIAdmin;
  live: boolean;
  args: string[];
}

/**
 * True when this file is the script being run (`npx tsx examples/<name>.ts`). A file-name check rather than
 * `import.meta.url`, so the examples also compile as CommonJS (ts-jest) where `import.meta` is not allowed.
 */
export function isMain(name: string): boolean {
  const script = process.argv[1];
  return !!script && basename(script).replace(/\.[cm]?[jt]s$/, '') === name;
}

/** `--name value` or `--name=value`; all occurrences, in order. */
export function flagValues(args: string[], name: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === name && i + 1 < args.length) out.push(args[i + 1]);
    else if (a.startsWith(`${name}=`)) out.push(a.slice(name.length + 1));
  });
  return out;
}

export function flag(args: string[], name: string): string | undefined {
  return flagValues(args, name).at(-1);
}

export function numberFlag(args: string[], name: string, fallback: number): number {
  const v = flag(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got '${v}'`);
  return n;
}

/** Runs `body` against the emulator, or against the real API with `--live` (and `--allow-writes` if `mutating`). */
export async function runCli(
  options: { mutating: boolean; emulator?: EmulatorOptions },
  body: (ctx: CliContext) => Promise<void>,
): Promise<void> {
  const args = process.argv.slice(2);
  const live = args.includes('--live');
  if (live && !process.env.OPENAI_ADMIN_KEY) {
    throw new Error('--live needs OPENAI_ADMIN_KEY (an organization admin key, sk-admin-…)');
  }
  if (live && options.mutating && !args.includes('--allow-writes')) {
    throw new Error(
      'This example changes your organization. Run it with --live --allow-writes if that is what you want.',
    );
  }
  const emulator = live ? null : await startEmulator(options.emulator ?? { seed: 7 });
  const admin = live ? new OpenAIAdmin() : new OpenAIAdmin({ apiKey: DEMO_ADMIN_KEY, baseURL: emulator!.url });
  console.log(
    live ? 'Live run against the real API.' : `Emulator at ${emulator!.url} (pass --live to use the real API)`,
  );
  try {
    await body({ admin, live, args });
  } finally {
    await emulator?.close();
  }
}

/** The CLI guard's error handling: a one-line message and exit code 1. */
export function exitOnError(err: unknown): never {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
