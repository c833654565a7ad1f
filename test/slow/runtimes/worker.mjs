// Entry point for workerd (bundled by esbuild as wrangler does). `workerd test` calls the test handler, which prints
// one RUNTIME_RESULT line through console.log; Miniflare dispatches a fetch, answered with the same results as JSON,
// plus one call under validate: 'strict' (the response validators load lazily, by the import() Miniflare must list).
// The emulator URL is a text binding.
import { OpenAIAdmin } from 'openai-admin';
import { runScenario } from './scenario.mjs';

async function strictValidation(baseURL) {
  try {
    const admin = new OpenAIAdmin({
      apiKey: 'sk-admin-runtime-suite',
      baseURL,
      organization: null,
      project: null,
      maxRetries: 0,
      validate: 'strict',
    });
    const page = await admin.projects.list({ limit: 1 });
    return { ok: page.data.length === 1, detail: `validated ${page.data[0]?.id}` };
  } catch (e) {
    return { ok: false, detail: `${e?.name}: ${String(e?.message).slice(0, 300)}` };
  }
}

export default {
  async test(_controller, env) {
    const results = await runScenario(env.API_URL);
    console.log(`RUNTIME_RESULT ${JSON.stringify(results)}`);
  },
  async fetch(_request, env) {
    const results = await runScenario(env.API_URL);
    results['strict validation'] = await strictValidation(env.API_URL);
    return Response.json(results);
  },
};
