/**
 * Issue 17 §8, "load only what a command needs", held as facts about the bundled bin rather than as times: which
 * source modules `projects list` loads (the chunks the bundle's static imports reach from the bin, from its one
 * import() of the command machinery and from the projects group's slice: esbuild's metafile), and which Node
 * built-ins a run against an http:// emulator loads. Importing a whole table again (every operation's row, CLI
 * metadata, resource class or request check) fails the first test by name.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { ROOT } from '../support/paths';
import { cleanEnv, runBin, useCliFixture } from './support';

const KEY = 'sk-admin-start-up';
const fixture = useCliFixture(KEY, { seed: 'start-up' });

/** The bundle's output files `projects list` loads, each with the source modules in it. */
function projectsListLoads(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(join(fixture.bundle.dir, 'metafile.json'), 'utf8')) as Metafile;
  const file = (key: string) => relative(fixture.bundle.dir, resolve(ROOT, key));
  const byEntry = (entry: string) => Object.keys(meta.outputs).find((k) => meta.outputs[k].entryPoint === entry)!;
  const loaded = new Map<string, string[]>();
  const visit = (key: string) => {
    if (loaded.has(file(key))) return;
    const output = meta.outputs[key];
    loaded.set(
      file(key),
      Object.entries(output.inputs)
        .filter(([, v]) => v.bytesInOutput > 0)
        .map(([input]) => input),
    );
    for (const i of output.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  // The bin, what it import()s for any command but --version, and the group's slice main.ts import()s.
  [byEntry('src/cli/bin.ts'), byEntry('src/cli/run.ts'), byEntry('generated/cli/projects.gen.ts')].forEach(visit);
  return loaded;
}

test('projects list loads its group slice and the request path, not the tables of every operation', () => {
  const loads = projectsListLoads();
  const modules = [...loads.values()].flat();
  for (const needed of [
    'src/cli/main.ts',
    'src/core/client/client-core.ts',
    'src/core/transport/node-transport.ts',
    'generated/cli/projects.gen.ts',
    'generated/validators/requests-text.gen.ts',
  ])
    expect(modules).toContain(needed);
  const whole = modules.filter(
    (m) =>
      /^generated\/(operations|cli|resources|operation-types|cli-topics|org-file-schema)\.gen\.ts$/.test(m) ||
      /^generated\/validators\/(requests|responses)\.gen\.ts$/.test(m) ||
      (/^generated\/cli\//.test(m) && !/\/(projects|index)\.gen\.ts$/.test(m)) ||
      /^src\/(client|cli\/command-tree|cli\/operations|cli\/help|testing\/|org\/|ledger\/|focus\/)/.test(m) ||
      (m.startsWith('src/cli/workflows/') && m !== 'src/cli/workflows/roots.ts'),
  );
  expect(whole).toEqual([]);
  // The bin, the command machinery's facade and chunk, esbuild's helpers, the group's slice.
  expect(loads.size).toBeLessThanOrEqual(5);
});

test('--version loads the bin alone', () => {
  const meta = JSON.parse(readFileSync(join(fixture.bundle.dir, 'metafile.json'), 'utf8')) as Metafile;
  const bin = Object.values(meta.outputs).find((o) => o.entryPoint === 'src/cli/bin.ts')!;
  expect(bin.imports.filter((i) => i.kind === 'import-statement')).toEqual([]);
});

test('against an http:// base URL, projects list loads neither node:https, tls, crypto nor zlib, nor an ES module', async () => {
  // A preload that writes the built-ins the process loaded when it exits.
  const record = join(fixture.tmp, 'built-ins.txt');
  const preload = join(fixture.tmp, 'record-built-ins.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, process.moduleLoadList.join('\\n')));\n`,
  );
  const run = await runBin(fixture.bundle.bin, ['projects', 'list', '--json'], {
    env: cleanEnv({ OPENAI_ADMIN_KEY: KEY, OPENAI_BASE_URL: fixture.emu.url, NODE_OPTIONS: `--require ${preload}` }),
  });
  expect(run.code).toBe(0);
  expect((JSON.parse(run.stdout) as unknown[]).length).toBeGreaterThan(0);
  const builtIns = readFileSync(record, 'utf8').split('\n');
  expect(builtIns).toContain('NativeModule http');
  expect(builtIns.filter((m) => /^NativeModule (https|tls|_tls_wrap|crypto|zlib)$/.test(m))).toEqual([]);
  // Every file of the bin is CommonJS (cli-bundle.ts, asCommonJS): Node's ESM loader, a third of `node -e 0` in
  // instructions on Node 20, never starts: no module of it loads that an empty CommonJS file does not load too (Node
  // 24 loads the loader for every process; Node 20 and 22 only for an ES module).
  const empty = join(fixture.tmp, 'empty.cjs');
  writeFileSync(empty, '');
  execFileSync(process.execPath, ['--require', preload, empty]);
  const esmLoader = (list: string[]) => list.filter((m) => m.startsWith('NativeModule internal/modules/esm/'));
  expect(esmLoader(builtIns)).toEqual(esmLoader(readFileSync(record, 'utf8').split('\n')));
});

test("the bin's request checks (requests-text.gen.ts, JSON text) are requests.gen.ts's, operation by operation", async () => {
  const data = await import('../../generated/validators/requests.gen.js');
  const text = await import('../../generated/validators/requests-text.gen.js');
  expect(Object.keys(text.requests)).toEqual(Object.keys(data.requests));
  for (const name of Object.keys(data.requests))
    expect([name, text.requests[name]]).toEqual([name, data.requests[name]]);
  expect(text.defs).toEqual(data.defs);
});
