/**
 * Spend limits, spend alerts, the organisation's data retention and project permissions for the org tests' two organisations, set in
 * the emulator's state directly (no requests: the realism test's target starts under a tight rate limit).
 */
import type { Emulator } from '../../src/testing/index.js';

const limit = <O extends string>(object: O, threshold_amount: number) => ({
  object,
  threshold_amount,
  currency: 'USD',
  interval: 'month',
  enforcement: { status: 'enforcing' as const },
});

function alert<O extends string>(
  emu: Emulator,
  object: O,
  threshold_amount: number,
  recipients: string[],
  prefix: string | null,
) {
  return {
    id: emu.state.newId('spend_alert_'),
    object,
    threshold_amount,
    currency: 'USD' as const,
    interval: 'month' as const,
    notification_channel: { type: 'email' as const, recipients, subject_prefix: prefix },
  };
}

/** A PEM-armoured certificate (the emulator checks the armour only): public data, fine in a file and a test. */
export function pem(seed: string): string {
  const body = Buffer.from(`test certificate ${seed} `.repeat(4)).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function certificate(emu: Emulator, name: string, active: boolean, projects: string[]) {
  const id = emu.state.newId('cert_');
  emu.state.certificates.set(id, {
    id,
    name,
    created_at: 1_704_067_200,
    valid_at: 1_704_067_200,
    expires_at: 1_735_689_600,
    content: pem(name),
    active,
    activeInProjects: new Set(projects),
  });
}

/**
 * Certificates: the source has mtls-prod (active, and in its first project) and mtls-staging (inactive, active in
 * its second project); the target has mtls-prod with the same PEM, inactive and in no project, and old-cert
 * (active organisation-wide and in its first project).
 *
 * Also each organisation's model and hosted-tool permissions: the source's first project allows two models only
 * and has web search off; the target's second project denies a model and has MCP off.
 *
 * `source`: an organisation limit, two organisation alerts, a retention other than the default; its first project
 * with a limit and an alert, its second with an alert only. `target`: differs in each of these — no organisation
 * limit, the 50.00 alert with other recipients and no prefix plus an extra alert, the default retention; its first
 * project with another limit and an extra alert, its second with a limit the source's does not have.
 */
export function seedSpendSettings(emu: Emulator, variant: 'source' | 'target'): Emulator {
  const s = emu.state;
  const put = <A extends { id: string }>(m: { set(k: string, v: A): unknown }, a: A) => void m.set(a.id, a);
  const [first, second] = [...s.projects.values()];
  if (variant === 'source') {
    s.orgDataRetention = 'modified_abuse_monitoring';
    s.orgSpendLimit = limit('organization.spend_limit', 1_000_000);
    put(
      s.orgSpendAlerts,
      alert(emu, 'organization.spend_alert', 5_000, ['finance@example.com', 'cfo@example.com'], '[OpenAI]'),
    );
    put(s.orgSpendAlerts, alert(emu, 'organization.spend_alert', 80_000, ['finance@example.com'], null));
    first.spendLimit = limit('project.spend_limit', 20_000);
    put(first.spendAlerts, alert(emu, 'project.spend_alert', 10_000, ['team@example.com'], null));
    put(second.spendAlerts, alert(emu, 'project.spend_alert', 2_500, ['team@example.com'], 'dev'));
    first.modelPermissions = { mode: 'allow_list', model_ids: ['gpt-4o-mini', 'gpt-4o'] };
    first.hostedTools.web_search = false;
    certificate(emu, 'mtls-prod', true, [first.id]);
    certificate(emu, 'mtls-staging', false, [second.id]);
  } else {
    put(s.orgSpendAlerts, alert(emu, 'organization.spend_alert', 5_000, ['someone@example.com'], null));
    put(s.orgSpendAlerts, alert(emu, 'organization.spend_alert', 12_345, ['old@example.com'], null));
    first.spendLimit = limit('project.spend_limit', 99_000);
    put(first.spendAlerts, alert(emu, 'project.spend_alert', 777, ['old@example.com'], null));
    second.spendLimit = limit('project.spend_limit', 5_000);
    second.modelPermissions = { mode: 'deny_list', model_ids: ['o1'] };
    second.hostedTools.mcp = false;
    certificate(emu, 'mtls-prod', false, []);
    certificate(emu, 'old-cert', true, [first.id]);
  }
  return emu;
}
