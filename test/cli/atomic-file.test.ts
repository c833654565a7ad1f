/** writeFileAtomic (`export focus -o`): the old file or the new one, never half of one, nothing left behind. */
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/cli/atomic-file.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'atomic-file-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('replaces an existing file whole and leaves no temporary file', async () => {
  const path = join(dir, 'out.csv');
  writeFileSync(path, 'old\n');
  await writeFileAtomic(path, 'new,text\r\n');
  expect(readFileSync(path, 'utf8')).toBe('new,text\r\n');
  expect(readdirSync(dir)).toEqual(['out.csv']);
});

test('a rename that fails (a directory is in the way) removes the temporary file and throws', async () => {
  const path = join(dir, 'taken');
  mkdirSync(path);
  writeFileSync(join(path, 'inside'), 'x');
  await expect(writeFileAtomic(path, 'text')).rejects.toThrow();
  expect(readdirSync(dir)).toEqual(['taken']);
  expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('x');
});

test('a symbolic link at the path is replaced, not written through', async () => {
  const target = join(dir, 'elsewhere.txt');
  writeFileSync(target, 'keep me\n');
  const path = join(dir, 'link.csv');
  symlinkSync(target, path);
  await writeFileAtomic(path, 'export\n');
  expect(lstatSync(path).isSymbolicLink()).toBe(false);
  expect(readFileSync(path, 'utf8')).toBe('export\n');
  expect(readFileSync(target, 'utf8')).toBe('keep me\n');
});
