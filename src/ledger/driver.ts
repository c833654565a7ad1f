/**
 * Loads an optional peer dependency (better-sqlite3, pg) only when a ledger command needs it, so the SDK and the
 * other commands never do. Resolved with `require` from the running bin's own location (an install of
 * openai-admin with the driver beside it) and then from the working directory (a global `openai-admin` with the
 * driver installed in the project, or a program using `openai-admin/ledger`). `require` rather than `import()`:
 * both drivers are CommonJS, and a bundler must neither follow nor inline a native driver.
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { missingDriver } from './store.js';

/** Where to look, in order. */
function bases(): string[] {
  const out: string[] = [];
  const main = process.argv[1];
  if (main)
    try {
      out.push(realpathSync(main));
    } catch {
      /* not a file (node -e): skip */
    }
  out.push(join(process.cwd(), 'noop.js'));
  return out;
}

export function loadDriver<T>(pkg: string, version: string, what: string): Promise<T> {
  for (const base of bases()) {
    const require = createRequire(base);
    let path: string;
    try {
      path = require.resolve(pkg);
    } catch {
      continue;
    }
    // Found but failing to load (a native build for another Node): that error, not "missing".
    return Promise.resolve(require(path) as T);
  }
  return Promise.reject(missingDriver(pkg, version, what));
}
