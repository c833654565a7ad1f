/**
 * `npm run imports`: the import cycles of src/ (type imports and import() included) and, under src/core, every
 * import that goes up a layer (src/core/README.md). Exits 1 when there is either; test/spec/import-graph.test.ts
 * holds the code to the same.
 */
import { cycles, importGraph, sourceFiles, upwardImports } from './lib/import-graph.js';
import { coreLayer, sameCoreLayer } from './lib/core-layers.js';

const root = process.cwd();
const graph = importGraph(root, sourceFiles(root, 'src'));
const found = cycles(graph);
const upward = upwardImports(graph, coreLayer, sameCoreLayer);
console.log(`${graph.size} files, ${[...graph.values()].reduce((n, t) => n + t.length, 0)} imports`);
console.log(`${found.length} import cycle(s)${found.length ? ':' : ''}`);
for (const cycle of found) console.log(`  ${cycle.length} files: ${cycle.join(', ')}`);
console.log(`${upward.length} upward import(s) in src/core${upward.length ? ':' : ''}`);
for (const edge of upward) console.log(`  ${edge}`);
process.exitCode = found.length || upward.length ? 1 : 0;
