/**
 * Hermetic: nothing in the project reads the reference material beside the checkout (a fresh clone has none).
 * Every tracked (or new, not ignored) file of the code, tests, scripts, CI and configs is searched for a path into
 * it; the upstream spec the tests need is vendored (scripts/upstream/).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../support/paths';

// This file names the patterns, so it is the one file not searched.
const SELF = relative(ROOT, __filename).split('\\').join('/');
const SHARED = 'shared';
const FORBIDDEN = new RegExp(String.raw`\.\.[/\\]${SHARED}\b|${SHARED}[/\\]reference|['"\x60]${SHARED}['"\x60]`);
const SCOPE = /^(scripts|src|test|bench|examples|\.ci)\/|^[^/]+\.(json|c?js|mjs|ts|ya?ml)$|^\.[^/]+rc/;

function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out.split('\0').filter((f) => f && SCOPE.test(f) && f !== 'package-lock.json' && f !== SELF);
}

test('the search covers the code, tests, scripts, CI and configs (sanity)', () => {
  const files = projectFiles();
  for (const f of [
    'src/index.ts',
    'test/support/paths.ts',
    'scripts/spec-diff.ts',
    'package.json',
    'jest.config.cjs',
    '.ci/run',
  ])
    expect(files).toContain(f);
});

test('the pattern finds each way of spelling a path into the reference folder beside the checkout', () => {
  const spellings = [
    `'../${SHARED}/reference/upstream/x.yaml'`,
    `join(ROOT, '..', '${SHARED}', 'reference')`,
    `cat ../${SHARED}/STYLE.md`,
    `/work/${SHARED}/reference/seeds`,
  ];
  expect(spellings.filter((s) => !FORBIDDEN.test(s))).toEqual([]);
});

test('no project file reads the reference folder beside the checkout (the reference material is for people, not for the build or the tests)', () => {
  const offenders = projectFiles().flatMap((file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    return text
      .split('\n')
      .map((line, i) => [line, i + 1] as const)
      .filter(([line]) => FORBIDDEN.test(line))
      .map(([line, n]) => `${file}:${n}: ${line.trim()}`);
  });
  expect(offenders).toEqual([]);
});
