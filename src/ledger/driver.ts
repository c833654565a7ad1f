/**
 * Loads an optional peer dependency (better-sqlite3, pg) only when a ledger command needs it, so the SDK and the
 * other commands never do. Looked up beside openai-admin first, then from the working directory (a global
 * `openai-admin` with the driver installed in the project).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { missingDriver } from './store.js';

export async function loadDriver<T>(pkg: string, version: string, what: string): Promise<T> {
  // A name in a variable: bundlers leave the import alone, so no driver is ever bundled into the CLI or the SDK.
  const name = pkg;
  try {
    return (await import(name)) as T;
  } catch (first) {
    if (
      (first as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' &&
      (first as { code?: string }).code !== 'MODULE_NOT_FOUND'
    )
      throw first;
  }
  try {
    return createRequire(join(process.cwd(), 'noop.js'))(name) as T;
  } catch {
    throw missingDriver(pkg, version, what);
  }
}
