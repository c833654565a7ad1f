/** A project's model and hosted-tool permissions in export, plan and apply (seeded in settings-seed.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { applyPlan, exportOrg, OrgFileError, parseOrgFile, stringifyOrgFile } from '../../src/org/index.js';
import { HOSTED_TOOLS } from '../../src/org/permissions.js';
import type { Emulator } from '../../src/testing/index.js';
import { ROOT } from '../support/paths';
import { clientOn, planText, useSourceAndTarget, writes } from './support';

describe('org as code: model and hosted-tool permissions', () => {
  let source: Emulator;
  let target: Emulator;
  useSourceAndTarget((orgs) => ({ source, target } = orgs));

  const planFile = (text: string, prune: boolean) => planText(target, text, prune);
  const permissionsOf = (file: Awaited<ReturnType<typeof exportOrg>>) =>
    Object.fromEntries(
      (file.projects ?? []).map((p) => [p.name, { models: p.model_permissions, tools: p.hosted_tools }]),
    );

  test('export → apply --prune → export: equal; models replaced whole, only the differing tools sent', async () => {
    const exported = await exportOrg(clientOn(source));
    expect(exported.projects!.find((p) => p.name === 'Default project')).toMatchObject({
      model_permissions: { mode: 'allow_list', model_ids: ['gpt-4o', 'gpt-4o-mini'] },
      hosted_tools: { file_search: true, web_search: false, image_generation: true, mcp: true, code_interpreter: true },
    });
    const text = await stringifyOrgFile(exported);
    const plan = await planFile(text, true);
    const changes = plan.changes.filter((c) => c.type === 'model_permissions' || c.type === 'hosted_tool_permissions');
    const onExisting = changes.filter((c) => !c.key.startsWith('project "Research"'));
    expect(onExisting.map((c) => ({ key: c.key, fields: c.fields }))).toEqual([
      {
        key: 'project "Default project" › model permissions',
        fields: {
          mode: { old: 'deny_list', new: 'allow_list' },
          model_ids: { old: [], new: ['gpt-4o', 'gpt-4o-mini'] },
        },
      },
      {
        key: 'project "Production" › model permissions',
        fields: { model_ids: { old: ['o1'], new: [] } },
      },
      { key: 'project "Default project" › hosted tools', fields: { web_search: { old: true, new: false } } },
      { key: 'project "Production" › hosted tools', fields: { mcp: { old: false, new: true } } },
    ]);
    // Research is created by this plan (the target lacks it): its permissions are sent once it exists.
    expect(changes.filter((c) => c.key.startsWith('project "Research"')).map((c) => c.meaning)).toEqual([
      'set once the project exists',
      'set once the project exists',
    ]);
    // Never a delete: every project has permissions; the way back to the default is to write it.
    expect(changes.every((c) => c.action === 'update' && !c.destructive)).toBe(true);

    const mark = target.requests.length;
    expect((await applyPlan(clientOn(target), plan, { onKey: () => undefined })).failed).toEqual([]);
    const toolWrites = target.requests
      .slice(mark)
      .filter((r) => r.url.endsWith('/hosted_tool_permissions') && r.method === 'POST');
    expect(toolWrites).toHaveLength(3);
    const [first, second] = [...target.state.projects.values()];
    expect(first.hostedTools).toEqual({ ...second.hostedTools, web_search: false });
    expect(permissionsOf(await exportOrg(clientOn(target)))).toEqual(permissionsOf(exported));

    const again = await planFile(text, true);
    expect(again.changes).toEqual([]);
    const mark2 = target.requests.length;
    await applyPlan(clientOn(target), again);
    expect(writes(target, mark2)).toEqual([]);
  });

  test('a tool or the models left out of an entry are not managed; model ids compare as a set', async () => {
    const text = `version: 1
projects:
  - name: Production
    hosted_tools: { web_search: true }
    model_permissions: { mode: deny_list, model_ids: [o1, o1] }
`;
    expect((await planFile(text, false)).changes).toEqual([]);
  });

  test('a project created by the plan gets its permissions once it exists', async () => {
    const text = `version: 1
projects:
  - name: Fresh
    model_permissions: { mode: allow_list, model_ids: [gpt-4o] }
    hosted_tools: { mcp: false }
`;
    const plan = await planFile(text, false);
    expect(plan.changes.map((c) => `${c.action} ${c.type}: ${c.meaning ?? ''}`)).toEqual([
      'create project: ',
      'update model_permissions: set once the project exists',
      'update hosted_tool_permissions: set once the project exists',
    ]);
    expect((await applyPlan(clientOn(target), plan)).failed).toEqual([]);
    const fresh = [...target.state.projects.values()].find((p) => p.name === 'Fresh')!;
    expect(fresh.modelPermissions).toEqual({ mode: 'allow_list', model_ids: ['gpt-4o'] });
    expect(fresh.hostedTools.mcp).toBe(false);
    expect((await planFile(text, false)).changes).toEqual([]);
  });

  test('the file names the tools the API has, and refuses others with the line and field', () => {
    const spec = parse(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8'));
    expect([...HOSTED_TOOLS].sort()).toEqual(
      Object.keys(spec.components.schemas.ProjectHostedToolPermissionsUpdateRequest.properties).sort(),
    );
    const text = `version: 1
projects:
  - name: P
    hosted_tools: { web_serch: false, mcp: "no" }
    model_permissions: { mode: alow_list, model_ids: [] }
`;
    let issues: string[] = [];
    try {
      parseOrgFile(text, 'org.yaml');
    } catch (err) {
      if (!(err instanceof OrgFileError)) throw err;
      issues = err.issues.map((i) => `${i.line}: ${i.path.join('.')}: ${i.message}`);
    }
    expect(issues).toEqual([
      "4: projects.0.hosted_tools.web_serch: unknown field 'web_serch' (did you mean web_search?)",
      "4: projects.0.hosted_tools.mcp: expected boolean, got string 'no'",
      "5: projects.0.model_permissions.mode: must be one of 'allow_list', 'deny_list', got 'alow_list' (did you mean 'allow_list'?)",
    ]);
  });
});
