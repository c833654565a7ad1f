/**
 * Browser bundle sizes (esbuild, minified, gzip -9) in two modes:
 * - with code splitting, so that what a page downloads up front (the entry chunk plus chunks it imports
 *   statically) is reported apart from chunks loaded by dynamic import() (request checks, the scrub, messages);
 *   every lazy chunk is listed with the inputs it carries;
 * - as a single file (no splitting: every dynamic import() is inlined), as many apps ship a library.
 * `npx tsx bench/bundle.ts` prints the JSON; `npm run bench -- --only bundle` the table and targets.
 */
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = join(import.meta.dirname, '..');

export interface ChunkInfo {
  file: string;
  minBytes: number;
  gzipBytes: number;
  /** Largest inputs by bytes in this chunk. */
  inputs: string[];
}
export interface BundleResult {
  name: string;
  description: string;
  initial: { minBytes: number; gzipBytes: number; chunks: ChunkInfo[] };
  lazy: { minBytes: number; gzipBytes: number; chunks: ChunkInfo[] };
  validatorsInInitial: boolean;
  validatorsInLazy: string[];
  /** The same entry bundled without code splitting. */
  singleFile: SingleFileResult;
}
export interface SingleFileResult {
  minBytes: number;
  gzipBytes: number;
  /** Whether the request checks (generated/validators/requests.gen.ts) / the response validators are inside. */
  requestValidation: boolean;
  responseValidators: boolean;
  /** Largest inputs by bytes. */
  inputs: string[];
}

export const ENTRIES: Record<string, { description: string; code: string }> = {
  'one-operation': {
    description: 'the client core + one operation row (ClientCore + retrieveProject), no resource tree',
    code: `import { ClientCore } from '../../../src/core/client/client-core.js';
import { retrieveProject } from '../../../generated/operations.gen.js';
const core = new ClientCore({ apiKey: null, baseURL: 'https://proxy.example/v1' });
export const get = (id: string) => core._call(retrieveProject, { path: { project_id: id } });
`,
  },
  'one-operation-generated': {
    description: "openai-admin/generated: hey-api's retrieveProject function (no retries, no validation)",
    code: `import { retrieveProject } from '../../../generated/client/index.js';
export const get = (id: string) => retrieveProject({ path: { project_id: id } });
`,
  },
  'full-client': {
    description: 'new OpenAIAdmin() with the whole resource tree, used through admin.projects',
    code: `import { OpenAIAdmin } from '../../../src/index.js';
export const admin = new OpenAIAdmin({ apiKey: null, baseURL: 'https://proxy.example/v1' });
export const get = (id: string) => admin.projects.retrieve(id);
export const list = () => admin.projects.list();
`,
  },
  'list-projects': {
    description: 'new OpenAIAdmin() and admin.projects.list() (the single-file case of issue 12)',
    code: `import { OpenAIAdmin } from '../../../src/index.js';
export const admin = new OpenAIAdmin({ apiKey: null, baseURL: 'https://proxy.example/v1' });
export const list = () => admin.projects.list();
`,
  },
  'list-projects-response-validation': {
    description:
      "as list-projects, with validate: 'strict' and the response validators imported (openai-admin/response-validators)",
    code: `import { OpenAIAdmin } from '../../../src/index.js';
import * as responseValidators from '../../../generated/validators/responses.gen.js';
export const admin = new OpenAIAdmin({ apiKey: null, baseURL: 'https://proxy.example/v1', validate: 'strict', responseValidators });
export const list = () => admin.projects.list();
`,
  },
  'openai-package': {
    description:
      'for comparison: new OpenAI() from the openai package, used through client.admin.organization.projects',
    code: `import OpenAI from 'openai';
export const client = new OpenAI({ adminAPIKey: 'x', apiKey: null, dangerouslyAllowBrowser: true, baseURL: 'https://proxy.example/v1' });
export const get = (id: string) => client.admin.organization.projects.retrieve(id);
export const list = () => client.admin.organization.projects.list();
`,
  },
};

/**
 * What package.json's "browser" map does to a user's bundle of dist/ (node-transport and the response-validators
 * loader become an empty ES module), done here for these bundles of the sources: the map's own entries for the
 * sources are `false` (a published package may name only files it ships), which a bundler makes a CommonJS module.
 */
const asPublished: Plugin = {
  name: 'browser-map-as-published',
  setup(b) {
    b.onResolve({ filter: /\/(node-transport|response-validators)\.js$/ }, () => ({
      path: join(root, 'src', 'core', 'base', 'browser-empty.ts'),
    }));
  },
};

const gz = (buf: Buffer) => gzipSync(buf, { level: 9 }).length;

export async function measureBundles(buildDir: string): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const [name, { description, code }] of Object.entries(ENTRIES)) {
    const dir = join(buildDir, 'bundles', name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'src'), { recursive: true });
    const entry = join(dir, 'src', 'entry.ts');
    // The entry sits three levels below the repo root: bench/.build/bundles/<name>/src/entry.ts → ../../../ is bench/.
    writeFileSync(entry, code.replaceAll('../../../', relative(join(dir, 'src'), root) + '/'));
    const options: BuildOptions = {
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
      plugins: [asPublished],
    };
    const result = await build({ ...options, splitting: true, outdir: join(dir, 'out') });
    const single = await build({ ...options, splitting: false, outdir: join(dir, 'single') });
    results.push({
      ...summarize(name, description, result.metafile!, root),
      singleFile: summarizeSingle(single.metafile!, root),
    });
  }
  return results;
}

const shortInput = ([k, v]: [string, { bytesInOutput: number }]) =>
  `${k.replace(/^.*?(src|generated|node_modules)\//, '$1/')} (${v.bytesInOutput} B)`;

function summarizeSingle(meta: Metafile, cwd: string): SingleFileResult {
  const file = Object.keys(meta.outputs).find((k) => k.endsWith('.js'))!;
  const buf = readFileSync(join(cwd, file));
  const inputs = Object.entries(meta.outputs[file].inputs).filter(([, v]) => v.bytesInOutput > 0);
  return {
    minBytes: buf.length,
    gzipBytes: gz(buf),
    requestValidation: inputs.some(([k]) => k.endsWith('generated/validators/requests.gen.ts')),
    responseValidators: inputs.some(([k]) => k.endsWith('generated/validators/responses.gen.ts')),
    inputs: inputs
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, 8)
      .map(shortInput),
  };
}

function summarize(name: string, description: string, meta: Metafile, cwd: string): Omit<BundleResult, 'singleFile'> {
  const outputs = meta.outputs;
  // Every dynamically imported module is an entry point of its own for esbuild: pick the real entry.
  const entryOut = Object.keys(outputs).find((k) => outputs[k].entryPoint?.endsWith('/entry.ts'))!;
  const initialFiles = new Set<string>();
  const visit = (file: string) => {
    if (initialFiles.has(file)) return;
    initialFiles.add(file);
    for (const imp of outputs[file].imports) if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  visit(entryOut);
  const info = (file: string): ChunkInfo => {
    const buf = readFileSync(join(cwd, file));
    const inputs = Object.entries(outputs[file].inputs)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([k, v]) => `${k.replace(/^.*?(src|generated|node_modules)\//, '$1/')} (${v.bytesInOutput} B)`);
    return { file: file.split('/').pop()!, minBytes: buf.length, gzipBytes: gz(buf), inputs: inputs.slice(0, 6) };
  };
  const js = Object.keys(outputs).filter((f) => f.endsWith('.js'));
  const initial = js.filter((f) => initialFiles.has(f)).map(info);
  const lazy = js.filter((f) => !initialFiles.has(f)).map(info);
  const sum = (cs: ChunkInfo[], k: 'minBytes' | 'gzipBytes') => cs.reduce((a, c) => a + c[k], 0);
  const isValidator = (f: string) => Object.keys(outputs[f].inputs).some((i) => i.includes('generated/validators/'));
  return {
    name,
    description,
    initial: { minBytes: sum(initial, 'minBytes'), gzipBytes: sum(initial, 'gzipBytes'), chunks: initial },
    lazy: { minBytes: sum(lazy, 'minBytes'), gzipBytes: sum(lazy, 'gzipBytes'), chunks: lazy },
    validatorsInInitial: js.filter((f) => initialFiles.has(f)).some(isValidator),
    validatorsInLazy: js
      .filter((f) => !initialFiles.has(f) && isValidator(f))
      .flatMap((f) =>
        Object.keys(outputs[f].inputs)
          .filter((i) => i.includes('generated/validators/'))
          .map((i) => `${i.split('/').pop()} → ${f.split('/').pop()}`),
      ),
  };
}

if (process.argv[1]?.endsWith('bundle.ts')) {
  const res = await measureBundles(join(root, 'bench', '.build'));
  console.log(JSON.stringify(res, null, 2));
}
