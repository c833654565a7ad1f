/**
 * Names the emulator keeps unique on create stay unique on rename: a group, an organisation role, a project role.
 * (A rename used to make two groups share a name, which an org file keyed by name cannot express.)
 */
import { ConflictError, OpenAIAdmin } from '../../src/index.js';
import { DEMO_ADMIN_KEY, startEmulator, type Emulator } from '../../src/testing/index.js';

let emu: Emulator;
let admin: OpenAIAdmin;
beforeEach(async () => {
  emu = await startEmulator({ seed: 3, users: 3, projects: 1 });
  admin = new OpenAIAdmin({ apiKey: DEMO_ADMIN_KEY, baseURL: emu.url, maxRetries: 0 });
});
afterEach(() => emu.close());

test('a group cannot be renamed to the name of another group (409, nothing changed); to its own name it can', async () => {
  const a = await admin.groups.create({ name: 'Alpha' });
  const b = await admin.groups.create({ name: 'Beta' });
  await expect(admin.groups.update(b.id, { name: 'Alpha' })).rejects.toBeInstanceOf(ConflictError);
  expect(emu.state.groups.get(b.id)!.name).toBe('Beta');
  await expect(admin.groups.update(a.id, { name: 'Alpha' })).resolves.toMatchObject({ name: 'Alpha' });
});

test('a role cannot be renamed to the name of another role of its scope; another scope may have it', async () => {
  const [project] = [...emu.state.projects.values()];
  await admin.roles.create({ role_name: 'Auditor', permissions: [] });
  const other = await admin.roles.create({ role_name: 'Other', permissions: [] });
  await expect(admin.roles.update(other.id, { role_name: 'Auditor' })).rejects.toBeInstanceOf(ConflictError);
  const deployer = await admin.projects.roles.create(project.id, { role_name: 'Deployer', permissions: [] });
  await admin.projects.roles.create(project.id, { role_name: 'Tester', permissions: [] });
  await expect(admin.projects.roles.update(project.id, deployer.id, { role_name: 'Tester' })).rejects.toBeInstanceOf(
    ConflictError,
  );
  await expect(admin.projects.roles.update(project.id, deployer.id, { role_name: 'Auditor' })).resolves.toMatchObject({
    name: 'Auditor',
  });
});
