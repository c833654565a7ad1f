/**
 * What a running command gets: the streams, the parsed global flags, the output format, and a client built on
 * first use — against the real API (key from $OPENAI_ADMIN_KEY or --api-key-file), a --base-url, or a fresh
 * emulator started in-process for the length of the command (--emulator).
 */
import type { OpenAIAdmin } from '../client.js';
import { ClientCore } from '../core/client/client-core.js';
import type { ClientOptions } from '../core/config/config.js';
import { chooseBaseURL } from './base-url.js';
import { confirm } from './confirm.js';
import { UsageError } from './errors.js';
import type { Globals } from './globals.js';
import { guardIO, type CliIO, type OutStream } from './io.js';
import type { OutputOptions } from './output/printer.js';
import { outputWidth, wrapText } from './output/width.js';
import { ProgressLine } from './progress.js';
import { describeArg, KEY_FILE_LIMIT, keyFileModeWarning, keyFromText, readUserFile } from './user-file.js';

/** The emulator `--emulator` starts: the same seed every time, so a command's output is repeatable. */
export const CLI_EMULATOR_SEED = 7;

/** What a command asks of its client: no key needed (dry runs), or an emulator of its own. */
export interface ClientRequest {
  keyOptional?: boolean;
  emulator?: { seed?: number | string; users?: number };
}

export class Context {
  /** The command's one client: a ClientCore (core()) or the full OpenAIAdmin (client()). */
  #core: ClientCore | undefined;
  /** The options it was made with. */
  #options: ClientOptions = {};
  #closers: Array<() => Promise<void>> = [];
  /** Drawn only when stderr is a terminal and not --quiet. */
  readonly #progress: ProgressLine | undefined;
  /** The streams commands write to: control characters escaped on the way (io.ts, output/safe-text.ts). */
  readonly io: CliIO;
  /** The terminal itself, for the progress line's own control sequence only. */
  readonly #rawStderr: OutStream;

  constructor(
    io: CliIO,
    readonly globals: Globals,
    readonly output: OutputOptions,
    /** --max: stop lists after this many items. */
    readonly max: number | undefined,
  ) {
    this.io = guardIO(io, output.format, output.csvRaw);
    this.#rawStderr = io.stderr;
    if (io.stderr.isTTY && !globals.quiet)
      this.#progress = new ProgressLine({
        write: (raw) => void this.#rawStderr.write(raw),
        width: outputWidth(io.stderr, io.env),
      });
  }

  /**
   * The client for this command (started emulator included); `keyOptional` for dry runs, which send nothing. Its
   * resource tree (every operation's method) is loaded here, on first use: operation commands call through core().
   */
  async client(options: ClientRequest = {}): Promise<OpenAIAdmin> {
    const { OpenAIAdmin } = await import('../client.js');
    if (this.#core instanceof OpenAIAdmin) return this.#core;
    // After core() (not a path any command takes): the same options, so the same emulator and key.
    const made = this.#core ? new OpenAIAdmin(this.#options) : await this.#connect(options, (o) => new OpenAIAdmin(o));
    this.#core = made;
    return made;
  }

  /**
   * The client's engine alone (client-core.ts), as client() configures it: what an operation command calls its
   * operation through, without loading the resource classes of every operation (issue 17 §8). After client(),
   * that client.
   */
  async core(options: ClientRequest = {}): Promise<ClientCore> {
    return (this.#core ??= await this.#connect(options, (o) => new ClientCore(o)));
  }

  async #connect<C extends ClientCore>(options: ClientRequest, make: (options: ClientOptions) => C): Promise<C> {
    const logger = {
      debug: this.globals.debug ? (m: string) => void this.io.stderr.write(`[debug] ${m}\n`) : undefined,
      warn: (m: string) => void this.io.stderr.write(`warning: ${m}\n`),
    };
    // The client's public hook for rate-limit waits: the progress line says what it waits for, and how long.
    const base: ClientOptions = { logger, onRateLimit: (info) => void this.#progress?.waiting(info) };
    if (this.globals.emulator || options.emulator) {
      // Loaded only when asked for: the emulator is not needed for a command against the real API.
      const { startEmulator, DEMO_ADMIN_KEY } = await import('../testing/index.js');
      const emu = await startEmulator({ seed: CLI_EMULATOR_SEED, ...options.emulator });
      this.#closers.push(() => emu.close());
      this.debug(`emulator at ${emu.url}`);
      return make((this.#options = { ...base, apiKey: DEMO_ADMIN_KEY, baseURL: emu.url }));
    }
    const apiKey = this.apiKey();
    if (apiKey === undefined && !options.keyOptional) {
      throw new UsageError(
        'no admin key',
        'set OPENAI_ADMIN_KEY, pass --api-key-file <path>, or try the command with --emulator',
      );
    }
    const { baseURL, allowInsecureHttp } = chooseBaseURL(
      this.globals['base-url'],
      this.io.env,
      this.globals['allow-insecure-http'] === true,
    );
    const made = make(
      (this.#options = {
        ...base,
        apiKey: apiKey ?? null,
        allowInsecureHttp,
        ...(baseURL ? { baseURL } : {}),
      }),
    );
    this.debug(`base URL ${made.baseURL}`);
    return made;
  }

  /**
   * The key from --api-key-file (read through user-file.ts: bounded, regular files only, a warning when others
   * can read it) or $OPENAI_ADMIN_KEY; a trailing newline is dropped from either (`echo … > key`, `$(cat key)`).
   */
  private apiKey(): string | undefined {
    const file = this.globals['api-key-file'];
    if (file !== undefined) {
      const { bytes, mode } = readUserFile(file, { flag: '--api-key-file', limit: KEY_FILE_LIMIT });
      const warning = keyFileModeWarning(file, mode);
      if (warning) this.io.stderr.write(`warning: ${warning}\n`);
      const key = keyFromText(bytes.toString('utf8'), describeArg('--api-key-file', file));
      if (!key) throw new UsageError(`${describeArg('--api-key-file', file)}: the file is empty`);
      return key;
    }
    const env = this.io.env.OPENAI_ADMIN_KEY;
    return env ? keyFromText(env, 'OPENAI_ADMIN_KEY') || undefined : undefined;
  }

  debug(message: string): void {
    if (this.globals.debug) this.io.stderr.write(`[debug] ${message}\n`);
  }

  /** Asks before a destructive action (see confirm.ts). */
  confirm(question: string): Promise<void> {
    return confirm(this.io, question, this.globals.yes);
  }

  /**
   * The one updating progress line on stderr (progress.ts), only when stderr is a terminal and not --quiet (never
   * in a pipe or a log file); rate-limit waits join it by themselves.
   */
  progress(message: string): void {
    this.#progress?.set(message);
  }

  clearProgress(): void {
    this.#progress?.clear();
  }

  /**
   * A remark that is not data (a report's title or `(no items)` when stdout is a pipe, columns left out to fit):
   * on stderr, so that stdout holds data alone, unless --quiet.
   */
  note(message: string): void {
    if (this.globals.quiet) return;
    this.clearProgress();
    this.io.stderr.write(`${wrapText(message, outputWidth(this.io.stderr, this.io.env))}\n`);
  }

  async close(): Promise<void> {
    this.clearProgress();
    for (const close of this.#closers.splice(0)) await close();
  }
}
