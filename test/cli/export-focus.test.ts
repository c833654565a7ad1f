/**
 * `openai-admin export focus` through the real bin against the emulator (its clock fixed a few days after November
 * 2026): the CSV passes our FOCUS checker, adds up to the costs endpoint exactly, is safe to open in a spreadsheet,
 * and `-o` replaces a file whole or not at all.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOCUS_COLUMNS } from '../../src/focus/index.js';
import { addDecimals, checkFocusCsv } from '../support/focus-check';
import { cleanEnv, runBin, useCliFixture } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-CLI-focus-7a8b9c';
const DEC_5 = Date.UTC(2026, 11, 5);
const NOV = { start: Date.UTC(2026, 10, 1) / 1000, end: Date.UTC(2026, 11, 1) / 1000 };
const fx = useCliFixture(KEY, { seed: 'cli-focus', now: () => DEC_5 });
const cli = (args: string[]) =>
  runBin(fx.bundle.bin, args, { env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fx.emu.url }) });

async function endpointAmounts(): Promise<string[]> {
  const out: string[] = [];
  for await (const r of fx.admin
    .costs({ start_time: NOV.start, end_time: NOV.end, limit: 31, group_by: ['project_id', 'line_item'] })
    .rows())
    out.push(r.amount!.value_decimal!);
  return out;
}

test('-o writes a FOCUS 1.2 file with no violation whose BilledCost adds up to the costs endpoint exactly; stdout stays empty', async () => {
  const file = join(fx.tmp, 'focus.csv');
  const r = await cli(['export', 'focus', '--month', '2026-11', '-o', file]);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('');
  const { violations, header, rows } = checkFocusCsv(readFileSync(file, 'utf8'));
  expect(violations).toEqual([]);
  expect(header).toEqual([...FOCUS_COLUMNS]);
  const amounts = await endpointAmounts();
  expect(rows.map((row) => row.BilledCost)).toEqual(amounts);
  const total = addDecimals(amounts);
  expect(r.stderr).toContain(`FOCUS 1.2: ${rows.length} rows for 2026-11, billed `);
  expect(r.stderr).toMatch(new RegExp(`billed ${total.replace(/(\.\d\d)\d*$/, '').replace('.', '\\.')}\\.\\d\\d USD`));
  expect(r.stderr).not.toMatch(/warning/);
  expect(readdirSync(fx.tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('without -o the same CSV goes to stdout', async () => {
  const file = join(fx.tmp, 'same.csv');
  const [toFile, toStdout] = [
    await cli(['export', 'focus', '--month', '2026-11', '--output', file]),
    await cli(['export', 'focus', '--month', '2026-11']),
  ];
  expect(toFile.code).toBe(0);
  expect(toStdout.code).toBe(0);
  expect(toStdout.stdout).toBe(readFileSync(file, 'utf8'));
});

test('a project named like a formula is written as text a spreadsheet will not run', async () => {
  const [project] = [...fx.emu.state.projects.values()].filter((p) => p.seeded);
  await fx.admin.projects.update(project.id, { name: '=HYPERLINK("http://evil.example","x")' });
  const r = await cli(['export', 'focus', '--month', '2026-11']);
  expect(r.code).toBe(0);
  const { rows, violations } = checkFocusCsv(r.stdout);
  expect(violations).toEqual([]);
  const names = new Set(rows.filter((row) => row.SubAccountId === project.id).map((row) => row.SubAccountName));
  expect([...names]).toEqual(['\'=HYPERLINK("http://evil.example","x")']);
});

test('--billing-account and --billing-account-name fill the billing account columns', async () => {
  const r = await cli([
    'export',
    'focus',
    '--month',
    '2026-11',
    '--billing-account',
    'org-abc',
    '--billing-account-name',
    'Acme',
  ]);
  const { rows } = checkFocusCsv(r.stdout);
  expect(new Set(rows.map((row) => `${row.BillingAccountId}|${row.BillingAccountName}`))).toEqual(
    new Set(['org-abc|Acme']),
  );
});

test.each([
  [['export', 'focus'], /--month is required/],
  [['export', 'focus', '--month', '2026-13'], /--month: month must be YYYY-MM/],
  [['export', 'focus', '--month', 'November'], /--month: month must be YYYY-MM/],
  [['export', 'focus', '--month', '2026-11', '--billing-account', ' '], /--billing-account must not be empty/],
])('%j is a usage error (exit 2) that sends nothing', async (args, message) => {
  const r = await cli(args);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(fx.emu.requests).toEqual([]);
});

test('an export that fails leaves the previous file as it was, and no temporary file behind', async () => {
  const file = join(fx.tmp, 'kept.csv');
  writeFileSync(file, 'previous export\n');
  fx.emu.setFaults({ serverErrorRate: 1 });
  const r = await cli(['export', 'focus', '--month', '2026-11', '-o', file]);
  expect(r.code).toBe(1);
  expect(r.stderr).not.toContain(KEY);
  expect(readFileSync(file, 'utf8')).toBe('previous export\n');
  expect(readdirSync(fx.tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('-o into a directory that does not exist fails clearly and creates nothing', async () => {
  const file = join(fx.tmp, 'missing-dir', 'focus.csv');
  const r = await cli(['export', 'focus', '--month', '2026-11', '-o', file]);
  expect(r.code).toBe(2); // the global -o: a path that cannot be written is a usage error, before anything is sent
  expect(r.stderr).toMatch(/ENOENT|no such file/i);
  expect(existsSync(join(fx.tmp, 'missing-dir'))).toBe(false);
});

test('--json prints the rows as JSON objects with the FOCUS columns', async () => {
  const r = await cli(['export', 'focus', '--month', '2026-11', '--json']);
  expect(r.code).toBe(0);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  expect(rows.length).toBeGreaterThan(100);
  expect(Object.keys(rows[0])).toEqual([...FOCUS_COLUMNS]);
  expect(rows[0].ChargeClass).toBeNull();
});

test('a month whose costs cannot all have arrived yet is exported with a warning saying when it will be complete', async () => {
  const r = await cli(['export', 'focus', '--month', '2099-01']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('warning: costs arrive about a day late; 2099-01 is complete from 2099-02-02 (UTC)');
  expect(r.stdout.split('\r\n')[0]).toBe(FOCUS_COLUMNS.join(','));
});
