/** Certificates and their activation (organisation and project) in export, plan and apply (settings-seed.ts). */
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
import { pem } from './settings-seed';
import { clientOn, planText, useSourceAndTarget, writes } from './support';

const certificatesOf = (file: OrgFile) => ({
  org: file.certificates,
  projects: Object.fromEntries((file.projects ?? []).map((p) => [p.name, p.certificates])),
});

describe('org as code: certificates and their activation', () => {
  let source: Emulator;
  let target: Emulator;
  useSourceAndTarget((orgs) => ({ source, target } = orgs));

  const planFile = (text: string, prune: boolean) => planText(target, text, prune);

  test('export lists them by name with their (public) PEM and activation; projects name the ones active in them', async () => {
    const file = await exportOrg(clientOn(source));
    expect(file.certificates).toEqual([
      { name: 'mtls-prod', active: true, certificate: pem('mtls-prod') },
      { name: 'mtls-staging', active: false, certificate: pem('mtls-staging') },
    ]);
    expect(certificatesOf(file).projects).toEqual({
      'Default project': ['mtls-prod'],
      Production: ['mtls-staging'],
      Research: [],
    });
    expect(await stringifyOrgFile(file)).not.toMatch(/cert_|PRIVATE KEY/);
  });

  test('apply --prune: uploads before activations, deactivates everywhere before deleting, then exports equal', async () => {
    const exported = await exportOrg(clientOn(source));
    const text = await stringifyOrgFile(exported);
    const plan = await planFile(text, true);
    const certs = plan.changes.filter((c) => c.type === 'certificate' || c.type === 'project_certificate');
    expect(certs.map((c) => `${c.action} ${c.key}: ${c.meaning}`)).toEqual([
      'create certificate "mtls-staging": upload (not activated)',
      'update certificate "mtls-prod": activate for the organisation',
      'delete certificate "old-cert": deactivate everywhere, then delete the certificate',
      'create project "Default project" › certificate "mtls-prod": activate in the project',
      'create project "Production" › certificate "mtls-staging": activate in the project',
      'delete project "Default project" › certificate "old-cert": deactivate in the project (clients presenting it are refused there)',
    ]);
    expect(certs.filter((c) => c.action === 'delete').every((c) => c.destructive)).toBe(true);

    const mark = target.requests.length;
    expect((await applyPlan(clientOn(target), plan, { onKey: () => undefined })).failed).toEqual([]);
    const sent = writes(target, mark)
      .filter((r) => r.url.includes('certificates'))
      .map((r) => `${r.method} ${r.url.replace(/proj_\w+/, 'P').replace(/cert_\w+/, 'C')}`);
    // The upload comes before the project activation that needs its id; the deactivations before the delete.
    expect(sent.indexOf('POST /v1/organization/certificates')).toBeLessThan(
      sent.lastIndexOf('POST /v1/organization/projects/P/certificates/activate'),
    );
    expect(sent.indexOf('DELETE /v1/organization/certificates/C')).toBeGreaterThan(
      sent.indexOf('POST /v1/organization/certificates/deactivate'),
    );
    expect([...target.state.certificates.values()].map((c) => c.name).sort()).toEqual(['mtls-prod', 'mtls-staging']);
    expect(certificatesOf(await exportOrg(clientOn(target)))).toEqual(certificatesOf(exported));

    expect((await planFile(text, true)).changes).toEqual([]);
    const mark2 = target.requests.length;
    await applyPlan(clientOn(target), await planFile(text, true));
    expect(writes(target, mark2)).toEqual([]);
  });

  test('without --prune nothing is deactivated or deleted', async () => {
    const plan = await planFile(await stringifyOrgFile(await exportOrg(clientOn(source))), false);
    expect(plan.changes.filter((c) => c.type.endsWith('certificate') && c.action === 'delete')).toEqual([]);
    expect((await applyPlan(clientOn(target), plan, { onKey: () => undefined })).failed).toEqual([]);
    const old = [...target.state.certificates.values()].find((c) => c.name === 'old-cert')!;
    expect(old.active).toBe(true);
    expect(old.activeInProjects.size).toBe(1);
  });

  test('a PEM that differs from the live certificate of that name is refused: certificates cannot be changed', async () => {
    const text = `version: 1\ncertificates:\n  - name: mtls-prod\n    certificate: |\n${pem('rotated')
      .trimEnd()
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n')}\n`;
    await expect(planFile(text, false)).rejects.toThrow(OrgPlanError);
    await expect(planFile(text, false)).rejects.toThrow(/certificate "mtls-prod": its PEM differs .*another name/);
  });
});

describe('certificates in the org file are checked before anything is sent', () => {
  const problems = (text: string) => {
    try {
      parseOrgFile(text, 'org.yaml');
    } catch (err) {
      if (!(err instanceof OrgFileError)) throw err;
      return err.issues.map((i) => `${i.line}: ${i.path.join('.')}: ${i.message}`);
    }
    return [];
  };

  test('a private key, a PEM that is no certificate, a name twice and a project naming an unknown certificate', () => {
    const text = `version: 1
certificates:
  - name: a
    certificate: "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----"
  - name: b
    certificate: /etc/ssl/client.pem
  - name: b
    certificate: "-----BEGIN CERTIFICATE-----\\nMIIE\\n-----END CERTIFICATE-----"
projects:
  - name: P
    certificates: [a, c]
`;
    expect(problems(text)).toEqual([
      '4: certificates.0.certificate: holds a private key: an org file must never carry one (keep the certificate only)',
      '6: certificates.1.certificate: is not a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)',
      "7: certificates.2.name: certificate 'b' is listed twice (also entry 1); for two with one name, give each its id",
      "11: projects.0.certificates.1: no certificate 'c' in this file's certificates",
    ]);
  });
});
