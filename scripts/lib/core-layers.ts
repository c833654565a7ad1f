/**
 * The layers of src/core, bottom first (src/core/README.md draws them). A module imports only from layers below
 * its own and from its own folder; folders that share a layer (transport, pacing, validation) do not import one
 * another. Checked by test/spec/import-graph.test.ts and `npm run imports`.
 */
export const CORE_LAYERS: readonly (readonly string[])[] = [
  ['types'],
  ['base'],
  ['transport', 'pacing', 'validation'],
  ['config'],
  ['pipeline'],
  ['client'],
];

/** The folder of a src/core module (`pacing` for src/core/pacing/scheduler.ts), or undefined outside src/core. */
export function coreFolder(file: string): string | undefined {
  const match = /^src\/core\/([^/]+)\//.exec(file);
  return match?.[1];
}

/** A module's layer (0 at the bottom); -1 for a file in src/core outside every folder; undefined outside src/core. */
export function coreLayer(file: string): number | undefined {
  if (!file.startsWith('src/core/')) return undefined;
  const folder = coreFolder(file);
  return folder === undefined ? -1 : CORE_LAYERS.findIndex((layer) => layer.includes(folder));
}

/** Two modules of one layer may import each other only within one folder. */
export const sameCoreLayer = (from: string, to: string): boolean => coreFolder(from) === coreFolder(to);
