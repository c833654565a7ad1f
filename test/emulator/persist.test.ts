/**
 * The emulator's state file (src/testing/persist.ts): a round trip keeps every collection (Maps, Sets, bounds)
 * and the id sequence, and an atomic write stopped at any step leaves the previous file whole and loadable.
 */
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorState } from '../../src/testing/index.js';
import { BoundedMap } from '../../src/testing/limits.js';
import { restoreState, serializeState, writeFileAtomic, type AtomicFs } from '../../src/testing/persist.js';
import { seedState } from '../../src/testing/seed.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'emu-persist-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function seeded(seed = 'persist') {
  const state = new EmulatorState(seed, () => Date.UTC(2026, 10, 1));
  seedState(state, { users: 8, projects: 3 });
  return state;
}

describe('serializeState / restoreState', () => {
  test('a restored state equals the saved one, Maps, Sets and bounds included, and goes on with the same ids', () => {
    const a = seeded();
    const text = serializeState(a);
    const b = new EmulatorState('persist', () => Date.UTC(2026, 10, 1));
    restoreState(b, text, 'org.json');
    expect(serializeState(b)).toBe(text);
    const project = [...b.projects.values()][0];
    expect(project.users).toBeInstanceOf(Map);
    expect(project.spendAlerts).toBeInstanceOf(BoundedMap);
    expect([...b.certificates.values()].every((c) => c.activeInProjects instanceof Set)).toBe(true);
    expect(b.newId('proj_')).toBe(a.newId('proj_'));
  });

  test('a file of another seed, another format or no JSON at all is refused with the file named', () => {
    const text = serializeState(seeded('one'));
    expect(() => restoreState(new EmulatorState('two'), text, 'org.json')).toThrow(
      "org.json was made with seed 'one', not 'two'",
    );
    expect(() => restoreState(new EmulatorState('one'), '{"format":"other/9"}', 'org.json')).toThrow(
      'org.json is not an emulator state file of this version',
    );
    expect(() => restoreState(new EmulatorState('one'), 'not json', 'x.json')).toThrow(
      'x.json is not an emulator state file',
    );
  });
});

describe('writeFileAtomic: a write stopped at any step leaves the previous file', () => {
  const steps = ['openSync', 'writeSync', 'fsyncSync', 'closeSync', 'renameSync'] as const;
  test.each(steps)('stopped at %s: the old content stays, no temporary file is left', (step) => {
    const file = join(dir, 'org.json');
    writeFileSync(file, 'old');
    const failing: AtomicFs = {
      openSync: fs.openSync,
      writeSync: fs.writeSync,
      fsyncSync: fs.fsyncSync,
      closeSync: fs.closeSync,
      renameSync: fs.renameSync,
      unlinkSync: fs.unlinkSync,
      [step]: () => {
        throw Object.assign(new Error(`killed at ${step}`), { code: 'EIO' });
      },
    };
    expect(() => writeFileAtomic(file, 'new', failing)).toThrow(`killed at ${step}`);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['org.json']);
  });

  test('a completed write replaces the whole file', () => {
    const file = join(dir, 'org.json');
    writeFileSync(file, 'old content that is longer');
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['org.json']);
  });
});
