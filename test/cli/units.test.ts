/**
 * The CLI's pure parts, in-process: the command tree derived from the operations table (every operation
 * reachable under its library name, calling the right client method with the right arguments), flag
 * derivation and conversion, suggestions, formatters, the audit checkpoint and the report helpers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operations } from '../../generated/operations.gen.js';
import { OpenAIAdmin } from '../../src/index.js';
import { FRIENDLY_NAMES } from '../../src/resources/naming.js';
import { UsageError } from '../../src/cli/errors.js';
import { buildRequest, convertValue, derivedFlags, flagName, parseTime, readBodyFlag } from '../../src/cli/flags.js';
import { GLOBAL_OPTIONS } from '../../src/cli/globals.js';
import { commandTree } from '../../src/cli/command-tree.js';
import { main } from '../../src/cli/main.js';
import { guardIO } from '../../src/cli/io.js';
import type { Command } from '../../src/cli/command.js';
import { operationToCommand, plainText } from '../../src/cli/operation-command.js';
import {
  callOperation,
  clientMethod,
  methodArguments,
  operationCommandList,
  operationCommands,
} from '../../src/cli/operations.js';
import { ClientCore } from '../../src/core/client/client-core.js';
import { groupOperationCommands } from '../../src/cli/operation-group.js';
import { formatCell, formatTime } from '../../src/cli/output/cells.js';
import { csvField, renderCsv } from '../../src/cli/output/csv.js';
import { flatten, pickFields } from '../../src/cli/output/flatten.js';
import { renderTable } from '../../src/cli/output/table.js';
import { closestName as closest } from '../../src/core/base/suggest.js';
import { buildTree, commandsUnder, locate } from '../../src/cli/tree.js';
import { workflowCommands } from '../../src/cli/workflows/index.js';
import { NON_OPERATION_ROOTS } from '../../src/cli/workflows/roots.js';
import { crashPoints, settleInFlight } from '../../src/cli/workflows/audit-delivery.js';
import { checkpointAfter } from '../../src/cli/workflows/audit-log-state.js';
import { MAX_INTERVAL_S, nextInterval } from '../../src/cli/workflows/audit-tail.js';
import { chartSeries, niceCeil, renderSpendHtml } from '../../src/cli/workflows/spend-html.js';
import { sparkline } from '../../src/cli/workflows/spend-render.js';
import { modelOfLineItem, type SpendReport } from '../../src/cli/workflows/spend-report.js';
import { parseCsv } from '../support/csv';

const command = (friendly: string) => operationCommands().find((c) => c.friendly === friendly)!;

describe('the command tree, derived from the operations table', () => {
  test("start-up's operations-only tree (main.ts) finds every command the whole tree has under the roots it serves", () => {
    // NON_OPERATION_ROOTS is the first word of every workflow and of completion: nothing else.
    const roots = new Set([...workflowCommands().map((c) => c.words[0]), 'completion']);
    expect([...NON_OPERATION_ROOTS].sort()).toEqual([...roots].sort());
    const whole = commandTree();
    const operationsOnly = buildTree(operationCommandList());
    const wordsUnder = (node: Parameters<typeof commandsUnder>[0] | undefined) =>
      commandsUnder(node!).map((c) => [c.words.join(' '), c.summary]);
    let served = 0;
    for (const [root, node] of whole.children) {
      if (NON_OPERATION_ROOTS.has(root)) continue;
      expect(wordsUnder(operationsOnly.children.get(root))).toEqual(wordsUnder(node));
      served++;
    }
    expect(served).toBeGreaterThan(10);
    expect(operationsOnly.children.has('projects')).toBe(true);
  });

  test('the commands start-up builds lazily read exactly as the commands built in full, and a group alone gives the same subtree', () => {
    // operationCommandList makes flags, help and examples on first read (issue 17 §8): what is read must not differ.
    const fields = (c: Command) => ({
      words: c.words,
      summary: c.summary,
      description: c.description,
      positionals: c.positionals,
      options: c.options,
      examples: c.examples,
      notes: c.notes,
      deprecatedFor: c.deprecatedFor,
      defaultFormat: c.defaultFormat,
    });
    const lazy = operationCommandList();
    expect(lazy.map(fields)).toEqual(operationCommands().map((c) => fields(operationToCommand(c))));
    // main.ts builds the tree of the first word's group alone.
    const whole = buildTree(lazy);
    for (const [root, node] of whole.children) {
      const group = buildTree(lazy.filter((c) => c.words[0] === root)).children.get(root)!;
      expect(commandsUnder(group).map((c) => c.words.join(' '))).toEqual(
        commandsUnder(node).map((c) => c.words.join(' ')),
      );
    }
  });

  test('every operation is a command under its library name, in kebab-case words', () => {
    const commands = operationCommands().filter((c) => !c.aliasOf);
    expect(commands).toHaveLength(Object.keys(operations).length);
    expect(commands.map((c) => c.friendly).sort()).toEqual(Object.values(FRIENDLY_NAMES).sort());
    expect(command('projects.serviceAccounts.apiKeys.create').words).toEqual([
      'projects',
      'service-accounts',
      'api-keys',
      'create',
    ]);
    for (const c of commands)
      expect(locate(commandTree(), [...c.words, 'x']).node.command?.summary).toBe(plainText(c.meta.summary));
  });

  test("each group's generated slice (generated/cli/) gives the same commands, rows and metadata as the whole tables", async () => {
    // Rows compared as data: a natural key's list thunk by the row it returns.
    const plain = (c: (typeof commands)[number]) =>
      JSON.parse(
        JSON.stringify({ ...c, meta: c.meta }, (_key, value: unknown) =>
          typeof value === 'function' ? (value as () => { name: string })().name : value,
        ),
      ) as unknown;
    const commands = operationCommands();
    const words = [...new Set(commands.map((c) => c.words[0]))];
    for (const word of words) {
      const sliced = await groupOperationCommands(word);
      expect([word, sliced?.map(plain)]).toEqual([word, commands.filter((c) => c.words[0] === word).map(plain)]);
    }
    expect(await groupOperationCommands('keys')).toBeUndefined(); // a workflow's word
    expect(await groupOperationCommands('constructor')).toBeUndefined();
  });

  test('a deprecated former name of the client (projects users create) is a command too, saying what replaces it', () => {
    const alias = command('projects.users.create');
    expect(alias.aliasOf).toBe('projects.users.add');
    expect(alias.name).toBe(command('projects.users.add').name);
    expect(alias.meta.summary).toMatch(/\(deprecated name of 'projects users add'\)$/);
    expect(locate(commandTree(), ['projects', 'users', 'create', 'x']).node.command?.summary).toBe(alias.meta.summary);
  });

  test('each command calls its client method with path ids, then the body or the query (arity matches the method)', () => {
    const admin = new OpenAIAdmin({ apiKey: 'sk-admin-unit', baseURL: 'http://127.0.0.1:9/v1' });
    for (const c of operationCommands()) {
      const method = clientMethod(admin, c.friendly);
      const args = methodArguments(c.op, {
        path: Object.fromEntries(c.op.pathParams.map((p) => [p, `${p}-value`])),
        query: { q: 1 },
        body: { b: 2 },
      });
      // The method's declared parameters are exactly these arguments plus the request options.
      expect([c.friendly, method.length]).toEqual([c.friendly, args.length + 1]);
      expect(args.slice(0, c.op.pathParams.length)).toEqual(c.op.pathParams.map((p) => `${p}-value`));
    }
  });

  test("each command's call on the client's engine (callOperation) sends what its client method sends", async () => {
    const sent: string[] = [];
    const fetch = (async (url: string | URL, init?: RequestInit) => {
      sent.push(`${init?.method} ${String(url)} ${typeof init?.body === 'string' ? init.body : ''}`);
      return new Response('{"object":"list","data":[],"has_more":false}', {
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof globalThis.fetch;
    const options = { apiKey: 'sk-admin-unit', baseURL: 'http://127.0.0.1:9/v1', fetch, maxRetries: 0 };
    const admin = new OpenAIAdmin(options);
    const core = new ClientCore(options);
    // Both ways the same request goes out, or the same validation error stops both before anything is sent.
    const outcome = async (call: () => unknown) => {
      sent.length = 0;
      const settled = await Promise.resolve()
        .then(call)
        .then(
          () => 'resolved',
          (err: Error) => err.message,
        );
      return { settled, sent: sent.splice(0) };
    };
    let compared = 0;
    for (const c of operationCommands()) {
      const body = c.op.body !== null ? { name: 'n' } : undefined;
      const query = c.op.pagination?.limitByBucketWidth ? { start_time: 1, bucket_width: '1h' } : { limit: 3 };
      const input = { path: Object.fromEntries(c.op.pathParams.map((p) => [p, `${p}-value`])), query, body };
      const viaMethod = await outcome(() => clientMethod(admin, c.friendly)(...methodArguments(c.op, input)));
      const viaCore = await outcome(() => callOperation(core, c.op, input));
      expect([c.friendly, viaCore]).toEqual([c.friendly, viaMethod]);
      if (viaMethod.sent.length) compared++;
    }
    expect(compared).toBeGreaterThan(operationCommands().length / 2);
  });

  test('no derived flag collides with a global flag or another flag of the same command', () => {
    for (const c of operationCommands()) {
      const names = derivedFlags(c).map((f) => f.flag);
      expect([c.friendly, names.filter((n) => n in GLOBAL_OPTIONS || n === 'body')]).toEqual([c.friendly, []]);
      expect([c.friendly, new Set(names).size]).toEqual([c.friendly, names.length]);
    }
  });

  test('the tree suggests the closest word for a typo', () => {
    expect(() => locate(commandTree(), ['projects', 'usrs', 'list'])).toThrow(
      expect.objectContaining({ message: "unknown command 'usrs' for 'projects'", hint: 'did you mean users?' }),
    );
    expect(closest('lsit', ['list', 'create'])).toBe('list');
    expect(closest('serviceaccounts', ['service-accounts', 'users'])).toBe('service-accounts');
    expect(closest('zzzzzz', ['list', 'create'])).toBeNull();
  });
});

describe('flags', () => {
  test('names are the kebab-case of the wire names', () => {
    expect(flagName('project_ids[]')).toBe('project-ids');
    expect(flagName('effective_at[gte]')).toBe('effective-at-gte');
    expect(flagName('max_requests_per_1_minute')).toBe('max-requests-per-1-minute');
  });

  test('times accept ISO-8601 dates and date-times or Unix seconds, nothing else', () => {
    expect(parseTime('2026-11-01', '--start-time')).toBe(Date.UTC(2026, 10, 1) / 1000);
    expect(parseTime('2026-11-01T12:30:00Z', '--start-time')).toBe(Date.UTC(2026, 10, 1, 12, 30) / 1000);
    expect(parseTime('2026-11-01T12:30:00+02:00', '--start-time')).toBe(Date.UTC(2026, 10, 1, 10, 30) / 1000);
    expect(parseTime('1790000000', '--start-time')).toBe(1_790_000_000);
    for (const bad of ['yesterday', '2026-13-01', '-5', '1.5', ''])
      expect(() => parseTime(bad, '--start-time')).toThrow(UsageError);
  });

  test('values are typed, enums checked, JSON parsed; errors name the flag', () => {
    expect(convertValue('42', { name: 'limit', type: 'integer' }, 'limit')).toBe(42);
    expect(() => convertValue('4.5', { name: 'limit', type: 'integer' }, 'limit')).toThrow(
      "--limit expects a whole number, got '4.5'",
    );
    expect(() =>
      convertValue('2d', { name: 'bucket_width', type: 'string', enum: ['1m', '1h', '1d'] }, 'bucket-width'),
    ).toThrow("--bucket-width must be one of 1m, 1h, 1d; got '2d'");
    expect(convertValue('{"a":1}', { name: 'x', type: 'json' }, 'x')).toEqual({ a: 1 });
    expect(() => convertValue('{', { name: 'x', type: 'json' }, 'x')).toThrow(/^--x expects JSON/);
  });

  test('a request from positionals and flags: repeated arrays, deepObject times, --body merged under field flags, booleans and --no-', () => {
    const usage = buildRequest(
      command('usage.completions'),
      { 'start-time': '2026-11-01', 'group-by': ['project_id', 'model'], 'no-batch': true },
      [],
    );
    expect(usage).toEqual({
      path: {},
      query: { start_time: Date.UTC(2026, 10, 1) / 1000, group_by: ['project_id', 'model'], batch: false },
    });
    const audit = buildRequest(
      command('auditLogs.list'),
      { 'effective-at-gte': '1790000000', 'event-types': ['project.created'] },
      [],
    );
    expect(audit.query).toEqual({ effective_at: { gte: 1_790_000_000 }, 'event_types[]': ['project.created'] });
    const create = buildRequest(
      command('projects.users.create'),
      { body: '{"user_id":"u1","role":"owner"}', role: 'member' },
      ['proj_1'],
    );
    expect(create).toEqual({ path: { project_id: 'proj_1' }, body: { user_id: 'u1', role: 'member' } });
    expect(() => buildRequest(command('projects.users.create'), {}, ['proj_1', 'extra'])).toThrow(
      "unexpected argument 'extra'",
    );
    expect(() =>
      buildRequest(command('usage.completions'), { batch: true, 'no-batch': true, 'start-time': '1' }, []),
    ).toThrow('--batch and --no-batch contradict each other');
  });

  test('--body reads inline JSON or @file and must be an object', () => {
    expect(readBodyFlag('@body.json', (p) => (p === 'body.json' ? '{"name":"x"}' : ''))).toEqual({ name: 'x' });
    expect(() => readBodyFlag('[1]')).toThrow('--body must be a JSON object');
    expect(() =>
      readBodyFlag('@missing.json', () => {
        throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      }),
    ).toThrow('--body @missing.json: cannot read the file (ENOENT)');
  });
});

describe('formatters', () => {
  test('CSV quotes what needs quoting and round-trips through an independent parser', () => {
    const rows = [
      { a: 'plain', b: 'x, "y"\nz', c: null },
      { a: ' lead', b: 12.5, c: { n: 1 } },
    ];
    const text = renderCsv(['a', 'b', 'c'], rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['plain', 'x, "y"\nz', ''],
      [' lead', '12.5', '{"n":1}'],
    ]);
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  test('cells: times as dates, numbers with separators, text on one line', () => {
    expect(formatCell('created_at', 1_790_000_000)).toBe(formatTime(1_790_000_000));
    expect(formatTime(Date.UTC(2026, 10, 1) / 1000)).toBe('2026-11-01');
    expect(formatTime(Date.UTC(2026, 10, 1, 9, 5) / 1000)).toBe('2026-11-01 09:05');
    expect(formatCell('input_tokens', 1234567)).toBe('1,234,567');
    expect(formatCell('name', 'two\nlines')).toBe('two lines');
  });

  test('tables right-align numeric columns and add a footer under a rule', () => {
    const text = renderTable(
      ['name', 'n'],
      [
        { name: 'a', n: 5 },
        { name: 'bbbb', n: 12345 },
      ],
      { footer: [{ name: 'TOTAL', n: 12350 }] },
    );
    expect(text).toBe(
      ['name        n', '-----  ------', 'a           5', 'bbbb   12,345', '-----  ------', 'TOTAL  12,350', ''].join(
        '\n',
      ),
    );
  });

  test('flatten and --fields reach nested fields by dotted path', () => {
    const key = { id: 'k', owner: { type: 'user', user: { email: 'a@b' } }, tags: ['x'] };
    expect(flatten(key)).toEqual({ id: 'k', 'owner.type': 'user', 'owner.user.email': 'a@b', tags: ['x'] });
    expect(pickFields(key, ['id', 'owner.user.email', 'missing'])).toEqual({
      id: 'k',
      'owner.user.email': 'a@b',
      missing: null,
    });
  });
});

describe('workflow helpers', () => {
  test('audit checkpoint: newest event, with every id of its second, carried over from the previous checkpoint', () => {
    const prev = { version: 1 as const, lastId: 'a', lastEffectiveAt: 10, idsAtLastSecond: ['a'] };
    expect(checkpointAfter([], prev)).toBe(prev);
    expect(
      checkpointAfter(
        [
          { id: 'b', effective_at: 10 },
          { id: 'c', effective_at: 10 },
        ],
        prev,
      ),
    ).toEqual({ version: 1, lastId: 'c', lastEffectiveAt: 10, idsAtLastSecond: ['a', 'b', 'c'] });
    expect(
      checkpointAfter(
        [
          { id: 'b', effective_at: 10 },
          { id: 'd', effective_at: 11 },
        ],
        prev,
      ),
    ).toEqual({ version: 1, lastId: 'd', lastEffectiveAt: 11, idsAtLastSecond: ['d'] });
  });

  test('an interrupted chunk settles past the prefix that reached the output; unknown output means none did', () => {
    const prev = { version: 1 as const, lastId: 'a', lastEffectiveAt: 10, idsAtLastSecond: ['a'] };
    const events = [
      { id: 'b', effective_at: 10 },
      { id: 'c', effective_at: 11 },
      { id: 'd', effective_at: 12 },
    ];
    const state = { ...checkpointAfter(events, prev)!, inFlight: { events, previous: prev, output: null } };
    expect(settleInFlight(state, new Set(['b', 'c']))).toEqual({
      checkpoint: { version: 1, lastId: 'c', lastEffectiveAt: 11, idsAtLastSecond: ['c'] },
    });
    expect(settleInFlight(state, new Set(['b', 'd']))).toEqual({
      checkpoint: { version: 1, lastId: 'b', lastEffectiveAt: 10, idsAtLastSecond: ['a', 'b'] },
    }); // only a prefix counts: 'd' without 'c' is printed again rather than 'c' lost
    expect(settleInFlight(state, new Set(events.map((e) => e.id))).checkpoint?.lastId).toBe('d');
    expect(settleInFlight(state, null)).toEqual({ checkpoint: prev });
    const firstRun = { ...state, inFlight: { events, previous: null, since: 5, output: null } };
    expect(settleInFlight(firstRun, new Set())).toEqual({ checkpoint: null, since: 5 });
  });

  test('the crash seam matches only the named point of the named chunk, and nothing when unset', () => {
    const at = crashPoints({ OPENAI_ADMIN_TEST_CRASH_AT: 'after-print@2' });
    expect([at('after-print', 1), at('after-print', 2), at('after-intent', 2)]).toEqual([false, true, false]);
    expect(crashPoints({ OPENAI_ADMIN_TEST_CRASH_AT: 'mid-print' })('mid-print', 1)).toBe(true);
    expect(crashPoints({})('after-print', 1)).toBe(false);
  });

  test('follow backs off while nothing happens and returns to the start interval after news', () => {
    expect(nextInterval(5, 5, false)).toBe(10);
    expect(nextInterval(40, 5, false)).toBe(MAX_INTERVAL_S);
    expect(nextInterval(60, 5, true)).toBe(5);
  });

  test('sparklines scale to the row maximum; zero days are blank', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe(' ▂▃▅█');
    expect(sparkline([0, 0])).toBe('  ');
    expect(niceCeil(0)).toBe(0);
    expect(niceCeil(73)).toBe(100);
    expect(niceCeil(0.3)).toBe(0.5);
    expect(modelOfLineItem('gpt-4o-2024-08-06, input')).toBe('gpt-4o-2024-08-06');
    expect(modelOfLineItem('web search tool calls')).toBe('web search tool calls');
  });

  test('the HTML report escapes names, keeps the top series and sums the rest into "other"', () => {
    const change = { previous_cost: 0, change: 0, change_pct: null };
    const rows = Array.from({ length: 10 }, (_, i) => ({
      key: `p${i}`,
      name: i === 0 ? '<b>&"x"</b>' : `P${i}`,
      cost: 10 - i,
      share: 0.1,
      daily: [10 - i, 0],
      ...change,
    }));
    const report: SpendReport = {
      by: 'project',
      from: '2026-11-01',
      to: '2026-11-02',
      startTime: 0,
      endTime: 0,
      dates: ['2026-11-01', '2026-11-02'],
      partialDay: null,
      currency: 'USD',
      rows,
      totals: { cost: 55, daily: [55, 0], ...change },
      previous: {
        from: '2026-10-30',
        to: '2026-10-31',
        startTime: 0,
        endTime: 0,
        description: 'the 2 day(s) before',
        cost: 0,
      },
      month: null,
      thresholds: null,
    };
    const series = chartSeries(report);
    expect(series).toHaveLength(9);
    expect(series.at(-1)).toEqual({ key: '(other)', name: '2 other', daily: [3, 0] });
    const html = renderSpendHtml(report, 'now');
    expect(html).toContain('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;');
    expect(html).not.toContain('<b>&"x"</b>');
  });
});

describe('main() in-process', () => {
  test('--version prints the version; a bare group prints its help on stderr with exit 2; help <command> is --help', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      stdin: process.stdin,
      env: {},
    };
    expect(await main(['--version'], io)).toBe(0);
    expect(out.join('')).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(await main(['projects', 'users'], io)).toBe(2);
    expect(err.join('')).toContain('Usage: openai-admin projects users <command>');
    out.length = 0;
    expect(await main(['help', 'projects', 'users', 'create'], io)).toBe(0);
    expect(out.join('')).toContain('Usage: openai-admin projects users create <project-id> [flags]');
  });

  test('a command that asks nothing of stdin never reads it: no output guard or -o file copies it', async () => {
    // Node builds process.stdin on first read, a sixth of `node -e 0` in instructions (issue 17 §8).
    let stdinReads = 0;
    const dir = mkdtempSync(join(tmpdir(), 'openai-admin-stdin-'));
    const io = {
      stdout: { write: (_text: string, done?: () => void) => (done?.(), true) },
      stderr: { write: (_text: string, done?: () => void) => (done?.(), true) },
      get stdin(): NodeJS.ReadableStream {
        stdinReads++;
        return process.stdin;
      },
      env: {},
    };
    try {
      expect(await main(['projects', 'list', '--emulator', '--json', '-o', join(dir, 'out.json')], io)).toBe(0);
      expect(await main(['projects', 'list', '--emulator', '--csv'], io)).toBe(0);
      expect(stdinReads).toBe(0);
      expect(guardIO(io).stdin).toBe(process.stdin);
      expect(stdinReads).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
