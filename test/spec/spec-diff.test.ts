import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { diffSpecs, renderReport, renderSummary, type Difference } from '../../scripts/lib/spec-diff-core';
import { operations, type Spec } from '../../scripts/lib/spec';
import { ROOT, UPSTREAM_FILE, curatedSpec, upstreamSpec } from '../support/paths';

/** A tiny admin spec: list projects (with a limit and an order enum) and retrieve a project. */
function baseSpec(): Spec {
  return {
    openapi: '3.1.0',
    paths: {
      '/organization/projects': {
        get: {
          operationId: 'list-projects',
          parameters: [
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: 20 } },
            { name: 'order', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'] } },
          ],
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/ProjectList' } } } },
          },
        },
      },
      '/organization/projects/{project_id}': {
        get: {
          operationId: 'retrieve-project',
          parameters: [{ name: 'project_id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Project' } } } },
          },
        },
      },
      '/chat/completions': { post: { operationId: 'createChatCompletion', responses: { '200': {} } } },
    },
    components: {
      schemas: {
        ProjectList: {
          type: 'object',
          properties: {
            data: { type: 'array', items: { $ref: '#/components/schemas/Project' } },
            last_id: { anyOf: [{ type: 'string' }, { type: 'null' }] },
          },
          required: ['data'],
        },
        Project: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: { type: 'string', enum: ['active', 'archived'] },
            parent: { $ref: '#/components/schemas/Project' }, // a cycle
          },
          required: ['id', 'status'],
        },
      },
    },
  };
}

const clone = () => structuredClone(baseSpec());
const only = (diffs: Difference[]) =>
  diffs.map((d) => ({
    operation: d.operation,
    area: d.area,
    change: d.change,
    subject: d.subject,
    classification: d.classification,
  }));

describe('diffSpecs on small inline specs', () => {
  it('finds nothing between identical specs, ignores non-admin paths and survives a $ref cycle', () => {
    const result = diffSpecs(baseSpec(), clone());
    expect(result.differences).toEqual([]);
    expect(result.upstreamOperations).toBe(2);
    expect(result.unexplained).toBe(0);
  });

  it('reports an operation added upstream as unexplained', () => {
    const upstream = clone();
    upstream.paths['/organization/projects'].post = { operationId: 'create-project', responses: { '200': {} } };
    const result = diffSpecs(upstream, baseSpec());
    expect(only(result.differences)).toEqual([
      {
        operation: 'POST /organization/projects',
        area: 'operation',
        change: 'added',
        subject: 'create-project',
        classification: 'unexplained',
      },
    ]);
    expect(result.unexplained).toBe(1);
  });

  it('reports an operation missing upstream as removed', () => {
    const upstream = clone();
    delete upstream.paths['/organization/projects/{project_id}'];
    expect(only(diffSpecs(upstream, baseSpec()).differences)).toEqual([
      {
        operation: 'GET /organization/projects/{project_id}',
        area: 'operation',
        change: 'removed',
        subject: 'retrieve-project',
        classification: 'unexplained',
      },
    ]);
  });

  it('reports a changed parameter (constraint, required-ness) and an enum change with the values', () => {
    const curated = clone();
    const [limit, order] = curated.paths['/organization/projects'].get.parameters!;
    limit.schema = { ...limit.schema, minimum: 1, maximum: 100 };
    limit.required = true;
    order.schema!.enum = ['asc'];
    const diffs = diffSpecs(baseSpec(), curated).differences;
    expect(diffs).toHaveLength(3);
    expect(diffs.find((d) => d.subject === 'query limit' && /required/.test(d.detail))?.detail).toBe(
      'required: upstream optional, curated required',
    );
    expect(diffs.find((d) => d.subject === 'query limit' && /maximum/.test(d.detail))?.detail).toBe(
      'maximum: upstream (none), curated 100; minimum: upstream (none), curated 1',
    );
    expect(diffs.find((d) => d.subject === 'query order')?.detail).toBe('enum values only upstream: desc');
    expect(diffs.every((d) => d.area === 'parameter' && d.classification === 'unexplained')).toBe(true);
  });

  it('reports parameters added and removed', () => {
    const curated = clone();
    curated.paths['/organization/projects'].get.parameters = [
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: 20 } },
      { name: 'page', in: 'query', schema: { type: 'string' } },
    ];
    const diffs = only(diffSpecs(baseSpec(), curated).differences);
    expect(diffs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ area: 'parameter', change: 'added', subject: 'query order' }),
        expect.objectContaining({ area: 'parameter', change: 'removed', subject: 'query page' }),
      ]),
    );
    expect(diffs).toHaveLength(2);
  });

  it('follows $ref into response properties: null-ness, enum values, required-ness, added and removed properties', () => {
    const upstream = clone();
    const curated = clone();
    upstream.components.schemas.Project.properties.name = { type: 'string' };
    curated.components.schemas.Project.properties.id = { type: ['string', 'null'] };
    curated.components.schemas.Project.properties.status.enum.push('deleted');
    curated.components.schemas.Project.properties.created_at = { type: 'integer' };
    curated.components.schemas.Project.required = ['id'];
    const diffs = diffSpecs(upstream, curated).differences.filter(
      (d) => d.operation === 'GET /organization/projects/{project_id}',
    );
    const lines = diffs.map((d) => `${d.change} ${d.subject}: ${d.detail}`).sort();
    expect(lines).toEqual([
      'added 200 name: upstream has name (string), openapi.yaml does not',
      'changed 200 id: type: upstream string, curated null|string',
      'changed 200 status: enum values only curated: deleted',
      'changed 200 status: required: upstream required, curated optional',
      'removed 200 created_at: openapi.yaml has created_at (integer), upstream does not',
    ]);
    // The same component is reached through the list's items.
    const list = diffSpecs(upstream, curated).differences.filter((d) => d.operation === 'GET /organization/projects');
    expect(list.map((d) => d.subject)).toContain('200 data[].status');
  });

  it('treats OpenAPI 3.0 nullable as null-ness, and an anyOf with a free string as an opened enum', () => {
    const upstream = clone();
    const curated = clone();
    upstream.paths['/organization/projects'].get.parameters![1].schema!.nullable = true;
    curated.components.schemas.Project.properties.status = {
      anyOf: [{ type: 'string', enum: ['active', 'archived'] }, { type: 'string' }],
    };
    const details = diffSpecs(upstream, curated).differences.map((d) => `${d.subject}: ${d.detail}`);
    expect(details).toContain('query order: type: upstream null|string, curated string');
    expect(details).toContain('200 status: enum opened: curated also accepts any string');
  });

  it('reports status codes, operationId renames and request-body properties', () => {
    const upstream = clone();
    const curated = clone();
    upstream.paths['/organization/projects'].post = {
      operationId: 'createProject',
      requestBody: {
        content: {
          'application/json': {
            schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          },
        },
      },
      responses: { '200': {} },
    };
    curated.paths['/organization/projects'].post = {
      operationId: 'create-project',
      requestBody: {
        content: {
          'application/json': { schema: { type: 'object', properties: { name: { type: 'string', maxLength: 64 } } } },
        },
      },
      responses: { '200': {}, '201': {} },
    };
    const lines = diffSpecs(upstream, curated)
      .differences.map((d) => `${d.area} ${d.change} ${d.subject}: ${d.detail}`)
      .sort();
    expect(lines).toEqual([
      'operationId changed operationId: renamed: upstream createProject, curated create-project',
      'requestBody changed body name: maxLength: upstream (none), curated 64',
      'requestBody changed body name: required: upstream required, curated optional',
      'status removed 201: openapi.yaml declares response 201, upstream does not',
    ]);
  });

  describe('classification', () => {
    it('documents a difference by a note on the node itself, on the parameter, or on the $ref’d component', () => {
      const curated = clone();
      const [limit, order] = curated.paths['/organization/projects'].get.parameters!;
      limit.schema = { ...limit.schema, maximum: 100, 'x-curation': 'bounds from the description' };
      order.schema!.enum = ['asc'];
      order['x-curation'] = ['desc dropped'];
      curated.components.schemas.Project['x-curation'] = 'status may be omitted';
      curated.components.schemas.Project.required = ['id'];
      const result = diffSpecs(baseSpec(), curated);
      expect(result.differences.length).toBeGreaterThanOrEqual(4);
      expect(result.differences.filter((d) => d.classification === 'unexplained')).toEqual([]);
      const limitDiff = result.differences.find((d) => d.subject === 'query limit')!;
      expect(limitDiff.notes).toEqual([
        { pointer: '/paths/~1organization~1projects/get/parameters/0/schema', note: 'bounds from the description' },
      ]);
      expect(result.differences.find((d) => d.subject === '200 status')?.notes[0].pointer).toBe(
        '/components/schemas/Project',
      );
    });

    it('leaves a difference unexplained when the note sits elsewhere', () => {
      const curated = clone();
      curated.components.schemas.ProjectList['x-curation'] = 'unrelated note';
      curated.components.schemas.Project.properties.id = { type: ['string', 'null'] };
      const result = diffSpecs(baseSpec(), curated);
      const retrieve = result.differences.find((d) => d.operation === 'GET /organization/projects/{project_id}');
      expect(retrieve).toMatchObject({
        subject: '200 id',
        classification: 'unexplained',
        pointer: '/components/schemas/Project/properties/id',
      });
    });

    it('does not let an operation-level note (e.g. a rename) document schema differences inside the operation', () => {
      const curated = clone();
      const op = curated.paths['/organization/projects/{project_id}'].get;
      op.operationId = 'get-project';
      op['x-curation'] = 'operationId renamed';
      curated.components.schemas.Project.properties.id = { type: ['string', 'null'] };
      const retrieve = diffSpecs(baseSpec(), curated).differences.filter(
        (d) => d.operation === 'GET /organization/projects/{project_id}',
      );
      expect(retrieve.map((d) => [d.area, d.classification])).toEqual([
        ['operationId', 'documented'],
        ['response', 'unexplained'],
      ]);
    });

    it('ignores notes on the document root', () => {
      const curated = clone() as Spec & { 'x-curation'?: string };
      curated['x-curation'] = 'kept only the admin paths';
      curated.components.schemas.Project.properties.id = { type: 'integer' };
      expect(diffSpecs(baseSpec(), curated).unexplained).toBeGreaterThan(0);
    });
  });

  it('renders the full report grouped by operation with the totals', () => {
    const curated = clone();
    curated.components.schemas.Project.properties.id = { type: ['string', 'null'] };
    const report = renderReport(diffSpecs(baseSpec(), curated));
    expect(report).toContain(
      'GET /organization/projects/{project_id}\n  ~ [UNEXPLAINED] response 200 id: type: upstream string, curated null|string',
    );
    expect(report).toMatch(/2 differences: 0 documented, 2 unexplained \(drift\)$/);
  });

  it('renders a summary: counts by kind, the unexplained differences in full, the documented ones only counted', () => {
    const curated = clone();
    curated.components.schemas.Project.properties.id = { type: ['string', 'null'] };
    const [limit] = curated.paths['/organization/projects'].get.parameters!;
    limit.schema = { ...limit.schema, maximum: 100, 'x-curation': 'bounds from the description' };
    const summary = renderSummary(diffSpecs(baseSpec(), curated));
    expect(summary).toContain('  parameter changed     1 / 0');
    expect(summary).toContain('  response changed      0 / 2');
    expect(summary).toContain(
      'unexplained (no x-curation note):\nGET /organization/projects\n  ~ [UNEXPLAINED] response 200 data[].id',
    );
    expect(summary).not.toContain('query limit');
    expect(summary).toContain('3 differences: 1 documented, 2 unexplained (drift)');
    expect(summary).toContain('--full');
  });
});

describe('openapi.yaml against the vendored upstream admin subset', () => {
  const result = diffSpecs(upstreamSpec(), curatedSpec());

  it('matches every admin operation of the curated spec', () => {
    const curatedCount = [...operations(curatedSpec())].length;
    expect(curatedCount).toBeGreaterThan(0);
    expect(result.upstreamOperations).toBe(curatedCount);
    expect(result.curatedOperations).toBe(curatedCount);
  });

  it('has no unexplained difference', () => {
    expect(result.differences.filter((d) => d.classification === 'unexplained')).toEqual([]);
  });

  it('shows the documented curations', () => {
    expect(result.documented).toBeGreaterThan(0);
    const details = result.differences.map((d) => `${d.operation} ${d.subject}: ${d.detail}`);
    expect(details).toContain('POST /organization/projects 201: openapi.yaml declares response 201, upstream does not');
    expect(details).toContain(
      'GET /organization/usage/completions 200 data[].results[]: discriminator: upstream object, curated (none)',
    );
    expect(details).toContain(
      'GET /organization/projects/{project_id}/spend_limit operationId: renamed: upstream Getprojectspendlimit, curated retrieve-project-spend-limit',
    );
  });
});

describe('the spec:diff command', () => {
  const run = (args: string[]) => {
    try {
      return {
        status: 0,
        stdout: execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'spec-diff.ts'), ...args], {
          encoding: 'utf8',
          stdio: 'pipe',
        }),
      };
    } catch (err) {
      const e = err as { status: number; stdout: string; stderr: string };
      return { status: e.status, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('exits 0 with --json against the vendored upstream file (curated default: ./openapi.yaml)', () => {
    const { status, stdout } = run([UPSTREAM_FILE, '--json']);
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({
      upstreamOperations: [...operations(curatedSpec())].length,
      unexplained: 0,
      drift: false,
    });
    expect(json.documented).toBe(json.differences.length);
  });

  it('exits 1 on drift, and counts the x-sync-todo left in the curated spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spec-diff-'));
    const drifted = clone();
    drifted.components.schemas.Project.properties.id = { type: 'integer', 'x-sync-todo': ['upstream differs'] };
    writeFileSync(join(dir, 'upstream.yaml'), stringify(baseSpec()));
    writeFileSync(join(dir, 'curated.yaml'), stringify(drifted));
    const { status, stdout } = run([join(dir, 'upstream.yaml'), '--curated', join(dir, 'curated.yaml')]);
    expect(status).toBe(1);
    expect(stdout).toContain('UNEXPLAINED');
    expect(stdout).toContain('1 x-sync-todo left by spec:sync');
  });

  it('compares the vendored upstream subset when given no file', () => {
    const { status, stdout } = run(['--json']);
    expect(status).toBe(0);
    // Counted from the files, not written down: adding an operation (CONTRIBUTING.md) touches no count in a test.
    expect(JSON.parse(stdout)).toMatchObject({
      upstreamOperations: [...operations(upstreamSpec())].length,
      curatedOperations: [...operations(curatedSpec())].length,
      unexplained: 0,
    });
  });

  it('prints the summary by default and every difference with --full', () => {
    const short = run([UPSTREAM_FILE]);
    const full = run([UPSTREAM_FILE, '--full']);
    expect(short.status).toBe(0);
    expect(full.status).toBe(0);
    expect(short.stdout).toMatch(/operationId changed +\d+ \/ 0/);
    expect(short.stdout).not.toContain('[documented]');
    expect(full.stdout).toContain(
      '[documented] operationId: renamed: upstream admin-api-keys-list, curated list-admin-api-keys',
    );
    const totals = (out: string) => out.split('\n').find((l) => l.includes('differences:'));
    expect(totals(short.stdout)).toBe(totals(full.stdout));
  });

  it('exits 2 on usage errors', () => {
    expect(run([UPSTREAM_FILE, UPSTREAM_FILE]).status).toBe(2);
    expect(run([UPSTREAM_FILE, '--frobnicate']).status).toBe(2);
    expect(run([join(ROOT, 'no-such-file.yaml')]).status).toBe(2);
  });
});
