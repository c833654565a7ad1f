/**
 * `npm run call-path`: the hand-written files (src/) whose functions run during one call of a warm client, for
 * `admin.projects.list()` and `admin.projects.create({ name })` (issue 20: at most 7 each). Measured, not read off
 * the imports: V8's precise coverage (node:inspector, call counts) is taken around the second call of each kind
 * against a loopback server in this process, after a first call has loaded the lazy modules. A file counts when at
 * least one of its functions ran; generated/ files (the resource method, the operation rows) are listed apart.
 * `--json` prints { list, create } with { handWritten, generated } each; test/spec/call-path.test.ts runs it.
 */
import { Session } from 'node:inspector/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { OpenAIAdmin } from '../src/index.js';

export interface CallFiles {
  /** src/ files whose functions ran, in the order V8 lists the scripts (load order). */
  handWritten: string[];
  generated: string[];
}

const PROJECT = { object: 'organization.project', name: 'p', created_at: 1, status: 'active' };

/** Files (relative to the repository) with a function that ran during `call`; the scripts' top level is not counted. */
async function filesRunBy(session: Session, root: string, call: () => Promise<unknown>): Promise<CallFiles> {
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  await call();
  const { result } = await session.post('Profiler.takePreciseCoverage');
  await session.post('Profiler.stopPreciseCoverage');
  const ran = result
    .filter((script) => script.url.startsWith('file:'))
    .filter((script) => script.functions.some((fn) => fn.ranges[0].startOffset > 0 && fn.ranges[0].count > 0))
    .map((script) => relative(root, fileURLToPath(script.url)));
  return {
    handWritten: ran.filter((file) => file.startsWith('src/')),
    generated: ran.filter((file) => file.startsWith('generated/')),
  };
}

export async function measureCallPath(): Promise<{ list: CallFiles; create: CallFiles }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  let created = 0;
  const server = createServer((req, res) => {
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const project = { ...PROJECT, id: `proj_${++created}` };
      res.end(
        JSON.stringify(
          req.method === 'POST'
            ? project
            : { object: 'list', data: [project], first_id: project.id, last_id: project.id, has_more: false },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const session = new Session();
  try {
    const { port } = server.address() as AddressInfo;
    const admin = new OpenAIAdmin({ apiKey: 'sk-admin-call-path', baseURL: `http://127.0.0.1:${port}/v1` });
    // Warm: the request checks and the body serialiser load on the first calls (base/lazy.ts).
    await admin.projects.list();
    await admin.projects.create({ name: 'warm-up' });
    session.connect();
    await session.post('Profiler.enable');
    const list = await filesRunBy(session, root, () => admin.projects.list());
    const create = await filesRunBy(session, root, () => admin.projects.create({ name: 'measured' }));
    return { list, create };
  } finally {
    session.disconnect();
    server.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const measured = await measureCallPath();
  if (process.argv.includes('--json')) console.log(JSON.stringify(measured));
  else
    for (const [name, files] of Object.entries(measured)) {
      console.log(`admin.projects.${name}(): ${files.handWritten.length} hand-written files`);
      for (const file of files.handWritten) console.log(`  ${file}`);
      console.log(`  (generated: ${files.generated.join(', ')})`);
    }
}
