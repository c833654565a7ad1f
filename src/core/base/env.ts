/** An environment variable as read: `denied` when the runtime refused the read (Deno without --allow-env). */
export interface EnvRead {
  value: string | undefined;
  denied: boolean;
}

/**
 * Reads one environment variable, only when an option was not given. Empty counts as unset. A runtime that
 * denies the read (Deno throws `NotCapable` without --allow-env) is treated as unset rather than failing the
 * construction: the caller says which value was missing and why. `g` is a parameter so that tests can describe
 * another runtime.
 */
export function readEnv(name: string, g: Record<string, unknown> = globalThis): EnvRead {
  try {
    const value = (g.process as { env?: Record<string, string | undefined> } | undefined)?.env?.[name];
    return { value: typeof value === 'string' && value !== '' ? value : undefined, denied: false };
  } catch {
    return { value: undefined, denied: true };
  }
}
