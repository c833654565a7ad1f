/**
 * `openai-admin emulator`: serve a local emulator in the foreground until interrupted; `emulator start` runs the
 * same in the background (pid file, printed export lines) and `emulator stop` ends it. `--state FILE` keeps the
 * organisation across runs; `--realism api` behaves like the live API (rate limits, 201s, decimal amounts).
 */
import type { Command } from '../command.js';
import { SEED_BOUNDS } from '../../testing/limits.js';
import { UsageError } from '../errors.js';
import { defaultPidFile, startInBackground, stopInBackground } from './emulator-background.js';
import { wholeNumber } from './print-rows.js';

/** --users / --projects within the emulator's seeding bounds: --projects 10000000 used to crash V8 (out of memory). */
function seedCount(value: unknown, flag: keyof typeof SEED_BOUNDS): number | undefined {
  if (value === undefined) return undefined;
  const { min, max } = SEED_BOUNDS[flag];
  const n = wholeNumber(value, flag, 0, UsageError);
  if (n < min || n > max) throw new UsageError(`--${flag} must be from ${min} to ${max}, got ${n}`);
  return n;
}

const REALISMS = ['none', 'api'] as const;

/** The flags the background child is started with: the serving flags as given (checked here first). */
const SERVING_FLAGS = ['port', 'seed', 'users', 'projects', 'realism', 'state'] as const;

const exportLines = (url: string, key: string) => `export OPENAI_BASE_URL=${url}\nexport OPENAI_ADMIN_KEY=${key}\n`;

export const emulator: Command = {
  words: ['emulator'],
  summary:
    'Serve a local emulator of the Administration API (seeded, in memory or in a --state file); prints its URL and key.',
  description:
    'Listens on 127.0.0.1 only. Point any client at it: the printed export lines set OPENAI_BASE_URL and OPENAI_ADMIN_KEY for openai-admin and the library alike. Without an action it serves in the foreground until Ctrl-C. "start" serves in the background and returns once it listens (a pid file records it); "stop" ends the one the pid file names. Unlike the global --emulator flag (a fresh emulator per command, gone when the command ends), one emulator serves every command pointed at it, and with --state its organisation survives restarts.',
  positionals: ['[start|stop]'],
  options: {
    port: { type: 'string', placeholder: 'N', description: 'TCP port (default: a free one).' },
    seed: { type: 'string', placeholder: 'N', description: 'Seed for ids, data, usage (default 7).' },
    users: {
      type: 'string',
      placeholder: 'N',
      description: 'Organization users to create (default 12; at most 100000).',
    },
    projects: { type: 'string', placeholder: 'N', description: 'Projects to create (default 3; at most 1000).' },
    realism: {
      type: 'string',
      placeholder: REALISMS.join('|'),
      description:
        'api: behave like the live API (per-route rate limits with the wait in the message, creates answering 200 or 201, decimal-string cost amounts, a short read-after-write 404). Default none.',
    },
    state: {
      type: 'string',
      placeholder: 'file',
      description:
        'Keep the organisation in this file: loaded when it exists (its seed wins), rewritten atomically after every change before it is answered.',
    },
    'pid-file': {
      type: 'string',
      placeholder: 'file',
      description:
        "start/stop: where the background emulator's pid is kept (default: one per user in $XDG_RUNTIME_DIR or the temporary directory).",
    },
  },
  examples: [
    'eval "$(openai-admin emulator start --state org.json | grep ^export)"',
    'openai-admin projects create --name Kept && openai-admin projects list',
    'openai-admin emulator stop',
    'openai-admin emulator --port 8787 --realism api  # foreground, until Ctrl-C',
  ],
  notes: ["The key printed is the emulator's demo key; the emulator accepts any admin key and no project key."],
  async run(ctx, values, positionals) {
    const [action, ...extra] = positionals;
    if (extra.length || (action !== undefined && action !== 'start' && action !== 'stop'))
      throw new UsageError(`unknown emulator action '${positionals.join(' ')}'`, 'give start, stop or nothing');
    const port = wholeNumber(values.port, 'port', 0, UsageError);
    if (port > 65_535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const seed = typeof values.seed === 'string' ? values.seed : 7;
    const users = seedCount(values.users, 'users');
    const projects = seedCount(values.projects, 'projects');
    const realism = (values.realism ?? 'none') as (typeof REALISMS)[number];
    if (!REALISMS.includes(realism))
      throw new UsageError(`--realism must be one of ${REALISMS.join(', ')}; got '${String(values.realism)}'`);
    const stateFile = typeof values.state === 'string' ? values.state : undefined;
    const pidFile = typeof values['pid-file'] === 'string' ? values['pid-file'] : defaultPidFile(ctx.io.env);
    const { DEMO_ADMIN_KEY } = await import('../../testing/index.js');

    if (action === 'stop') {
      const pid = await stopInBackground(pidFile);
      ctx.io.stderr.write(pid ? `Stopped the emulator (pid ${pid}).\n` : `No emulator was running (${pidFile}).\n`);
      return;
    }
    if (action === 'start') {
      const flags = SERVING_FLAGS.flatMap((f) => (typeof values[f] === 'string' ? [`--${f}`, values[f]] : []));
      const started = await startInBackground(pidFile, flags);
      ctx.io.stdout.write(
        `Emulator running in the background at ${started.url} (pid ${started.pid}, seed ${seed}${stateFile ? `, state ${stateFile}` : ''})\n${exportLines(started.url, DEMO_ADMIN_KEY)}`,
      );
      ctx.io.stderr.write(
        `Stop it with: openai-admin emulator stop${values['pid-file'] ? ` --pid-file ${pidFile}` : ''} (log: ${started.log})\n`,
      );
      return;
    }

    const { startEmulator } = await import('../../testing/index.js');
    const emu = await startEmulator({ port, seed, users, projects, realism, stateFile });
    // Listening for Ctrl-C before saying where we listen: a SIGINT that arrives as soon as the export lines are out
    // (a script waiting for them, then stopping us) must find the handler, not the default action (exit 130).
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    ctx.io.stdout.write(
      `Emulator listening at ${emu.url} (seed ${emu.state.seed}${stateFile ? `, state ${stateFile}` : ''})\n${exportLines(emu.url, DEMO_ADMIN_KEY)}`,
    );
    // Started by `emulator start`: tell the waiting parent where we listen, then let it go.
    if (process.send && process.channel) {
      process.send({ url: emu.url });
      process.disconnect();
    } else ctx.io.stderr.write('Press Ctrl-C to stop.\n');
    await stopped;
    await emu.close();
    ctx.io.stderr.write(`Stopped after ${emu.requests.length} request(s).\n`);
  },
};
