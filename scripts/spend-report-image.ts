/**
 * `npx tsx scripts/spend-report-image.ts`: docs/images/cli-spend-report.png, the picture of `report spend --html` in
 * docs/cli.md. The built bin (`npm run build` first) writes the page from a seeded emulator with a spend limit and
 * two spend alerts set; Debian's Chromium (playwright-core, offline) renders it. Run again when the page changes.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OpenAIAdmin } from '../src/index.js';
import { startEmulator } from '../src/testing/index.js';
import { screenshotHtml } from './lib/screenshot.js';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'dist', 'esm', 'src', 'cli', 'bin.js');
const out = join(root, 'docs', 'images', 'cli-spend-report.png');
if (!existsSync(bin)) throw new Error('dist/ is missing: run `npm run build` first');

const key = 'sk-admin-docs';
const emu = await startEmulator({ seed: 'docs', projects: 6 });
const work = mkdtempSync(join(tmpdir(), 'openai-admin-docs-image-'));
try {
  const admin = new OpenAIAdmin({ apiKey: key, baseURL: emu.url });
  await admin.spendLimit.update({ threshold_amount: 40_000, currency: 'USD', interval: 'month' });
  for (const cents of [15_000, 30_000])
    await admin.spendAlerts.create({
      threshold_amount: cents,
      currency: 'USD',
      interval: 'month',
      notification_channel: { type: 'email', recipients: ['finance@example.com'] },
    });
  const file = join(work, 'spend.html');
  // Asynchronously: the emulator answering the bin runs in this process.
  await promisify(execFile)(process.execPath, [bin, 'report', 'spend', '--days', '30', '--html', file], {
    env: { PATH: process.env.PATH, OPENAI_ADMIN_KEY: key, OPENAI_BASE_URL: emu.url },
  });
  await screenshotHtml(file, out, { width: 1100, height: 900 });
  console.log(`wrote ${out}`);
} finally {
  await emu.close();
  rmSync(work, { recursive: true, force: true });
}
