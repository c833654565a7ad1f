/**
 * Issue 20: a reader follows one call through few files. scripts/call-path.ts records, by V8's precise coverage,
 * which hand-written files' functions run during a warm client's `admin.projects.list()` and `create()`; the path is
 * drawn in src/core/README.md. Files import only downward (test/spec/import-graph.test.ts), so a call can come back
 * to a file only by returning to it or through a callback it passed down.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/paths';

interface CallFiles {
  handWritten: string[];
  generated: string[];
}

let measured: { list: CallFiles; create: CallFiles };

beforeAll(() => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'call-path.ts'), '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  measured = JSON.parse(out) as typeof measured;
}, 90_000);

test('admin.projects.list() runs functions of 7 hand-written files: pagination, the request pipeline, its checks, the scheduler and the transport', () => {
  expect(measured.list.handWritten.sort()).toEqual(
    [
      'src/core/pipeline/pagination.ts',
      'src/core/pipeline/api-promise.ts',
      'src/core/pipeline/request.ts',
      'src/core/validation/validation.ts',
      'src/core/validation/schema-check.ts',
      'src/core/pacing/scheduler.ts',
      'src/core/transport/node-transport.ts',
    ].sort(),
  );
  expect(measured.list.generated).toEqual(['generated/resources.gen.ts']);
});

test('admin.projects.create() runs functions of 7 hand-written files: no client-core, no pagination, the body serialiser instead', () => {
  expect(measured.create.handWritten.sort()).toEqual(
    [
      'src/core/pipeline/api-promise.ts',
      'src/core/pipeline/request.ts',
      'src/core/validation/body.ts',
      'src/core/validation/validation.ts',
      'src/core/validation/schema-check.ts',
      'src/core/pacing/scheduler.ts',
      'src/core/transport/node-transport.ts',
    ].sort(),
  );
  expect(measured.create.generated).toEqual(['generated/resources.gen.ts']);
});

test('the measurement sees a file that runs: the page fetcher of a list is pagination.ts, a create has none', () => {
  // Guards the method itself: were coverage not taken (no functions counted), both lists above would be empty.
  expect(measured.list.handWritten).toContain('src/core/pipeline/pagination.ts');
  expect(measured.create.handWritten).not.toContain('src/core/pipeline/pagination.ts');
});
