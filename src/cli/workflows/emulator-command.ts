/** `openai-admin emulator`: serve a local emulator in the foreground until interrupted. */
import type { Command } from '../command.js';
import { SEED_BOUNDS } from '../../testing/limits.js';
import { UsageError } from '../errors.js';
import { wholeNumber } from './print-rows.js';

/** --users / --projects within the emulator's seeding bounds: --projects 10000000 used to crash V8 (out of memory). */
function seedCount(value: unknown, flag: keyof typeof SEED_BOUNDS): number | undefined {
  if (value === undefined) return undefined;
  const { min, max } = SEED_BOUNDS[flag];
  const n = wholeNumber(value, flag, 0, UsageError);
  if (n < min || n > max) throw new UsageError(`--${flag} must be from ${min} to ${max}, got ${n}`);
  return n;
}

export const emulator: Command = {
  words: ['emulator'],
  summary:
    'Serve a local emulator of the Administration API (seeded, in memory) until interrupted; prints its URL and key.',
  description:
    'Listens on 127.0.0.1 only. Point any client at it: the printed export lines set OPENAI_BASE_URL and OPENAI_ADMIN_KEY for openai-admin and the library alike.',
  positionals: [],
  options: {
    port: { type: 'string', placeholder: 'N', description: 'TCP port (default: a free one).' },
    seed: { type: 'string', placeholder: 'N', description: 'Seed for ids, data, usage (default 7).' },
    users: {
      type: 'string',
      placeholder: 'N',
      description: 'Organization users to create (default 12; at most 100000).',
    },
    projects: { type: 'string', placeholder: 'N', description: 'Projects to create (default 3; at most 1000).' },
  },
  examples: [
    'openai-admin emulator --port 8787',
    'eval "$(openai-admin emulator --port 8787 | grep ^export)"  # in another shell',
  ],
  async run(ctx, values) {
    const port = wholeNumber(values.port, 'port', 0, UsageError);
    if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const seed = typeof values.seed === 'string' ? values.seed : 7;
    const users = seedCount(values.users, 'users');
    const projects = seedCount(values.projects, 'projects');
    const { startEmulator, DEMO_ADMIN_KEY } = await import('../../testing/index.js');
    const emu = await startEmulator({ port, seed, users, projects });
    ctx.io.stdout.write(
      `Emulator listening at ${emu.url} (seed ${seed})\nexport OPENAI_BASE_URL=${emu.url}\nexport OPENAI_ADMIN_KEY=${DEMO_ADMIN_KEY}\n`,
    );
    ctx.io.stderr.write('Press Ctrl-C to stop.\n');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await emu.close();
    ctx.io.stderr.write(`Stopped after ${emu.requests.length} request(s).\n`);
  },
};
