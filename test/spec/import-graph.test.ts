/**
 * One-way imports (issue 20): no import cycle anywhere in src/ — type imports, `export … from` and `import()`
 * included — and in src/core, imports only down the layers of src/core/README.md (scripts/lib/core-layers.ts).
 * `npm run imports` prints the same findings.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cycles, importGraph, sourceFiles, specifiers, upwardImports } from '../../scripts/lib/import-graph';
import { CORE_LAYERS, coreLayer, sameCoreLayer } from '../../scripts/lib/core-layers';
import { ROOT } from '../support/paths';

const graph = importGraph(ROOT, sourceFiles(ROOT, 'src'));

test('src/ has no import cycle, type imports and import() included', () => {
  expect(cycles(graph)).toEqual([]);
});

test('src/core imports only downward: from lower layers, or within its own folder', () => {
  expect(upwardImports(graph, coreLayer, sameCoreLayer)).toEqual([]);
});

test('every file of src/core sits in a folder of a layer', () => {
  const core = [...graph.keys()].filter((f) => f.startsWith('src/core/'));
  expect(core.length).toBeGreaterThan(20);
  expect(core.filter((f) => (coreLayer(f) ?? -1) < 0)).toEqual([]);
  expect(CORE_LAYERS.flat().sort()).toEqual([...new Set(core.map((f) => f.split('/')[2]))].sort());
});

describe('the graph (sanity: the checks above can fail)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'import-graph-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('sees import, import type, export from, import() and typeof import()', () => {
    expect(
      specifiers(
        [
          "import { a } from './a.js';",
          "import type { B } from '../b.js';",
          "export { c } from './c';",
          "const d = () => import('./d.js');",
          "let e: typeof import('./e.js') | undefined;",
          "import { readFileSync } from 'node:fs';",
        ].join('\n'),
      ),
    ).toEqual(['./a.js', '../b.js', './c', './d.js', './e.js']);
  });

  test('finds a cycle made only of a type import and a lazy import()', () => {
    mkdirSync(join(dir, 'src', 'x'), { recursive: true });
    writeFileSync(join(dir, 'src', 'x', 'a.ts'), "import type { B } from './b.js';\nexport type A = B;\n");
    writeFileSync(join(dir, 'src', 'x', 'b.ts'), "export type B = 1;\nexport const load = () => import('./a.js');\n");
    writeFileSync(join(dir, 'src', 'x', 'c.ts'), "import './a.js';\n");
    const g = importGraph(dir, sourceFiles(dir, 'src'));
    expect(cycles(g)).toEqual([['src/x/a.ts', 'src/x/b.ts']]);
  });

  test('flags an import up a layer and one between sibling folders of a layer', () => {
    const g = new Map([
      ['src/core/base/errors.ts', ['src/core/pipeline/request.ts']],
      ['src/core/pacing/pacing.ts', ['src/core/transport/transport.ts', 'src/core/base/errors.ts']],
      ['src/core/pipeline/request.ts', ['src/core/pipeline/failure.ts', 'src/core/types/call.ts']],
    ]);
    expect(upwardImports(g, coreLayer, sameCoreLayer)).toEqual([
      'src/core/base/errors.ts → src/core/pipeline/request.ts',
      'src/core/pacing/pacing.ts → src/core/transport/transport.ts',
    ]);
  });
});
