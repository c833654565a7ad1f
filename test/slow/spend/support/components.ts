/**
 * Real components of the spend suite, started by the test on 127.0.0.1 with temporary directories and stopped by
 * PID: Debian's Postgres (initdb + postgres -k <tmp> -p <port>) and Prometheus; the bundled bin; the test clock file.
 * As root (a container), Postgres refuses to start: it then runs as the `postgres` user through setpriv, which
 * execs it (the PID we hold is the server's own).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../support/local-server';
import { run, stopProcess, track } from '../../../support/processes';

/** The clock file both the bin (OPENAI_ADMIN_TEST_CLOCK) and the upstream read. */
export function testClock(file: string, start: number) {
  let now = start;
  writeFileSync(file, String(now));
  return {
    now: () => now,
    set(t: number) {
      now = t;
      writeFileSync(file, String(now));
    },
  };
}

export const PG_BIN = (() => {
  const base = '/usr/lib/postgresql';
  const version = existsSync(base) ? readdirSync(base).sort().at(-1) : undefined;
  return version ? join(base, version, 'bin') : undefined;
})();

const asRoot = process.getuid?.() === 0;
const pgUser = () => {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
};
const wrap = (cmd: string, args: string[]): [string, string[]] =>
  asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', cmd, ...args]] : [cmd, args];

export interface Postgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * A fresh Postgres in a temporary directory of its own (removed by stop), on 127.0.0.1 and a free port; trust auth
 * for the test's user `ledger`.
 */
export async function startPostgres(): Promise<Postgres> {
  if (!PG_BIN) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'openai-admin-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const { uid, gid } = pgUser();
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const [initCmd, initArgs] = wrap(join(PG_BIN, 'initdb'), [
    '-D',
    data,
    '-U',
    'ledger',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const init = await run(initCmd, initArgs, { cwd: dir, timeoutMs: 120_000 });
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const [cmd, args] = wrap(join(PG_BIN, 'postgres'), [
    '-D',
    data,
    '-k',
    dir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
  ]);
  const child: ChildProcess = track(spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] }));
  let log = '';
  // Ready is a handshake: the server says so on stderr.
  await new Promise<void>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      log += c;
      if (log.includes('ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`postgres exited (${code}): ${log}`)));
  });
  const url = `postgres://ledger@127.0.0.1:${port}/postgres`;
  return {
    url,
    async stop() {
      await stopProcess(child, 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Prometheus {
  url: string;
  /** An instant PromQL query; throws unless Prometheus answers success. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

/** Debian's Prometheus scraping `target` (host:port) every second, with a temporary config and data directory. */
export async function startPrometheus(target: string): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'openai-admin-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: openai-admin',
      `    static_configs: [{ targets: ['${target}'] }]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child = track(
    spawn(
      '/usr/bin/prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-admin-api',
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    ),
  );
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c.slice(0, 10_000)));
  const url = `http://127.0.0.1:${port}`;
  // Ready is a handshake: Prometheus logs it.
  await new Promise<void>((resolve, reject) => {
    const check = () => (/Server is ready to receive web requests/.test(log) ? resolve() : undefined);
    child.stderr!.on('data', check);
    child.once('exit', (code) => reject(new Error(`prometheus exited (${code}): ${log}`)));
  });
  return {
    url,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; error?: string; data: { result: [] } };
      if (body.status !== 'success') throw new Error(`PromQL ${expr}: ${body.error}`);
      return body.data.result;
    },
    async stop() {
      await stopProcess(child, 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Fresh, empty ledgers for one test file: a new SQLite file in `dir`, or a new database on `pg`, each call its own.
 * @example const fresh = ledgerDatabases(tmp, pg); const db = await fresh('postgres'); // postgres://…/ledger_1
 */
export function ledgerDatabases(dir: string, pg: Postgres | undefined) {
  let made = 0;
  return async (kind: 'sqlite' | 'postgres'): Promise<string> => {
    const name = `ledger_${++made}`;
    if (kind === 'sqlite') return join(dir, `${name}.db`);
    if (!pg) throw new Error('this test file started no Postgres');
    const { default: pgDriver } = await import('pg');
    const client = new pgDriver.Client({ connectionString: pg.url });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    return pg.url.replace(/\/postgres$/, `/${name}`);
  };
}

/** What {@link useLedgerDatabases} sets up for a test file; read its fields inside tests (set by beforeAll). */
export interface LedgerDatabases {
  /** The file's temporary directory. */
  tmp: string;
  /** A fresh, empty ledger of the given kind: a new SQLite file, or a new database on the file's Postgres. */
  freshDb: (kind: 'sqlite' | 'postgres') => Promise<string>;
}

/**
 * Registers the hooks of a ledger test file: a temporary directory and a Postgres started once for the file,
 * stopped and removed after it.
 * @example const dbs = useLedgerDatabases('openai-admin-ledger-'); test('…', async () => { await dbs.freshDb('sqlite'); });
 */
export function useLedgerDatabases(prefix: string): LedgerDatabases {
  const dbs = {} as LedgerDatabases;
  let pg: Postgres | undefined;
  beforeAll(async () => {
    dbs.tmp = mkdtempSync(join(tmpdir(), prefix));
    pg = await startPostgres();
    dbs.freshDb = ledgerDatabases(dbs.tmp, pg);
  }, 180_000);
  afterAll(async () => {
    await pg?.stop();
    if (dbs.tmp) rmSync(dbs.tmp, { recursive: true, force: true });
  });
  return dbs;
}
