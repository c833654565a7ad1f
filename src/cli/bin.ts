#!/usr/bin/env node
/**
 * `openai-admin`: the command line. See `openai-admin --help` and docs/cli.md.
 *
 * Start-up is part of the interface (issue 17 §8): this file imports only the version at load time. `--version` alone
 * prints and returns; everything else loads the command machinery (main.js: the command tree, the client) on demand.
 * (No top-level await: the CommonJS build compiles this file too.)
 */
import { VERSION } from '../version.js';

const argv = process.argv.slice(2);

if (argv.length === 1 && argv[0] === '--version') process.stdout.write(`${VERSION}\n`);
else void run();

async function run(): Promise<void> {
  const [{ EXIT_ERROR, formatError }, { confirmingWrite, processIO }, { main }] = await Promise.all([
    import('./errors.js'),
    import('./io.js'),
    import('./main.js'),
  ]);

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
