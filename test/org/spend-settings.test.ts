/**
 * Spend limits, spend alerts (organisation and project) and the organisation's data retention in export, plan and
 * apply, against two differently seeded emulators (support.ts, settings-seed.ts).
 */
import {
  applyPlan,
  exportOrg,
  OrgFileError,
  OrgPlanError,
  parseOrgFile,
  stringifyOrgFile,
  type OrgFile,
} from '../../src/org/index.js';
import type { Emulator } from '../../src/testing/index.js';
import { clientOn, planText, useSourceAndTarget, writes } from './support';

const SETTINGS = ['spend_limit', 'spend_alerts', 'data_retention'] as const;

/** The spend settings of an export: the organisation's, and each project's by name. */
function settingsOf(file: OrgFile) {
  return {
    org: Object.fromEntries(SETTINGS.map((s) => [s, file[s]])),
    projects: Object.fromEntries(
      (file.projects ?? []).map((p) => [p.name, { spend_limit: p.spend_limit, spend_alerts: p.spend_alerts }]),
    ),
  };
}

describe('org as code: spend limits, spend alerts and data retention', () => {
  let source: Emulator;
  let target: Emulator;
  useSourceAndTarget((orgs) => ({ source, target } = orgs));

  const planFile = (text: string, prune: boolean) => planText(target, text, prune);

  test('export writes them by natural key (threshold, not id), amounts in cents, recipients sorted', async () => {
    const text = await stringifyOrgFile(await exportOrg(clientOn(source)));
    const file = parseOrgFile(text, 'org.yaml');
    expect(file.data_retention).toBe('modified_abuse_monitoring');
    expect(file.spend_limit).toEqual({ threshold_amount: 1_000_000, currency: 'USD', interval: 'month' });
    expect(file.spend_alerts).toEqual([
      {
        threshold_amount: 5_000,
        currency: 'USD',
        interval: 'month',
        notification_channel: {
          type: 'email',
          recipients: ['cfo@example.com', 'finance@example.com'],
          subject_prefix: '[OpenAI]',
        },
      },
      {
        threshold_amount: 80_000,
        currency: 'USD',
        interval: 'month',
        notification_channel: { type: 'email', recipients: ['finance@example.com'], subject_prefix: null },
      },
    ]);
    expect(text).not.toMatch(/spend_alert_/);
    const projects = file.projects!;
    expect(projects.filter((p) => p.spend_limit === null)).toHaveLength(2);
    expect(projects.flatMap((p) => p.spend_alerts ?? []).map((a) => a.threshold_amount)).toEqual(
      expect.arrayContaining([10_000, 2_500]),
    );
  });

  test('apply --prune onto the other organisation: each setting changed as the table says, then exported equal', async () => {
    const exported = await exportOrg(clientOn(source));
    const text = await stringifyOrgFile(exported);
    const plan = await planFile(text, true);
    const settings = plan.changes
      .filter((c) => ['spend_limit', 'spend_alert', 'data_retention'].includes(c.type))
      .map((c) => `${c.action} ${c.key.replace(/^project "[^"]+"/, 'project')}`)
      .sort();
    // Both seeds name their first two projects 'Default project' and 'Production'.
    const [first, second] = [...target.state.projects.values()].map((p) => p.name);
    expect([first, second]).toEqual(['Default project', 'Production']);
    expect(
      plan.changes.filter((c) => c.key.startsWith(`project "${first}" › spend`)).map((c) => `${c.action} ${c.key}`),
    ).toEqual([
      `update project "${first}" › spend limit`,
      `create project "${first}" › spend alert 100.00 USD/month`,
      `delete project "${first}" › spend alert 7.77 USD/month`,
    ]);
    expect(settings).toEqual(
      expect.arrayContaining([
        'create organisation › spend alert 800.00 USD/month',
        'create organisation › spend limit',
        'delete organisation › spend alert 123.45 USD/month',
        'update organisation › data retention',
        'update organisation › spend alert 50.00 USD/month',
        'delete project › spend alert 7.77 USD/month',
      ]),
    );
    const alert = plan.changes.find((c) => c.key === 'organisation › spend alert 50.00 USD/month')!;
    expect(alert.fields).toEqual({
      recipients: { old: ['someone@example.com'], new: ['cfo@example.com', 'finance@example.com'] },
      subject_prefix: { old: null, new: '[OpenAI]' },
    });
    // Production has a limit here and none in the source: with --prune, it goes.
    expect(plan.changes.find((c) => c.key === `project "${second}" › spend limit`)).toMatchObject({
      action: 'delete',
      meaning: 'remove the hard spend limit (spend is no longer capped)',
      destructive: true,
    });

    const mark = target.requests.length;
    const result = await applyPlan(clientOn(target), plan, { onKey: () => undefined });
    expect(result.failed).toEqual([]);
    const sent = writes(target, mark).map(
      (r) => `${r.method} ${r.url.replace(/proj_\w+/, 'P').replace(/spend_alert_\w+/, 'A')}`,
    );
    expect(sent).toEqual(
      expect.arrayContaining([
        'POST /v1/organization/data_retention',
        'POST /v1/organization/spend_limit',
        'POST /v1/organization/spend_alerts',
        'POST /v1/organization/spend_alerts/A',
        'DELETE /v1/organization/spend_alerts/A',
        'POST /v1/organization/projects/P/spend_limit',
        'DELETE /v1/organization/projects/P/spend_alerts/A',
      ]),
    );
    expect(settingsOf(await exportOrg(clientOn(target)))).toEqual(settingsOf(exported));

    // A plan right after shows nothing to change, and a second apply sends no write.
    const again = await planFile(text, true);
    expect(again.changes).toEqual([]);
    const mark2 = target.requests.length;
    await applyPlan(clientOn(target), again, { onKey: () => undefined });
    expect(writes(target, mark2)).toEqual([]);
  });

  test('without --prune no alert is deleted and `spend_limit: null` removes no limit: a note says so', async () => {
    const project = [...target.state.projects.values()][1];
    const text = `version: 1
spend_limit: null
spend_alerts:
  - { threshold_amount: 100, currency: USD, interval: month, notification_channel: { type: email, recipients: [a@example.com] } }
projects:
  - name: ${project.name}
    spend_limit: null
`;
    target.state.orgSpendLimit = {
      object: 'organization.spend_limit',
      threshold_amount: 500,
      currency: 'USD',
      interval: 'month',
      enforcement: { status: 'enforcing' },
    };
    const plan = await planFile(text, false);
    expect(plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual([
      'create organisation › spend alert 1.00 USD/month',
    ]);
    expect(plan.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^organisation › spend limit: the file says none.*removed with --prune only$/),
        expect.stringMatching(new RegExp(`^project "${project.name}" › spend limit: the file says none`)),
      ]),
    );
    const mark = target.requests.length;
    expect((await applyPlan(clientOn(target), plan)).failed).toEqual([]);
    expect(writes(target, mark).map((r) => `${r.method} ${r.url}`)).toEqual(['POST /v1/organization/spend_alerts']);
    expect(target.state.orgSpendAlerts.size).toBe(3);
    expect(target.state.orgSpendLimit).not.toBeNull();
  });

  test('a spend limit that differs in one field is replaced whole (the API takes the whole limit); the plan names the field', async () => {
    const project = [...target.state.projects.values()][0];
    const text = `version: 1\nprojects:\n  - name: ${project.name}\n    spend_limit: { threshold_amount: 42, currency: USD, interval: month }\n`;
    const plan = await planFile(text, false);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({
      action: 'update',
      type: 'spend_limit',
      fields: { threshold_amount: { old: 99_000, new: 42 } },
    });
    const mark = target.requests.length;
    expect((await applyPlan(clientOn(target), plan)).failed).toEqual([]);
    expect(writes(target, mark).map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /v1/organization/projects/${project.id}/spend_limit`,
    ]);
    expect(project.spendLimit).toMatchObject({ threshold_amount: 42, currency: 'USD', interval: 'month' });
  });

  test('two live alerts at one threshold: the export tells them apart by id, and a plan refuses an entry without one', async () => {
    const a = [...target.state.orgSpendAlerts.values()][0];
    target.state.orgSpendAlerts.set('spend_alert_twin', { ...a, id: 'spend_alert_twin' });
    const file = await exportOrg(clientOn(target), { only: ['spend_alerts'] });
    expect(file.spend_alerts!.filter((x) => x.threshold_amount === a.threshold_amount).map((x) => x.id)).toEqual(
      [a.id, 'spend_alert_twin'].sort(),
    );
    const text = `version: 1\nspend_alerts:\n  - { threshold_amount: ${a.threshold_amount}, currency: USD, interval: month, notification_channel: { type: email, recipients: [x@example.com] } }\n`;
    await expect(planFile(text, false)).rejects.toThrow(OrgPlanError);
    await expect(planFile(text, false)).rejects.toThrow(/2 alerts at this threshold .*give the entry the id/);
    // The exported file plans to nothing.
    expect((await planFile(await stringifyOrgFile(file), true)).changes).toEqual([]);
  });
});

describe('spend settings in the org file are checked before anything is sent', () => {
  const problems = (text: string) => {
    try {
      parseOrgFile(text, 'org.yaml');
    } catch (err) {
      if (!(err instanceof OrgFileError)) throw err;
      return err.issues.map((i) => `${i.line}: ${i.path.join('.')}: ${i.message}`);
    }
    return [];
  };

  test('wrong types, bounds and unknown fields name the line and the field', () => {
    const text = `version: 1
data_retention: forever
spend_limit:
  threshold_amount: 0
  currency: EUR
  interval: month
spend_alerts:
  - threshold_amount: fifty
    currency: USD
    interval: month
    notification_channel:
      type: email
      recipient: [a@example.com]
projects:
  - name: P
    spend_limit: { threshold_amount: 10, currency: USD, interval: week }
`;
    expect(problems(text)).toEqual([
      expect.stringMatching(/^2: data_retention: must be one of 'zero_data_retention'.*got 'forever'/),
      '4: spend_limit.threshold_amount: must be ≥ 1, got 0',
      "5: spend_limit.currency: must be one of 'USD', got 'EUR'",
      "8: spend_alerts.0.threshold_amount: expected integer, got string 'fifty'",
      "11: spend_alerts.0.notification_channel: missing required field 'recipients'",
      "13: spend_alerts.0.notification_channel.recipient: unknown field 'recipient' (did you mean recipients?)",
      "16: projects.0.spend_limit.interval: must be one of 'month', got 'week'",
    ]);
  });

  test('two alerts at one threshold without ids are a duplicate key', () => {
    const alert =
      '{ threshold_amount: 100, currency: USD, interval: month, notification_channel: { type: email, recipients: [a@example.com] } }';
    expect(problems(`version: 1\nspend_alerts:\n  - ${alert}\n  - ${alert}\n`)).toEqual([
      '4: spend_alerts.1.threshold_amount: an alert at 1.00 USD/month is listed twice (also entry 0); for two alerts with one threshold, give each its id',
    ]);
  });
});
