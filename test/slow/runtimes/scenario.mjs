// The runtime scenario: what a user's first script does with the published package, in any fetch runtime.
// Plain ESM with no runtime-specific API, so Node, Bun, Deno and a workerd worker (bundled) run the same code.
// Every step records { ok, detail } and the scenario never throws: a failed step shows in the suite's table.
import { OpenAIAdmin, NotFoundError } from 'openai-admin';

const KEY = 'sk-admin-runtime-suite';

function describe(e) {
  return e && typeof e === 'object' ? `${e.name}: ${String(e.message).slice(0, 300)}` : String(e);
}

/**
 * Runs each step against the emulator at `baseURL`; returns { step: { ok, detail } }. In a browser page the key
 * is null: the proxy in front of the API adds it (the set-up the README recommends).
 */
export async function runScenario(baseURL, { apiKey = KEY } = {}) {
  const results = {};
  const step = async (name, fn) => {
    try {
      const { ok, detail } = await fn();
      results[name] = { ok: ok === true, detail };
    } catch (e) {
      results[name] = { ok: false, detail: describe(e) };
    }
  };
  let admin;
  // Every option the client reads from the environment is passed, so no environment access is needed.
  await step('construct', async () => {
    admin = new OpenAIAdmin({ apiKey, baseURL, organization: null, project: null, maxRetries: 0, timeout: 15_000 });
    return { ok: typeof admin.projects.list === 'function', detail: 'constructed' };
  });
  if (!admin) return results;
  let ids = [];
  await step('paginate', async () => {
    for await (const p of admin.projects.list({ limit: 1 })) {
      ids.push(p.id);
      if (ids.length === 3) break;
    }
    return {
      ok: ids.length === 3 && new Set(ids).size === 3,
      detail: `${ids.length} projects over ${ids.length} pages of 1`,
    };
  });
  await step('retrieve', async () => {
    const id = ids[0] ?? 'proj_unknown';
    const { data, requestID } = await admin.projects.retrieve(id).withResponse();
    return {
      ok: data.id === id && typeof data.name === 'string' && /^req_/.test(requestID ?? ''),
      detail: `${data.id} (${requestID})`,
    };
  });
  await step('usage rows', async () => {
    const start_time = Math.floor(Date.now() / 1000) - 3 * 86_400;
    const rows = [];
    for await (const row of admin.usage.completions({ start_time, bucket_width: '1d' }).rows()) {
      rows.push(row);
      if (rows.length === 5) break;
    }
    const ok =
      rows.length > 0 && rows.every((r) => typeof r.input_tokens === 'number' && typeof r.start_time === 'number');
    return { ok, detail: `${rows.length} rows, ${rows.reduce((n, r) => n + r.input_tokens, 0)} input tokens` };
  });
  await step('404 requestID', async () => {
    try {
      await admin.projects.retrieve('proj_runtime_missing');
      return { ok: false, detail: 'no error' };
    } catch (e) {
      const ok =
        e instanceof NotFoundError &&
        e.status === 404 &&
        /^req_/.test(e.requestID ?? '') &&
        !String(e.message).includes(KEY);
      return { ok, detail: `${e.name} ${e.status} ${e.requestID}` };
    }
  });
  await step('create', async () => {
    const created = await admin.projects.create({ name: `Runtime suite ${Date.now()}` });
    const back = await admin.projects.retrieve(created.id);
    return { ok: /^proj_/.test(created.id) && back.id === created.id, detail: created.id };
  });
  return results;
}
