/**
 * The `keys rotate` journal file: where it lives (ids from the user and the server never leave its directory),
 * how it is written (exclusive first write, atomic updates, 0600, no temporary file left) and what a journal
 * that is not this account's, or not a regular file, gets.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  defaultJournalPath,
  readJournal,
  removeJournal,
  stageOf,
  uniqueKeyName,
  writeJournal,
  type RotationRecord,
} from '../../src/cli/workflows/rotation-journal.js';
import { UsageError } from '../../src/cli/errors.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rotation-journal-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (): RotationRecord => ({
  version: 1,
  kind: 'openai-admin keys rotate',
  project: 'proj_a',
  service_account: 'svc_b',
  started_at: '2026-12-07T00:00:00.000Z',
  new_key: { name: 'rotated-2026-12-07-r0a1b2c3d', id: null, delivered_to: null },
  key_out: null,
  old_keys: ['key_1', 'key_2'],
  deleted: [],
});

describe('where the journal lives', () => {
  test('under $XDG_STATE_HOME/openai-admin, one file per project and service account', () => {
    expect(defaultJournalPath({ XDG_STATE_HOME: '/s', HOME: '/h' }, 'proj_a', 'svc_b')).toBe(
      '/s/openai-admin/rotate-proj_a-svc_b.json',
    );
  });

  test('under ~/.local/state when XDG_STATE_HOME is unset or relative (the XDG rule)', () => {
    expect(defaultJournalPath({ HOME: '/h' }, 'p', 's')).toBe('/h/.local/state/openai-admin/rotate-p-s.json');
    expect(defaultJournalPath({ XDG_STATE_HOME: 'rel', HOME: '/h' }, 'p', 's')).toBe(
      '/h/.local/state/openai-admin/rotate-p-s.json',
    );
  });

  test.each(['../../etc/passwd', 'a/b', '', '.', 'x'.repeat(500), 'proj\u0000a', 'ü'])(
    'a hostile id (%j) becomes a hashed name in the same directory',
    (id) => {
      const path = defaultJournalPath({ XDG_STATE_HOME: '/s' }, id, 'svc_b');
      expect(dirname(path)).toBe('/s/openai-admin');
      expect(basename(path)).toMatch(/^rotate-x[0-9a-f]{8}-svc_b\.json$/);
      expect(defaultJournalPath({ XDG_STATE_HOME: '/s' }, 'svc_b', id)).not.toBe(path);
    },
  );

  test('without XDG_STATE_HOME or HOME: a usage error that names --journal', () => {
    expect(() => defaultJournalPath({}, 'p', 's', () => '')).toThrow(UsageError);
    expect(() => defaultJournalPath({}, 'p', 's', () => '')).toThrow(/neither XDG_STATE_HOME nor HOME/);
  });

  test('the key name gets a random suffix by which an interrupted run recognises its key', () => {
    expect(uniqueKeyName('ci-bot-2026', () => '0a1b2c3d')).toBe('ci-bot-2026-r0a1b2c3d');
    expect(uniqueKeyName('x')).toMatch(/^x-r[0-9a-f]{8}$/);
    expect(uniqueKeyName('x')).not.toBe(uniqueKeyName('x'));
  });
});

describe('writing and reading', () => {
  test('the first write is exclusive: an existing journal is never overwritten by a new rotation', () => {
    const path = join(dir, 'sub', 'j.json');
    writeJournal(path, record(), true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(() => writeJournal(path, { ...record(), old_keys: [] }, true)).toThrow(/appeared while this run/);
    expect(readJournal(path, 'proj_a', 'svc_b')!.old_keys).toEqual(['key_1', 'key_2']);
    expect(readdirSync(dirname(path))).toEqual(['j.json']); // no temporary file left behind
  });

  test('updates replace it whole; the stage follows what was recorded; removed at the end', () => {
    const path = join(dir, 'j.json');
    const r = record();
    writeJournal(path, r, true);
    expect(stageOf(readJournal(path, 'proj_a', 'svc_b')!)).toBe('intent');
    r.new_key.id = 'key_new';
    writeJournal(path, r, false);
    expect(stageOf(readJournal(path, 'proj_a', 'svc_b')!)).toBe('created');
    r.new_key.delivered_to = 'stdout';
    writeJournal(path, r, false);
    expect(stageOf(readJournal(path, 'proj_a', 'svc_b')!)).toBe('delivered');
    expect(readdirSync(dir)).toEqual(['j.json']);
    removeJournal(path);
    expect(readJournal(path, 'proj_a', 'svc_b')).toBeNull();
  });

  test("another account's journal (--journal pointing at the wrong file) is refused, not resumed", () => {
    const path = join(dir, 'j.json');
    writeJournal(path, record(), true);
    expect(() => readJournal(path, 'proj_a', 'svc_other')).toThrow(
      `rotation journal ${path} is of svc_b in proj_a, not of svc_other in proj_a`,
    );
  });

  test('a delivered_to without a key id is damage, not a stage', () => {
    const path = join(dir, 'j.json');
    writeFileSync(path, JSON.stringify({ ...record(), new_key: { name: 'n', id: null, delivered_to: 'stdout' } }));
    expect(() => readJournal(path, 'proj_a', 'svc_b')).toThrow(/is not a rotation journal this version understands/);
  });

  test('a symbolic link or a directory as the journal is refused', () => {
    const target = join(dir, 'target.json');
    writeJournal(target, record(), true);
    const link = join(dir, 'link.json');
    symlinkSync(target, link);
    expect(() => readJournal(link, 'proj_a', 'svc_b')).toThrow(/symbolic link/);
    expect(() => readJournal(dir, 'proj_a', 'svc_b')).toThrow(/directory/);
  });
});
