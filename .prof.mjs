const { startEmulator } = await import('/tmp/cli3-sb/build/src/testing/index.js');
const emu = await startEmulator({ seed: 'bench' });
const { spawn } = await import('node:child_process');
await new Promise((res) => { const p = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/cli3-sb/prof', '--cpu-prof-interval', '200', process.env.BIN, 'projects', 'list'], { env: { PATH: process.env.PATH, OPENAI_ADMIN_KEY: 'sk-admin-bench', OPENAI_BASE_URL: emu.url }, stdio: 'inherit' }); p.on('exit', res); });
await emu.close();
