/**
 * Org as code costs nothing to those who do not use it: the core client's bundle holds none of src/org/ nor the
 * YAML parser, and the CLI loads both only when export, plan or apply runs (a dynamic import, its own chunk).
 */
import { build, type Metafile } from 'esbuild';
import { join } from 'node:path';
import { ROOT } from '../support/paths';

/** The inputs of the entry chunk and every chunk it imports statically (what loads up front). */
function initialInputs(meta: Metafile): string[] {
  const entry = Object.keys(meta.outputs).find((file) => meta.outputs[file].entryPoint !== undefined)!;
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    // External imports (node:fs, …) are no chunk of ours.
    for (const imported of meta.outputs[file].imports)
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry);
  return [...seen].flatMap((file) => Object.keys(meta.outputs[file].inputs));
}

async function bundle(entry: string, platform: 'node' | 'browser') {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform,
    write: false,
    outdir: join(ROOT, 'out-not-written'),
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
}

const isOrg = (input: string) => /(^|\/)src\/org\/|node_modules\/yaml\//.test(input);

test('the core client bundle has no org-as-code code and no YAML parser, not even lazily', async () => {
  const meta = await bundle('src/index.ts', 'browser');
  expect(Object.keys(meta.inputs).filter(isOrg)).toEqual([]);
});

test('the CLI loads org as code and the YAML parser only in the chunk of export/plan/apply', async () => {
  const meta = await bundle('src/cli/bin.ts', 'node');
  const everything = Object.keys(meta.inputs);
  expect(everything.filter(isOrg).length).toBeGreaterThan(0);
  expect(initialInputs(meta).filter(isOrg)).toEqual([]);
});
