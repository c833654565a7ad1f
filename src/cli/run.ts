/**
 * Everything bin.ts does after `--version`: one module, so that the bin loads the command machinery with one
 * import() (in the bundled bin, one chunk: scripts/lib/cli-bundle.ts).
 */
import { EXIT_ERROR, formatError } from './errors.js';
import { confirmingWrite, processIO } from './io.js';
import { main } from './main.js';

/**
 * Runs one command line in this process: its exit code goes to process.exitCode.
 * @example
 * run(process.argv.slice(2));
 */
export function run(argv: readonly string[]): void {
  // Piping into `head` closes stdout early: that is the reader's choice, not an error worth a stack trace. Output
  // written with writeConfirmed (a new key's only copy) is the exception: the command sees the error and reports it.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    if (!confirmingWrite()) process.exit(0);
  });

  main(argv, processIO()).then(
    (code) => {
      process.exitCode = code;
    },
    // main answers every failure with an exit code; this is for one thrown while it closes the client.
    (err: unknown) => {
      process.stderr.write(`${formatError(err)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
