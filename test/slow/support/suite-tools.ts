/**
 * A slow suite's own tools (Prism, attw, bun, deno, workerd): not devDependencies but installed on first use into the
 * suite's temp prefix by scripts/slow/suite-tools.sh, which holds their exact versions.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../support/paths';

const SCRIPT = join(ROOT, 'scripts', 'slow', 'suite-tools.sh');

/**
 * The suite's node_modules with its tools installed (a no-op when they already are). An install that fails throws
 * with npm's output; a caller that may skip a missing tool locally catches it.
 */
export function suiteTools(suite: 'runtimes' | 'contract' | 'packaging'): string {
  execFileSync('bash', [SCRIPT, suite], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  return join(execFileSync('bash', [SCRIPT, '--dir', suite], { cwd: ROOT, encoding: 'utf8' }).trim(), 'node_modules');
}
