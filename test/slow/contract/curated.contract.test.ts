/**
 * Contract suite: every operation of openapi.yaml, called through its friendly client method with realistic
 * parameters, against Prism (@stoplight/prism-cli, static mock mode) serving the same spec. Prism validates our
 * request against the spec and generates a response from it; the client validates that response with
 * validate: 'strict'. A test passes when the call succeeds, the status is one the spec lists, and Prism reported
 * no violation (`sl-violations` header absent). Operations are enumerated from the spec, so a new operation without
 * a friendly name or a working call fails here.
 */
import { OpenAIAdmin, type Page } from '../../../src/index';
import { operations } from '../../../generated/operations.gen';
import { FRIENDLY_NAMES } from '../../../src/resources/naming';
import { readFileSync } from 'node:fs';
import { CURATED_FILE, curatedSpec } from '../../support/paths';
import { operations as specOperations } from '../../../scripts/lib/spec';
import { startPrism, type Prism } from '../support/prism';
import { exampleCalls, invoke } from '../../support/example-calls';

const calls = exampleCalls();
/** Prism's static answers always say has_more: true, so paging is bounded (paging itself is proven elsewhere). */
const MAX_PAGES = 2;

let prism: Prism;
let admin: OpenAIAdmin;

beforeAll(async () => {
  prism = await startPrism(CURATED_FILE);
  admin = new OpenAIAdmin({
    apiKey: 'sk-admin-contract-suite',
    baseURL: prism.baseURL,
    validate: 'strict',
    maxRetries: 0,
    logger: { warn: () => {} },
  });
}, 120_000);

afterAll(async () => {
  await prism?.stop();
});

test('the spec, the operations table and the naming table list the same operations', () => {
  expect(calls.length).toBe([...specOperations(curatedSpec())].length);
  expect(calls.map((c) => c.name).sort()).toEqual(Object.keys(operations).sort());
  expect(Object.keys(FRIENDLY_NAMES).sort()).toEqual(Object.keys(operations).sort());
  expect(new Set(Object.values(FRIENDLY_NAMES)).size).toBe(calls.length);
});

test('Prism serves a private copy of openapi.yaml: editing the worktree mid-run does not restart it', () => {
  expect(prism.specFile).not.toBe(CURATED_FILE);
  expect(readFileSync(prism.specFile, 'utf8')).toBe(readFileSync(CURATED_FILE, 'utf8'));
});

function expectClean(response: Response, what: string) {
  const violations = response.headers.get('sl-violations');
  if (violations) throw new Error(`Prism reported violations for ${what}: ${violations}`);
  expect(response.ok).toBe(true);
}

describe.each(calls.map((c) => [`${c.method} ${c.path} → admin.${c.friendly ?? '(no friendly name)'}`, c] as const))(
  '%s',
  (_title, call) => {
    test(`${call.operationId}`, async () => {
      expect(call.friendly).toBeDefined();
      const op = (operations as Record<string, { success: readonly number[] }>)[call.name];
      const { data, response } = await invoke(admin, call, { validate: 'strict' }).withResponse();
      expectClean(response, call.operationId);
      expect(op.success).toContain(response.status);
      if (!call.paginated) {
        expect(data).toBeTruthy();
        return;
      }
      // A list: the first page, then at most MAX_PAGES - 1 more through the client's own cursor handling.
      let page = data as Page<unknown>;
      expect(Array.isArray(page.data)).toBe(true);
      for (let n = 1; n < MAX_PAGES && page.hasNextPage(); n++) {
        page = await page.getNextPage();
        expectClean(page.response, `${call.operationId} page ${n + 1}`);
        expect(Array.isArray(page.data)).toBe(true);
      }
    });
  },
);

describe('the contract checks have teeth', () => {
  test('Prism saw every operation (method and concrete path) and reported no request violation in its log', () => {
    const log = prism.log();
    for (const call of calls) {
      let path = call.path;
      call.ids.forEach((id) => (path = path.replace(/\{\w+\}/, encodeURIComponent(id))));
      expect(log).toContain(`[HTTP SERVER] ${call.method.toLowerCase()} ${path} `);
    }
    expect(log).not.toMatch(/Request did not pass the validation rules/);
    expect(log).not.toMatch(/did not pass the validation rules/);
  });

  test('Prism rejects a request that breaks the spec (raw fetch, bypassing the client): 422', async () => {
    const res = await fetch(`${prism.baseURL}/organization/projects?limit=0`, {
      headers: { authorization: 'Bearer sk-admin-x' },
    });
    expect(res.status).toBe(422);
    await res.text();
  });

  test('the client refuses the same request before sending it (validated against the same spec)', async () => {
    await expect(admin.projects.list({ limit: 0 })).rejects.toThrow(/query\.limit/);
  });
});
