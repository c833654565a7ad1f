// Entry point for Node, Bun and Deno: the emulator URL comes as the first argument; prints one RUNTIME_RESULT line.
import { runScenario } from './scenario.mjs';

const url = globalThis.Deno ? globalThis.Deno.args[0] : globalThis.process.argv[2];
const results = await runScenario(url);
console.log(`RUNTIME_RESULT ${JSON.stringify(results)}`);
