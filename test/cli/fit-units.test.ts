/**
 * The pure parts of fitting and progress: column fitting and cutting, the output width (COLUMNS, tty, pipe),
 * remark wrapping, the progress line (injected clock and writer) and the wait wording; ListPrinter's streaming
 * over a collecting writer (backpressure by callback; a closed pipe becomes OutputClosed).
 */
import { ListPrinter, OutputClosed } from '../../src/cli/output/printer.js';
import { fitColumns, layoutTable, renderHead, renderRows, truncate } from '../../src/cli/output/table.js';
import { outputWidth, screenRows, wrapText } from '../../src/cli/output/width.js';
import { describeWait, formatWait, ProgressLine } from '../../src/cli/progress.js';

describe('fitting a table', () => {
  test('truncate cuts by code points and ends in an ellipsis; text that fits is untouched', () => {
    expect(truncate('Lovelace', 8)).toBe('Lovelace');
    expect(truncate('Lovelace', 5)).toBe('Love…');
    expect(truncate('día📈día', 3)).toBe('dí…');
  });

  test('natural widths when they fit; else the widest text column is cut first; ids and emails never', () => {
    expect(fitColumns(['id', 'name'], [12, 40], 60)).toEqual({ keep: [0, 1], widths: [12, 40] });
    expect(fitColumns(['id', 'name', 'note'], [12, 40, 30], 60)).toEqual({ keep: [0, 1, 2], widths: [12, 22, 22] });
    // Not even the minimums fit: the last columns go; the id stays whole.
    expect(fitColumns(['id', 'email', 'name', 'role'], [29, 29, 16, 6], 75)).toEqual({
      keep: [0, 1, 2],
      widths: [29, 29, 13],
    });
    // A single column wider than the line is cut to it.
    expect(fitColumns(['id'], [50], 20)).toEqual({ keep: [0], widths: [20] });
  });

  test('a fitted layout names what it dropped and cuts later rows to the first page widths', () => {
    const first = [{ id: 'a1', name: 'short' }];
    const layout = layoutTable(['id', 'name', 'created_at'], first, { maxWidth: 20 });
    expect(layout.dropped).toEqual(['created_at']);
    expect(renderHead(layout)).toBe('id  name\n--  -----\n');
    expect(renderRows(layout, [{ id: 'b2', name: 'a much longer name' }])).toBe('b2  a mu…\n');
    // Without a limit, later rows overflow rather than lose text.
    const open = layoutTable(['id', 'name'], first);
    expect(renderRows(open, [{ id: 'b2', name: 'a much longer name' }])).toBe('b2  a much longer name\n');
  });
});

describe('width and height', () => {
  test('COLUMNS wins, else the terminal, else no limit; LINES likewise with 24 by default', () => {
    expect(outputWidth({ isTTY: true, columns: 120 }, { COLUMNS: '80' })).toBe(80);
    expect(outputWidth({ isTTY: false }, { COLUMNS: '80' })).toBe(80);
    expect(outputWidth({ isTTY: true, columns: 120 }, {})).toBe(120);
    expect(outputWidth({ isTTY: false, columns: 120 }, {})).toBe(Infinity);
    expect(outputWidth({ isTTY: true, columns: 120 }, { COLUMNS: 'wide' })).toBe(120);
    expect(screenRows({ isTTY: true, rows: 50 }, {})).toBe(50);
    expect(screenRows({ isTTY: true, rows: 50 }, { LINES: '30' })).toBe(30);
    expect(screenRows({}, {})).toBe(24);
  });

  test('remarks wrap at word boundaries; no limit leaves them whole', () => {
    expect(wrapText('not shown at 20 columns: a, b, c', 20)).toBe('not shown at 20\ncolumns: a, b, c');
    expect(wrapText('one two', Infinity)).toBe('one two');
  });
});

describe('the progress line', () => {
  test('waits in words, the route shortened to its last segment', () => {
    expect(formatWait(500)).toBe('0.5 s');
    expect(formatWait(20_000)).toBe('20 s');
    expect(formatWait(360_000)).toBe('6 min 0 s');
    expect(describeWait({ route: 'GET /organization/projects/{project_id}/api_keys', waitMs: 20_000 })).toBe(
      'waiting 20 s: GET …/api_keys is rate limited',
    );
    expect(describeWait({ route: 'GET /organization/projects', waitMs: 1_000 })).toBe(
      'waiting 1 s: GET …/projects is rate limited',
    );
  });

  test('one line redrawn in place; the wait shows until it has passed; cut to the width; clear erases it', () => {
    let now = 1_000;
    const out: string[] = [];
    const line = new ProgressLine({ write: (t) => void out.push(t), width: 40, now: () => now });
    line.set('3/12 projects checked…');
    line.waiting({ route: 'GET /organization/projects/{project_id}/api_keys', waitMs: 20_000 });
    expect(out).toEqual([
      '\r\x1b[2K3/12 projects checked…',
      '\r\x1b[2K3/12 projects checked… · waiting 20 s:…', // cut to 39 of 40 columns
    ]);
    now += 20_000;
    line.set('4/12 projects checked…');
    expect(out.at(-1)).toBe('\r\x1b[2K4/12 projects checked…');
    line.set('evil \x1b]52;c;AAAA\x07 name');
    expect(out.at(-1)).toBe('\r\x1b[2Kevil \\u001b]52;c;AAAA\\u0007 name');
    line.clear();
    expect(out.at(-1)).toBe('\r\x1b[2K');
    const count = out.length;
    line.clear();
    expect(out).toHaveLength(count);
  });
});

describe('ListPrinter streams', () => {
  /** A writer that takes each write when the test says so (a slow reader). */
  function slowWriter() {
    const taken: string[] = [];
    const pending: Array<() => void> = [];
    return {
      taken,
      pending,
      write(text: string, done?: (err?: Error | null) => void) {
        taken.push(text);
        pending.push(() => done?.());
        return false;
      },
    };
  }

  test('each page is written at once, and add resolves only when the writer has taken it', async () => {
    const out = slowWriter();
    const printer = new ListPrinter(out, { format: 'ndjson' });
    let settled = false;
    const adding = printer.add([{ id: 1 }, { id: 2 }]).then(() => (settled = true));
    expect(out.taken).toEqual(['{"id":1}\n{"id":2}\n']);
    await Promise.resolve();
    expect(settled).toBe(false);
    out.pending.shift()!();
    await adding;
    expect(settled).toBe(true);
  });

  test('a closed pipe (EPIPE) is OutputClosed; other write errors are themselves', async () => {
    const failing = (code: string) => ({
      write: (_t: string, done?: (err?: Error | null) => void) => done?.(Object.assign(new Error(code), { code })),
    });
    await expect(new ListPrinter(failing('EPIPE'), { format: 'csv' }).add([{ a: 1 }])).rejects.toBeInstanceOf(
      OutputClosed,
    );
    await expect(new ListPrinter(failing('ENOSPC'), { format: 'csv' }).add([{ a: 1 }])).rejects.toThrow('ENOSPC');
  });

  test('CSV takes its header from the first page; later pages add rows only', async () => {
    let text = '';
    const printer = new ListPrinter({ write: (t: string) => (text += t) }, { format: 'csv' });
    await printer.add([{ id: 'a', n: 1 }]);
    await printer.add([{ id: 'b', n: 2, extra: 'x' }]);
    await printer.end();
    expect(text).toBe('id,n\r\na,1\r\nb,2\r\n');
  });
});
