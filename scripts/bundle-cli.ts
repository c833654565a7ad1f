/**
 * `tsx scripts/bundle-cli.ts <outdir>`: bundles the `openai-admin` bin into `<outdir>` (scripts/lib/cli-bundle.ts),
 * writes esbuild's metafile of it to `<outdir>/metafile.json` (test/cli/start-up.test.ts reads what a command loads
 * there) and prints the bin's path. For callers that must stay synchronous (the CLI tests' bundleCli): esbuild's plugins
 * run only in its asynchronous API.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleCli } from './lib/cli-bundle';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: tsx scripts/bundle-cli.ts <outdir>');
const { bin, metafile } = await bundleCli(outdir);
writeFileSync(join(outdir, 'metafile.json'), JSON.stringify(metafile));
process.stdout.write(`${bin}\n`);
