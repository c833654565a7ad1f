/**
 * The CLI's streaming, measured with the real bin (bundled) against the emulator: `users list` in each format
 * on 50,000 users and on 500, stdout read by this process. Memory is the child's peak RSS (getrusage maxRSS, read
 * by a preloaded probe at exit); the target is that 100 times more users cost at most 20 MB more. Also reported:
 * how many list requests had been made when the first byte arrived (1: the first row after the first page), and
 * for `| head -1` (the reader closes after its first chunk) how many requests were made in all.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DEMO_ADMIN_KEY, startEmulator } from '../src/testing/index.js';

/** The sizes compared (quick mode: 10,000 instead of 50,000, to prove the harness in a fifth of the time). */
const sizes = (quick: boolean) => [500, quick ? 10_000 : 50_000] as const;
export const STREAM_FORMATS = ['table', 'csv', 'json'] as const;
const RSS_TARGET_MB = 20;

export interface StreamRun {
  users: number;
  format: string;
  peakRssMB: number;
  requestsAtFirstByte: number;
  requests: number;
  firstByteMs: number;
  totalMs: number;
  bytes: number;
}

const PROBE = `process.on('exit', () => require('node:fs').writeFileSync(process.env.RSS_PROBE_OUT, String(process.resourceUsage().maxRSS)));\n`;

async function runOnce(
  bin: string,
  probe: string,
  out: string,
  emu: { url: string; requests: readonly unknown[] },
  users: number,
  format: string,
  headOnly: boolean,
): Promise<StreamRun> {
  const before = emu.requests.length;
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--require', probe, bin, 'users', 'list', ...(format === 'table' ? [] : [`--${format}`])],
    {
      env: { PATH: process.env.PATH, OPENAI_ADMIN_KEY: DEMO_ADMIN_KEY, OPENAI_BASE_URL: emu.url, RSS_PROBE_OUT: out },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let bytes = 0;
  let firstByteMs = 0;
  let requestsAtFirstByte = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    if (bytes === 0) {
      firstByteMs = performance.now() - started;
      requestsAtFirstByte = emu.requests.length - before;
      if (headOnly) child.stdout.destroy();
    }
    bytes += chunk.length;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`users list --${format} (${users} users) exited ${code}`);
  return {
    users,
    format: headOnly ? `${format} | head -1` : format,
    peakRssMB: Number(readFileSync(out, 'utf8')) / 1024,
    requestsAtFirstByte,
    requests: emu.requests.length - before,
    firstByteMs,
    totalMs: performance.now() - started,
    bytes,
  };
}

/** Runs every size × format (and `| head -1` on the largest); returns the runs and the judged target. */
export async function measureCliStreaming(root: string, buildDir: string, log: (m: string) => void, quick = false) {
  const userCounts = sizes(quick);
  const bin = join(buildDir, 'cli-bin.mjs');
  await build({
    entryPoints: [join(root, 'src', 'cli', 'bin.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bin,
    logLevel: 'warning',
  });
  const probe = join(buildDir, 'rss-probe.cjs');
  writeFileSync(probe, PROBE);
  const out = join(buildDir, 'rss-probe.out');
  const runs: StreamRun[] = [];
  for (const users of userCounts) {
    const emu = await startEmulator({ seed: 'bench-stream', users });
    try {
      for (const format of STREAM_FORMATS) {
        log(`cli streaming: users list ${format}, ${users} users`);
        runs.push(await runOnce(bin, probe, out, emu, users, format, false));
      }
      if (users === userCounts[1]) runs.push(await runOnce(bin, probe, out, emu, users, 'csv', true));
    } finally {
      await emu.close();
    }
  }
  const growth = STREAM_FORMATS.map((format) => {
    const of = (users: number) => runs.find((r) => r.users === users && r.format === format)!.peakRssMB;
    return { format, mb: of(userCounts[1]) - of(userCounts[0]) };
  });
  const head = runs.find((r) => r.format.endsWith('head -1'))!;
  const firstByte = runs.filter((r) => r.users === userCounts[1] && !r.format.endsWith('head -1'));
  const target = {
    metric: `CLI streaming: users list, ${userCounts[1]} vs ${userCounts[0]} users (peak RSS of the bin)`,
    target: `RSS within ${RSS_TARGET_MB} MB in every format; first byte after the first page`,
    measured:
      growth.map((g) => `${g.format} +${g.mb.toFixed(1)} MB`).join(', ') +
      `; requests at first byte ${firstByte.map((r) => `${r.format} ${r.requestsAtFirstByte}`).join(', ')}` +
      `; | head -1: ${head.requests} requests of ${userCounts[1] / 100}`,
    met: growth.every((g) => g.mb <= RSS_TARGET_MB) && firstByte.every((r) => r.requestsAtFirstByte <= 2),
  };
  return { runs, growth, target };
}

// `npx tsx bench/cli-stream.ts`: this measurement alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const root = join(import.meta.dirname, '..');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'cli-stream-'));
  const result = await measureCliStreaming(
    root,
    dir,
    (m) => process.stderr.write(`${m}\n`),
    process.argv.includes('--quick'),
  );
  for (const r of result.runs)
    console.log(
      `${String(r.users).padStart(6)} ${r.format.padEnd(16)} peak RSS ${r.peakRssMB.toFixed(1)} MB, first byte after ${r.requestsAtFirstByte} request(s) (${r.firstByteMs.toFixed(0)} ms), ${r.requests} requests, ${(r.totalMs / 1000).toFixed(2)} s, ${r.bytes} bytes`,
    );
  console.log(`${result.target.metric}: ${result.target.measured} → ${result.target.met ? 'met' : 'MISSED'}`);
}
