/**
 * Crash safety of `openai-admin apply`: the real bin is SIGKILLed at chosen points of a run, then `apply` runs
 * again; the organisation must end exactly as the file says (a plan shows no change) with no duplicate.
 *
 * Kill points are a handshake, not a timer: a node:http proxy on 127.0.0.1 sits between the bin and the emulator
 * and counts the bin's writes. At the k-th write it either kills the bin before forwarding (the write never
 * happened) or forwards it, waits for the emulator's answer, and kills the bin before passing it on (the write
 * happened, the bin never learnt it: the case that makes duplicates elsewhere).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOrg, planOrg, readOrg, sectionsOf, stringifyOrgFile, parseOrgFile } from '../../../src/org/index.js';
import type { Emulator } from '../../../src/testing/index.js';
import { bundleCli, cleanEnv, runBin } from '../../cli/support';
import { LoopbackProxy, type RequestBody } from '../../support/loopback-proxy';
import { stopProcess, track } from '../../support/processes';
import { clientOn, startSource, startTarget } from '../../org/support';

type Mode = 'before the write' | 'after the write';

/** Forwards to the emulator; at the k-th non-GET request, calls `kill` before or after forwarding it. */
class KillProxy extends LoopbackProxy {
  writes = 0;
  /** Each write's method and path, in the order they came. */
  readonly written: string[] = [];
  /** Writes whose URL matches `only` (all writes when it is not given): the k-th of these is the kill point. */
  matching = 0;
  constructor(
    private readonly target: URL,
    private readonly at: number,
    private readonly mode: Mode,
    private readonly kill: () => Promise<void>,
    private readonly only?: RegExp,
  ) {
    super();
  }
  protected async handle(req: IncomingMessage, res: ServerResponse, body: RequestBody) {
    const isWrite = req.method !== 'GET';
    if (isWrite) (this.writes++, this.written.push(`${req.method} ${req.url}`));
    const counted = isWrite && (!this.only || this.only.test(req.url ?? ''));
    const isKillPoint = counted && ++this.matching === this.at;
    if (isKillPoint && this.mode === 'before the write') return void (await this.kill(), res.destroy());
    const upstream = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
      (resolve, reject) => {
        const out = request(
          {
            host: this.target.hostname,
            port: this.target.port,
            path: req.url,
            method: req.method,
            headers: { ...req.headers, host: this.target.host },
          },
          (r) => {
            const answer: Buffer[] = [];
            r.on('data', (c: Buffer) => answer.push(c));
            r.once('end', () =>
              resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(answer) }),
            );
          },
        );
        out.once('error', reject);
        out.end(body);
      },
    );
    if (isKillPoint) return void (await this.kill(), res.destroy());
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }
}

describe('apply killed (SIGKILL) at any point, then run again, converges with no duplicate', () => {
  const KEY = 'sk-admin-org-crash-5e6f7a8b';
  let bundle: ReturnType<typeof bundleCli>;
  let dir: string;
  let source: Emulator;
  let file: string;
  beforeAll(async () => {
    bundle = bundleCli();
    dir = mkdtempSync(join(tmpdir(), 'openai-admin-org-crash-'));
    source = await startSource();
    file = join(dir, 'org.yaml');
    writeFileSync(file, await stringifyOrgFile(await exportOrg(clientOn(source))));
  }, 60_000);
  afterAll(async () => {
    bundle?.cleanup();
    rmSync(dir, { recursive: true, force: true });
    await source?.close();
  });

  let keyFiles = 0;
  const applyArgs = () => [
    'apply',
    '-f',
    file,
    '--prune',
    '--yes',
    '--keys-out',
    join(dir, `keys-${++keyFiles}.jsonl`),
  ];

  /** Runs apply through a KillProxy; resolves once the bin is gone (killed at the point, or finished). */
  async function killedRun(
    target: Emulator,
    at: number,
    mode: Mode,
    only?: RegExp,
  ): Promise<{ killed: boolean; writes: number; written: string[]; matching: number }> {
    let killed = false;
    const holder: { child?: ReturnType<typeof spawn> } = {};
    const proxy = new KillProxy(
      new URL(target.url),
      at,
      mode,
      async () => {
        killed = true;
        const child = holder.child!;
        const gone = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid!, 'SIGKILL');
        await gone;
      },
      only,
    );
    const url = await proxy.start();
    const child = track(
      spawn(process.execPath, [bundle.bin, ...applyArgs()], {
        env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: url }),
        stdio: ['ignore', 'ignore', 'ignore'],
      }),
    );
    holder.child = child;
    await new Promise((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve),
    );
    await stopProcess(child, 1_000);
    await proxy.close();
    return { killed, writes: proxy.writes, written: proxy.written, matching: proxy.matching };
  }

  async function expectConverged(target: Emulator) {
    const desired = parseOrgFile(await stringifyOrgFile(await exportOrg(clientOn(source))), 'org.yaml');
    const plan = planOrg(desired, await readOrg(clientOn(target), { only: sectionsOf(desired) }), { prune: true });
    expect(plan.changes.map((c) => c.key)).toEqual([]);
    const active = [...target.state.projects.values()].filter((p) => p.archived_at === null).map((p) => p.name);
    expect(new Set(active).size).toBe(active.length);
    const groups = [...target.state.groups.values()].map((g) => g.name);
    expect(new Set(groups).size).toBe(groups.length);
    const accounts = [...target.state.serviceAccounts.values()].map((s) => `${s.projectId}/${s.name}`);
    expect(new Set(accounts).size).toBe(accounts.length);
    const invites = [...target.state.invites.values()].filter((i) => i.status === 'pending').map((i) => i.email);
    expect(new Set(invites).size).toBe(invites.length);
    // Alert creates and certificate uploads are not idempotent: a resumed run must find, not repeat, them.
    const alerts = [...target.state.orgSpendAlerts.values()].map((a) => a.threshold_amount);
    expect(new Set(alerts).size).toBe(alerts.length);
    const certificates = [...target.state.certificates.values()].map((c) => c.name);
    expect(new Set(certificates).size).toBe(certificates.length);
    const roles = [...target.state.roles.values()].map((r) => `${r.resource_type}/${r.projectId}/${r.name}`);
    expect(new Set(roles).size).toBe(roles.length);
  }

  /**
   * A fresh target, apply killed at the at-th write (of those `only` matches), then apply run again to the end:
   * it must succeed and leave the target converged.
   */
  async function killedThenResumed(at: number, mode: Mode, only?: RegExp) {
    const target = await startTarget();
    try {
      const killed = await killedRun(target, at, mode, only);
      expect({ at, killed: killed.killed }).toEqual({ at, killed: true });
      const again = await runBin(bundle.bin, applyArgs(), {
        env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: target.url }),
      });
      expect({ at, code: again.code, stderr: again.code === 0 ? '' : again.stderr }).toEqual({
        at,
        code: 0,
        stderr: '',
      });
      await expectConverged(target);
    } finally {
      await target.close();
    }
  }

  let total = 0;
  /**
   * The first write of each kind of setting in the reference run (1-based): spend limits and alerts, data
   * retention, permissions, certificate uploads, activations, deactivations and deletes are kill points too.
   */
  let settingsPoints: number[] = [];
  const SETTINGS_WRITES = [
    /^POST .*\/organization\/spend_limit$/,
    /^POST .*\/projects\/[^/]+\/spend_limit$/,
    /^DELETE .*\/spend_limit$/,
    /^POST .*\/spend_alerts$/,
    /^POST .*\/spend_alerts\/[^/]+$/,
    /^DELETE .*\/spend_alerts\/[^/]+$/,
    /^POST .*\/organization\/data_retention$/,
    /^POST .*\/model_permissions$/,
    /^POST .*\/hosted_tool_permissions$/,
    /^POST .*\/organization\/certificates$/,
    /^POST .*\/certificates\/activate$/,
    /^POST .*\/certificates\/deactivate$/,
    /^DELETE .*\/certificates\/[^/]+$/,
  ];
  /** The writes to custom roles and their assignments (organisation and project): each is a kill point below. */
  const ROLE_WRITE = /\/roles(\/|$|\?)/;
  let roleWrites = 0;
  test('an uninterrupted run (the reference: how many writes a full apply makes)', async () => {
    const target = await startTarget();
    try {
      const run = await killedRun(target, Number.MAX_SAFE_INTEGER, 'before the write', ROLE_WRITE);
      expect(run.killed).toBe(false);
      total = run.writes;
      settingsPoints = SETTINGS_WRITES.map((kind) => run.written.findIndex((w) => kind.test(w)) + 1);
      // Every kind is in the run (the seeds differ in each), so each is a kill point below.
      expect(settingsPoints.filter((at) => at === 0)).toEqual([]);
      roleWrites = run.matching;
      // Roles created, updated, deleted; assignments added and removed (see test/org/support.ts).
      expect(roleWrites).toBeGreaterThanOrEqual(8);
      expect(total).toBeGreaterThan(20);
      await expectConverged(target);
    } finally {
      await target.close();
    }
  });

  // Every write of the run is a kill point, both ways, when the run is short; else a spread that includes the
  // first and last writes and the phase boundaries in between.
  test.each(['before the write', 'after the write'] as const)(
    'killed %s, at points spread over the whole run',
    async (mode) => {
      expect(total).toBeGreaterThan(0);
      const points = [
        ...new Set([
          1,
          2,
          3,
          Math.floor(total / 4),
          Math.floor(total / 2),
          Math.floor((3 * total) / 4),
          total - 1,
          total,
          ...settingsPoints,
        ]),
      ].sort((a, b) => a - b);
      for (const at of points) await killedThenResumed(at, mode);
    },
  );

  // Every write to a custom role or an assignment is a kill point, both ways.
  test.each(['before the write', 'after the write'] as const)(
    'killed %s at each write to a custom role or role assignment',
    async (mode) => {
      expect(roleWrites).toBeGreaterThan(0);
      for (let at = 1; at <= roleWrites; at++) await killedThenResumed(at, mode, ROLE_WRITE);
    },
  );
});
