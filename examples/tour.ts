/**
 * The tour: a realistic admin session against the local emulator — no key, no network. `npm start` now runs
 * it as the CLI's `openai-admin tour` (src/cli/workflows/tour.ts, where its steps live); this file is the same
 * tour through the examples' runner. With OPENAI_ADMIN_KEY set and `--live`, only the read-only part runs.
 */
import { tourProvision, tourReadOnly } from '../src/cli/workflows/tour.js';
import { exitOnError, runCli } from './lib/cli.js';
import { progress } from './lib/print.js';

runCli({ mutating: false, emulator: { seed: 42, users: 5_000 } }, async ({ admin, live }) => {
  const say = (text: string) => console.log(text);
  if (!live) await tourProvision(admin, say);
  await tourReadOnly(admin, say, progress);
}).catch(exitOnError);
