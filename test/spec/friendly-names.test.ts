/**
 * The friendly names are data in openapi.yaml (x-friendly-name, x-example, x-resources), checked when
 * `npm run generate` reads them: every problem fails generation and names the operation.
 */
import { className, friendlyOperations, NamingError, resourceTree } from '../../scripts/lib/friendly-names';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildResources,
  resourceTable,
  sourceBaseOf,
  withOperationCount,
  withResourceTable,
} from '../../scripts/lib/resources-gen';
import { operations, type Spec } from '../../scripts/lib/spec';
import { ROOT, curatedSpec } from '../support/paths';

const clone = (): Spec => structuredClone(curatedSpec());
const opAt = (spec: Spec, path: string, method: string) => spec.paths[path][method];
const problemsOf = (spec: Spec) => {
  try {
    buildResources(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(NamingError);
    return (error as Error).message;
  }
  throw new Error('expected the spec to be refused');
};

test('the curated spec names every operation once, each with an example', () => {
  const ops = friendlyOperations(curatedSpec());
  expect(new Set(ops.map((o) => o.friendly)).size).toBe(ops.length);
  for (const o of ops) expect(o.example).toContain(`admin.${o.friendly}(`);
});

test('a missing x-friendly-name fails naming the operation', () => {
  const spec = clone();
  delete opAt(spec, '/organization/projects', 'post')['x-friendly-name'];
  expect(problemsOf(spec)).toMatch(/create-project \(POST \/organization\/projects\): no x-friendly-name/);
});

test('two operations with one name fail, naming both', () => {
  const spec = clone();
  opAt(spec, '/organization/projects', 'post')['x-friendly-name'] = 'projects.list';
  expect(problemsOf(spec)).toMatch(/create-project .*"projects\.list" is already the name of list-projects/);
});

test('an example that does not show the call fails', () => {
  const spec = clone();
  opAt(spec, '/organization/projects', 'get')['x-example'] = 'await admin.projects.retrieve("proj_abc");';
  expect(problemsOf(spec)).toMatch(
    /list-projects .*x-example must show the call \(it should contain "admin\.projects\.list\("\)/,
  );
});

test('a malformed name, a reserved method name and a method used as a resource all fail', () => {
  const spec = clone();
  opAt(spec, '/organization/projects', 'get')['x-friendly-name'] = 'projects..list';
  opAt(spec, '/organization/projects', 'post')['x-friendly-name'] = 'projects.withOptions';
  expect(problemsOf(spec)).toMatch(/list-projects .*not a dotted path/);
  expect(problemsOf(spec)).toMatch(/create-project .*"withOptions" is reserved/);
  const nested = clone();
  opAt(nested, '/organization/projects/{project_id}', 'get')['x-friendly-name'] = 'projects.users';
  opAt(nested, '/organization/projects/{project_id}', 'get')['x-example'] = 'admin.projects.users(';
  expect(problemsOf(nested)).toMatch(/retrieve-project: "projects\.users" is a method, but \S+ uses it as a resource/);
});

test('a resource on the client named like one of its members (rateLimitStats, rateLimits) fails', () => {
  for (const name of ['rateLimitStats', 'rateLimits']) {
    const spec = clone();
    const op = opAt(spec, '/organization/projects', 'get');
    op['x-friendly-name'] = `${name}.list`;
    op['x-example'] = `await admin.${name}.list();`;
    (spec['x-resources'] as Record<string, string>)[name] = 'A resource that would hide the counters.';
    expect(problemsOf(spec)).toContain(`resource "${name}": the name is reserved on the client`);
  }
});

test('a resource without a description, and a description without a resource, fail', () => {
  const spec = clone();
  const resources = spec['x-resources'] as Record<string, string>;
  delete resources['projects.users'];
  resources['projects.ghosts'] = 'Nothing lives here.';
  const message = problemsOf(spec);
  expect(message).toContain('resource "projects.users": no description in x-resources');
  expect(message).toContain('x-resources: "projects.ghosts" has no generated operation');
});

test('class names: parents singular, the resource itself as named', () => {
  expect(className('projects')).toBe('Projects');
  expect(className('projects.serviceAccounts.apiKeys')).toBe('ProjectServiceAccountApiKeys');
  expect(className('spendLimit')).toBe('SpendLimit');
});

test('the tree leaves out only the hand-written bucket operations (usage, costs)', () => {
  const spec = curatedSpec();
  const ops = friendlyOperations(spec);
  const generated: string[] = [];
  const walk = (nodes: ReturnType<typeof resourceTree>) => {
    for (const n of nodes) {
      generated.push(...n.operations.map((o) => o.friendly));
      walk(n.children);
    }
  };
  walk(resourceTree(spec, ops));
  const left = ops.filter((o) => !generated.includes(o.friendly));
  expect(left.every((o) => o.friendly === 'costs' || o.friendly.startsWith('usage.'))).toBe(true);
  expect(left.every((o) => o.handWritten)).toBe(true);
});

test('an alias on another resource, or one that clashes with a name, fails', () => {
  const spec = clone();
  opAt(spec, '/organization/projects', 'post')['x-friendly-aliases'] = ['users.make'];
  opAt(spec, '/organization/projects/{project_id}', 'get')['x-friendly-aliases'] = ['projects.list'];
  const message = problemsOf(spec);
  expect(message).toMatch(/create-project .*alias "users\.make" must be on the same resource as "projects\.create"/);
  expect(message).toMatch(/retrieve-project: alias "projects\.list" is already the name of list-projects/);
});

test('README.md carries the resource table of the current spec, each resource linked to its class on GitHub', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const resources = readFileSync(join(ROOT, 'generated', 'resources.gen.ts'), 'utf8');
  expect(withResourceTable(readme, resourceTable(curatedSpec(), sourceBaseOf(pkg), resources))).toBe(readme);
  const line = resources.split('\n').findIndex((l) => l.startsWith('export class ProjectUsers ')) + 1;
  expect(readme).toContain(
    `| [\`admin.projects.users\`](https://github.com/openai-admin/openai-admin/blob/main/generated/resources.gen.ts#L${line}) | \`list\` \`add\` \`retrieve\` \`update\` \`remove\` (deprecated: \`create\` \`delete\`) |`,
  );
});

describe("README's operation count", () => {
  test('is the number of operations in openapi.yaml (npm run generate writes it)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const count = [...operations(curatedSpec())].length;
    expect(readme).toContain(`all ${count} operations`);
    expect(withOperationCount(readme, count)).toBe(readme);
  });

  test('follows a new operation: the one "all N operations" phrase is rewritten, nothing else', () => {
    const readme = 'An SDK — all 118 operations\nunder /v1. The first 118 results.';
    expect(withOperationCount(readme, 119)).toBe('An SDK — all 119 operations\nunder /v1. The first 118 results.');
  });

  test('refuses a README with no such phrase, or more than one, instead of leaving a stale count', () => {
    expect(() => withOperationCount('An SDK for every operation.', 119)).toThrow(
      /"all <n> operations" once, found it 0/,
    );
    expect(() => withOperationCount('all 1 operations and all 2 operations', 3)).toThrow(/found it 2 times/);
  });
});
