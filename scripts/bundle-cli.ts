/**
 * `tsx scripts/bundle-cli.ts <outdir>`: bundles the `openai-admin` bin into `<outdir>` (scripts/lib/cli-bundle.ts)
 * and prints the bin's path. For callers that must stay synchronous (the CLI tests' bundleCli): esbuild's plugins
 * run only in its asynchronous API.
 */
import { bundleCli } from './lib/cli-bundle';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: tsx scripts/bundle-cli.ts <outdir>');
process.stdout.write(`${await bundleCli(outdir)}\n`);
