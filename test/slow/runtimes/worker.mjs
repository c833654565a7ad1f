// Entry point for workerd (bundled by esbuild as wrangler does): `workerd test` calls the test handler; the
// emulator URL is a text binding. Prints one RUNTIME_RESULT line through console.log.
import { runScenario } from './scenario.mjs';

export default {
  async test(_controller, env) {
    const results = await runScenario(env.API_URL);
    console.log(`RUNTIME_RESULT ${JSON.stringify(results)}`);
  },
};
