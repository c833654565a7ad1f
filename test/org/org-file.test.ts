import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ORG_FILE_LIMIT, OrgFileError, parseOrgFile } from '../../src/org/index.js';
import { ROOT } from '../support/paths';

/** The problems parseOrgFile reports for `text`, as `line: message` (with the field path when there is one). */
function problems(text: string): string[] {
  try {
    parseOrgFile(text, 'org.yaml');
  } catch (err) {
    if (!(err instanceof OrgFileError)) throw err;
    return err.issues.map(
      (i) => `${i.line}: ${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')} ${i.message}`,
    );
  }
  return [];
}

describe('the org file schema', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'generated', 'org-file.schema.json'), 'utf8'));

  test('is a valid JSON Schema (2020-12) that editors can use', () => {
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  test('takes its field types and enums from the request schemas in openapi.yaml', () => {
    const spec = parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8'));
    const project = schema.properties.projects.items.properties;
    expect(schema.properties.users.items.properties.role.enum).toEqual(
      spec.components.schemas.InviteRequest.properties.role.enum,
    );
    expect(Object.keys(project.rate_limits.items.properties).filter((k) => k !== 'model')).toEqual(
      Object.keys(spec.components.schemas.ProjectRateLimitUpdateRequest.properties),
    );
    expect(schema.properties.groups.items.properties.name.maxLength).toBe(
      spec.components.schemas.CreateGroupBody.properties.name.maxLength,
    );
  });

  test('agrees with the validator: what ajv accepts, parseOrgFile accepts, and the reverse for a wrong file', () => {
    const ajv = new Ajv2020({ strict: false });
    const check = ajv.compile(schema);
    const good = {
      version: 1,
      users: [{ email: 'a@example.com', role: 'owner' }],
      projects: [{ name: 'P', users: [{ email: 'a@example.com', role: 'member' }] }],
    };
    expect(check(good)).toBe(true);
    expect(problems(JSON.stringify(good))).toEqual([]);
    const bad = {
      version: 1,
      projects: [{ name: 'P', rate_limits: [{ model: 'gpt-4o', max_requests_per_1_minute: 'many' }] }],
    };
    expect(check(bad)).toBe(false);
    expect(problems(JSON.stringify(bad))).toHaveLength(1);
  });
});

describe('reading an org file', () => {
  test('a wrong field is reported with its line, its path and a "did you mean"', () => {
    const text =
      'version: 1\nprojects:\n  - name: Research\n    userz:\n      - email: a@example.com\n        role: member\n';
    expect(problems(text)).toEqual(["4: .projects[0].userz unknown field 'userz' (did you mean users?)"]);
  });

  test('a wrong enum value gets the allowed values and the closest one', () => {
    expect(problems('version: 1\nusers:\n  - email: a@example.com\n    role: onwer\n')).toEqual([
      "4: .users[0].role must be one of 'reader', 'owner', got 'onwer' (did you mean 'owner'?)",
    ]);
  });

  test('a missing required field is reported at the entry that lacks it', () => {
    expect(problems('version: 1\ngroups:\n  - members: []\n')).toEqual(["3: .groups[0] missing required field 'name'"]);
  });

  test('wrong types name what was expected and what came', () => {
    expect(problems('version: 1\nprojects: {}\n')).toEqual(['2: .projects expected array, got object']);
    expect(problems('version: 2\n')).toEqual(['1: .version must be 1, got 2']);
    expect(problems('- 1\n')).toEqual(['1:  expected object, got array']);
  });

  test('references that resolve to nothing in the file are errors, not requests', () => {
    const text = [
      'version: 1',
      'users:',
      '  - email: ada@example.com',
      '    role: owner',
      'groups:',
      '  - name: Engineering',
      '    members: [adaa@example.com]',
      'projects:',
      '  - name: Research',
      '    groups:',
      '      - group: Enginering',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      "7: .groups[0].members[0] 'adaa@example.com' is not in this file's users or invites (did you mean 'ada@example.com'?)",
      "11: .projects[0].groups[0].group no group 'Enginering' in this file's groups (did you mean 'Engineering'?)",
    ]);
  });

  test('the same natural key twice is an error (two projects of one name need their ids)', () => {
    expect(problems('version: 1\nprojects:\n  - name: A\n  - name: A\n')).toEqual([
      "4: .projects[1].name project 'A' is listed twice (entry 0); for two projects with one name, give each its id",
    ]);
    expect(problems('version: 1\nprojects:\n  - name: A\n    id: proj_1\n  - name: A\n    id: proj_2\n')).toEqual([]);
  });
});

describe('hostile org files: a clear error, nothing parsed further', () => {
  test('an alias bomb (billion laughs) is refused at its first anchor, without expanding anything', () => {
    const lines = ['version: 1', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const found = problems(lines.join('\n'));
    expect(found[0]).toBe('2:  anchors (&name) are not allowed in an org file');
    expect(found.some((p) => p.includes('aliases (*name) are not allowed'))).toBe(true);
  });

  test('duplicate keys are refused, with the line of the second', () => {
    expect(problems('version: 1\nusers: []\nusers: []\n')).toEqual([
      '3:  duplicate key (each key may appear once in a map)',
    ]);
  });

  test('tags are refused (an org file is plain data)', () => {
    expect(problems('version: 1\nprojects:\n  - name: !!binary aGk=\n')).toEqual([
      '3:  tags (tag:yaml.org,2002:binary) are not allowed in an org file',
    ]);
    expect(problems('version: 1\nusers: !custom []\n')[0]).toContain('not allowed in an org file');
  });

  test('a file over the size limit is refused before it is parsed', () => {
    const huge = `version: 1\n#${'x'.repeat(ORG_FILE_LIMIT)}\n`;
    expect(problems(huge)).toEqual([`1:  larger than ${ORG_FILE_LIMIT / 1024 / 1024} MiB`]);
  });

  test('deep nesting is refused (no stack overflow, no crash)', () => {
    expect(problems(`version: 1\nx: ${'['.repeat(100_000)}`)[0]).toMatch(
      /^[12]: {2}(not readable YAML|nested too deeply to read)/,
    );
    expect(problems(`version: 1\nx: ${'['.repeat(50)}${']'.repeat(50)}\n`)[0]).toBe('1:  nested deeper than 32 levels');
  });

  test('a file with thousands of mistakes lists a bounded number of them', () => {
    const users = Array.from({ length: 5_000 }, (_, i) => `  - email: u${i}@example.com\n    role: boss`).join('\n');
    const found = problems(`version: 1\nusers:\n${users}\n`);
    expect(found.length).toBe(200);
  });

  test('control characters and very long values are reported without echoing them whole', () => {
    const found = problems(`version: 1\nusers:\n  - email: a@example.com\n    role: "${'\\u001b[31m'.repeat(100)}"\n`);
    expect(found).toHaveLength(1);
    expect(found[0].length).toBeLessThan(300);
  });
});
