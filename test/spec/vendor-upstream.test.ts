/**
 * The vendored upstream admin subset (scripts/upstream/openai-openapi.admin.yaml) and the script that makes it
 * (`npm run spec:vendor`): only admin paths, every component they reach and nothing else, deterministic output,
 * provenance in the header.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { adminSubset, isAdminSubsetPath } from '../../scripts/lib/admin-subset';
import { operations } from '../../scripts/lib/spec';
import { ROOT, UPSTREAM_FILE, upstreamSpec } from '../support/paths';

describe('the vendored file', () => {
  const text = readFileSync(UPSTREAM_FILE, 'utf8');

  it('records its source, commit, date and input hash in the header', () => {
    expect(text).toMatch(/^# Source: https:\/\/github\.com\/openai\/openai-openapi/m);
    expect(text).toMatch(/^# Commit: [0-9a-f]{40}$/m);
    expect(text).toMatch(/^# Date: \d{4}-\d{2}-\d{2}$/m);
    expect(text).toMatch(/^# Input SHA-256: [0-9a-f]{64}$/m);
  });

  it('holds the admin operations its header counts and nothing outside /organization and /projects', () => {
    const spec = upstreamSpec();
    // The count comes from the header spec:vendor wrote, so a refresh that adds an operation touches no test.
    const counted = Number(/^# Contents: (\d+) operations /m.exec(text)?.[1]);
    expect(counted).toBeGreaterThan(0);
    expect([...operations(spec)]).toHaveLength(counted);
    expect(Object.keys(spec.paths).filter((p) => !isAdminSubsetPath(p))).toEqual([]);
  });

  it('is closed under $ref: cutting the subset again keeps every component and resolves every reference', () => {
    const spec = upstreamSpec();
    const again = adminSubset(structuredClone(spec)); // throws on a dangling $ref
    expect(Object.keys(again.components.schemas)).toEqual(Object.keys(spec.components.schemas));
    expect(again.paths).toEqual(spec.paths);
  });
});

describe('npm run spec:vendor', () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const full = {
    openapi: '3.1.0',
    info: { title: 'OpenAI API', version: '9.9.9' },
    servers: [{ url: 'https://api.openai.com/v1' }],
    security: [{ ApiKeyAuth: [] }],
    tags: [{ name: 'Projects' }, { name: 'Chat' }],
    paths: {
      '/chat/completions': {
        post: {
          operationId: 'createChat',
          tags: ['Chat'],
          responses: { 200: { content: { 'application/json': { schema: ref('Chat') } } } },
        },
      },
      '/organizations/elsewhere': { get: { operationId: 'notAdmin', responses: { 200: { description: 'x' } } } },
      '/projects/{id}': {
        get: {
          operationId: 'getProject',
          tags: ['Projects'],
          responses: { 200: { content: { 'application/json': { schema: ref('Project') } } } },
        },
      },
      '/organization/users': {
        get: { operationId: 'listUsers', responses: { 400: { $ref: '#/components/responses/Bad' } } },
      },
    },
    webhooks: { ping: {} },
    components: {
      schemas: {
        Zeta: { type: 'string' },
        Project: { type: 'object', properties: { owner: ref('User') } },
        User: { type: 'object', properties: { self: ref('User') } },
        Chat: { type: 'object' },
      },
      responses: { Bad: { description: 'bad', content: { 'application/json': { schema: ref('Zeta') } } } },
      securitySchemes: { ApiKeyAuth: { type: 'http', scheme: 'bearer' } },
    },
    'x-oaiMeta': { groups: [] },
  };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spec-vendor-'));
    writeFileSync(join(dir, 'full.yaml'), stringify(full));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const vendor = (out: string) =>
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'scripts', 'vendor-upstream.ts'),
        join(dir, 'full.yaml'),
        '--commit',
        'abc1234',
        '--date',
        '2026-01-02',
        '--out',
        join(dir, out),
      ],
      { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' },
    );

  it('keeps admin paths and the components they reach (transitively, through cycles), drops the rest', () => {
    vendor('a.yaml');
    const text = readFileSync(join(dir, 'a.yaml'), 'utf8');
    const spec = parse(text);
    expect(Object.keys(spec.paths)).toEqual(['/projects/{id}', '/organization/users']);
    expect(Object.keys(spec.components.schemas)).toEqual(['Project', 'User', 'Zeta']);
    expect(Object.keys(spec.components.responses)).toEqual(['Bad']);
    expect(spec.components.securitySchemes).toEqual(full.components.securitySchemes);
    expect(spec.tags).toEqual([{ name: 'Projects' }]);
    expect(spec.webhooks).toBeUndefined();
    expect(spec['x-oaiMeta']).toBeUndefined();
    expect(text).toMatch(/^# Commit: abc1234$/m);
    expect(text).toMatch(/^# Date: 2026-01-02$/m);
    expect(text).toMatch(/^# Upstream info\.version: 9\.9\.9$/m);
  });

  it('writes the same bytes every time', () => {
    vendor('b.yaml');
    vendor('c.yaml');
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toBe(readFileSync(join(dir, 'b.yaml'), 'utf8'));
  });

  it('refuses a $ref that names nothing', () => {
    const broken = structuredClone(full) as typeof full & { paths: Record<string, unknown> };
    broken.paths['/organization/broken'] = {
      get: {
        operationId: 'broken',
        responses: { 200: { content: { 'application/json': { schema: ref('Missing') } } } },
      },
    };
    expect(() => adminSubset(broken as never)).toThrow('unresolvable $ref #/components/schemas/Missing');
  });
});
