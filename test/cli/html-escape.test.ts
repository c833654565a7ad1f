/**
 * The escaping module of the HTML report (src/cli/output/html.ts) and the report's use of it: every value a server
 * sent is text in the page, whatever field it came in, and the page carries a policy that allows no script.
 * (The browser suite opens such a page in Chromium: test/slow/browser/spend-report-injection.test.ts.)
 */
import { createHash } from 'node:crypto';
import { escapeHtml, markup, raw } from '../../src/cli/output/html.js';
import { renderSpendHtml, SPEND_HTML_CSP } from '../../src/cli/workflows/spend-html.js';
import type { SpendReport } from '../../src/cli/workflows/spend-report.js';
import { hostile } from '../support/hostile-spend';

describe('escapeHtml', () => {
  test('escapes the five characters that end text or a quoted attribute, and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml('Café · 5 € — ✓ \u202e')).toBe('Café · 5 € — ✓ \u202e');
  });

  test('keeps a character reference as text: upper-casing afterwards cannot bring markup back', () => {
    expect(escapeHtml('&#X3C;IMG SRC=X ONERROR=&#X61;LERT(1)&#X3E;')).toBe(
      '&amp;#X3C;IMG SRC=X ONERROR=&amp;#X61;LERT(1)&amp;#X3E;',
    );
    expect(escapeHtml('<img onerror=x>'.toUpperCase()).toUpperCase()).not.toMatch(/[<>]/);
  });

  test('shows values that are not strings as text: numbers, and nothing for null or undefined', () => {
    expect(escapeHtml(12.5)).toBe('12.5');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml({ toString: () => '<b>' })).toBe('&lt;b&gt;');
  });
});

describe('markup templates', () => {
  test('escape every interpolated value, in text and in attributes', () => {
    const name = `"><img src=x onerror=alert(1)>`;
    expect(markup`<td title="${name}">${name}</td>`.text).toBe(
      '<td title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>',
    );
  });

  test('insert markup they built as it is (never escaped twice), lists item by item, and raw() only as given', () => {
    const cell = markup`<td>${'a&b'}</td>`;
    expect(markup`<tr>${cell}</tr>`.text).toBe('<tr><td>a&amp;b</td></tr>');
    expect(markup`<ul>${['<x>', markup`<li>${'<y>'}</li>`, ['&']]}</ul>`.text).toBe(
      '<ul>&lt;x&gt;<li>&lt;y&gt;</li>&amp;</ul>',
    );
    expect(markup`${raw('<th>ID</th>')}`.text).toBe('<th>ID</th>');
    expect(String(markup`<b>${1}</b>`)).toBe('<b>1</b>');
  });
});

describe('the spend report page', () => {
  /** A report whose every string came from a hostile server (as buildSpendReport passes them through). */
  function hostileReport(by: SpendReport['by']): SpendReport {
    return {
      by,
      from: '2026-11-01',
      to: '2026-11-02',
      startTime: 0,
      endTime: 0,
      dates: ['2026-11-01', '2026-11-02'],
      partialDay: '2026-11-02',
      currency: hostile('currency').toUpperCase(),
      rows: [
        {
          key: hostile('key'),
          name: hostile('name'),
          cost: 2,
          share: 1,
          daily: [1, 1],
          previous_cost: 1,
          change: 1,
          change_pct: 100,
          requests: 5,
          input_tokens: 1,
          output_tokens: 2,
        },
        // What the client handed over before counters were coerced: strings, concatenated.
        {
          key: 'k',
          name: 'n',
          cost: 0,
          share: 0,
          daily: [0, 0],
          previous_cost: 0,
          change: 0,
          change_pct: null,
          requests: hostile('requests') as unknown as number,
          input_tokens: hostile('input_tokens') as unknown as number,
          output_tokens: '055' as unknown as number,
        },
      ],
      totals: {
        cost: 2,
        daily: [1, 1],
        previous_cost: 1,
        change: 1,
        change_pct: 100,
        requests: hostile('total.requests') as unknown as number,
        input_tokens: 1,
        output_tokens: 2,
      },
      previous: { from: '2026-10-30', to: '2026-10-31', startTime: 0, endTime: 0, description: 'before', cost: 1 },
      month: {
        month: '2026-11',
        daysInMonth: 30,
        dates: ['2026-11-01', '2026-11-02'],
        daily: [1, 1],
        monthToDate: 2,
        forecast: 30,
        basisDays: 1,
        method: 'run rate',
      },
      thresholds: { currency: hostile('thresholds.currency'), limit: 40, alerts: [10, 20] },
    };
  }

  test.each(['project', 'model', 'line_item'] as const)(
    'by %s: no value a server sent becomes an element or an attribute',
    (by) => {
      const page = renderSpendHtml(hostileReport(by), hostile('generatedAt'));
      // Every hostile value carries <img …> and <script>: escaped, none is left as markup.
      expect(page).not.toMatch(/<img|<script|<\/textarea|<\/style>[^\n]/i);
      expect(page).toContain(escapeHtml(hostile('name')));
      expect(page).toContain(escapeHtml(hostile('currency').toUpperCase()));
      // Counters that are not numbers are not shown at all (the client refuses them; this is the last line).
      expect(page).not.toContain(escapeHtml(hostile('requests')));
      expect(page).not.toContain('055');
    },
  );

  test('carries a Content-Security-Policy before anything from a server: no script, no requests, its own style only', () => {
    const page = renderSpendHtml(hostileReport('project'), 'now');
    const head = page.slice(0, page.indexOf('<title>'));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(head);
    expect(csp).not.toBeNull();
    const policy = csp![1].replaceAll('&#39;', "'");
    expect(policy).toBe(SPEND_HTML_CSP);
    expect(policy.split('; ')).toEqual([
      "default-src 'none'",
      expect.stringMatching(/^style-src 'sha256-[A-Za-z0-9+/]{43}='$/),
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    expect(policy).not.toMatch(/script-src|unsafe/);
    // The hash is the page's one stylesheet, and no element has a style attribute (the policy would refuse it).
    const sheets = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(sheets).toHaveLength(1);
    expect(policy).toContain(`'sha256-${createHash('sha256').update(sheets[0]).digest('base64')}'`);
    expect(page).not.toMatch(/ style="/);
  });
});
