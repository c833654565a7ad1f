/** `openai-admin emulator`: serve a local emulator in the foreground until interrupted. */
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { wholeNumber } from './print-rows.js';

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
    users: { type: 'string', placeholder: 'N', description: 'Organization users to create (default 12).' },
    projects: { type: 'string', placeholder: 'N', description: 'Projects to create (default 3).' },
  },
  examples: [
    'openai-admin emulator --port 8787',
    'eval "$(openai-admin emulator --port 8787 | grep ^export)"  # in another shell',
  ],
  async run(ctx, values) {
    const port = wholeNumber(values.port, 'port', 0, UsageError);
    if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const seed = typeof values.seed === 'string' ? values.seed : 7;
    const users = values.users === undefined ? undefined : wholeNumber(values.users, 'users', 12, UsageError);
    const projects =
      values.projects === undefined ? undefined : wholeNumber(values.projects, 'projects', 3, UsageError);
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
