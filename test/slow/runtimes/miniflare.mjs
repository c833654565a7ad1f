// Loads the bundled worker through Miniflare's documented API, `new Miniflare({ modules: true, scriptPath })`, and
// dispatches one fetch to it. Usage: node miniflare.mjs <miniflare module path> <worker bundle> <emulator URL>.
// Prints one RUNTIME_RESULT line: the worker's results, or, when Miniflare refuses the worker before running it
// (ERR_MODULE_DYNAMIC_SPEC for a computed import() in the bundle), a 'load' step with the error.
import { pathToFileURL } from 'node:url';

const [modulePath, scriptPath, apiURL] = process.argv.slice(2);
const { Miniflare } = await import(pathToFileURL(modulePath).href);
let results;
let mf;
try {
  mf = new Miniflare({
    modules: true,
    scriptPath,
    compatibilityDate: '2025-09-01',
    bindings: { API_URL: apiURL },
  });
  const response = await mf.dispatchFetch('http://worker.invalid/');
  const text = await response.text();
  try {
    results = JSON.parse(text);
  } catch {
    results = { load: { ok: false, detail: `worker answered ${response.status}: ${text.slice(0, 500)}` } };
  }
} catch (e) {
  results = { load: { ok: false, detail: `${e?.code ?? e?.name}: ${String(e?.message).slice(0, 500)}` } };
} finally {
  await mf?.dispose().catch(() => {});
}
console.log(`RUNTIME_RESULT ${JSON.stringify(results)}`);
