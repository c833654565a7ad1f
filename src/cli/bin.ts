#!/usr/bin/env node
/**
 * `openai-admin`: the command line. See `openai-admin --help` and docs/cli.md.
 *
 * Start-up is part of the interface (issue 17 §8): this file imports only the version at load time. `--version` alone
 * prints and returns; everything else loads the command machinery (run.js: the command tree, the client) on demand.
 * (No top-level await: the CommonJS build compiles this file too.)
 */
import { VERSION } from '../version.js';

const argv = process.argv.slice(2);

if (argv.length === 1 && argv[0] === '--version') process.stdout.write(`${VERSION}\n`);
else void import('./run.js').then(({ run }) => run(argv));
