/**
 * The JSON Schema of an org file (`openai-admin export` / `plan` / `apply`, src/org/), built from openapi.yaml:
 * every field that is sent to the API takes its type, enum and bounds from the request schema that carries it,
 * so the file refuses what the API would refuse, before any request. Written by `npm run generate` to
 * generated/org-file.schema.json (shipped: editors complete and check org.yaml with it) and, as data, to
 * generated/org-file-schema.gen.ts (what src/org/validate.ts checks a file against).
 */
import type { Schema } from './spec';

/** Keywords the org validator understands (src/org/validate.ts); anything else from the spec is dropped. */
const KEPT = ['type', 'enum', 'const', 'minLength', 'maxLength', 'minimum', 'maximum', 'pattern', 'description'];

/** One property of a component schema, as plain JSON Schema: `anyOf: [T, null]` becomes `type: [T, 'null']`. */
function field(spec: Schema, component: string, path: string[], description?: string): Schema {
  let node: Schema | undefined = spec.components?.schemas?.[component];
  for (const step of path) node = step === '[]' ? node?.items : node?.properties?.[step];
  if (!node) throw new Error(`org schema: openapi.yaml has no ${component}.${path.join('.')}`);
  const variants: Schema[] = node.anyOf ?? [node];
  const nonNull = variants.filter((v) => v.type !== 'null');
  if (nonNull.length !== 1 || typeof nonNull[0].type !== 'string')
    throw new Error(`org schema: ${component}.${path.join('.')} is not one plain type`);
  const out: Schema = {};
  for (const k of KEPT) if (nonNull[0][k] !== undefined) out[k] = nonNull[0][k];
  if (node.description !== undefined) out.description = node.description;
  if (nonNull.length < variants.length) out.type = [out.type, 'null'];
  if (description) out.description = description;
  out['x-from'] = `${component}.${path.join('.')}`;
  return out;
}

const list = (items: Schema, description: string): Schema => ({
  type: 'array',
  description,
  maxItems: 100_000,
  items,
});

const entry = (required: string[], properties: Record<string, Schema>): Schema => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const EMAIL: Schema = {
  type: 'string',
  minLength: 3,
  maxLength: 256,
  pattern: '^[^@\\s]+@[^@\\s]+$',
  description: 'An email address: the natural key of a person.',
};

/** Builds the schema. Throws, naming the spec node, when a field it takes from openapi.yaml is missing. */
export function buildOrgSchema(spec: Schema): Schema {
  const projectRole = field(spec, 'InviteRequest', ['projects', '[]', 'role'], 'Project role: `owner` or `member`.');
  const rateLimitFields = Object.fromEntries(
    Object.keys(spec.components.schemas.ProjectRateLimitUpdateRequest.properties).map((k) => [
      k,
      { ...field(spec, 'ProjectRateLimitUpdateRequest', [k]), minimum: 0 },
    ]),
  );
  const project = entry(['name'], {
    name: field(spec, 'ProjectCreateRequest', ['name'], 'The project name: its natural key.'),
    id: {
      type: 'string',
      pattern: '^proj_[A-Za-z0-9]+$',
      description:
        'Only when the organisation has several projects with this name (the API allows it): says which one. ' +
        'An id names one project of one organisation, so such an entry applies to that organisation only.',
    },
    archived: {
      type: 'boolean',
      description:
        'true: the project is archived (archiving cannot be undone; its members and settings are then frozen).',
    },
    external_key_id: field(spec, 'ProjectCreateRequest', ['external_key_id']),
    data_retention: field(
      spec,
      'UpdateProjectDataRetentionBody',
      ['retention_type'],
      'How long the project keeps API data (`organization_default` follows the organisation).',
    ),
    users: list(
      entry(['email', 'role'], { email: EMAIL, role: projectRole }),
      'Members of the project, by email. Someone not in the organisation is invited to it with this project.',
    ),
    groups: list(
      entry(['group'], {
        group: { type: 'string', minLength: 1, maxLength: 255, description: 'A group name (see `groups`).' },
        role: field(
          spec,
          'InviteProjectGroupBody',
          ['role'],
          'The project role granted when the group is added (default `member`). The API does not report it back, so it is not compared with the organisation.',
        ),
      }),
      'Groups with access to the project, by group name.',
    ),
    service_accounts: list(
      entry(['name'], {
        name: field(
          spec,
          'ProjectServiceAccountCreateRequest',
          ['name'],
          'The service account name: its natural key in the project.',
        ),
        id: {
          type: 'string',
          pattern: '^svc_acct_[A-Za-z0-9]+$',
          description: 'Only when the project has several service accounts with this name: says which one.',
        },
        role: field(spec, 'UpdateProjectServiceAccountBody', ['role']),
      }),
      'Service accounts of the project, by name. Their keys are never in this file: apply writes a created key to --keys-out.',
    ),
    rate_limits: list(
      entry(['model'], {
        model: {
          type: 'string',
          minLength: 1,
          maxLength: 256,
          description: 'The model the limits apply to: the natural key.',
        },
        ...rateLimitFields,
      }),
      'Rate limits per model. The API keeps one per model it serves: they are updated, never created or deleted.',
    ),
  });
  // Spend settings are the same for a project as for the organisation (spendSettings below).
  Object.assign(project.properties, spendSettings(spec, 'Project'));
  Object.assign(project.properties, permissions(spec));
  Object.assign(project.properties, {
    certificates: list(
      { type: 'string', minLength: 1, description: 'A certificate, by name (see `certificates`).' },
      'The certificates active in the project, by name. With --prune, others active in it are deactivated.',
    ),
  });
  const schema: Schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/openai-admin/openai-admin/org-file.schema.json',
    title: 'openai-admin org file',
    description:
      'An OpenAI organisation as code: `openai-admin export` writes it, `plan` and `apply` make the organisation match it. ' +
      'Generated from openapi.yaml by scripts/lib/org-schema.ts; see docs/org-as-code.md.',
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    properties: {
      version: { const: 1, description: 'The format of this file: 1.' },
      users: list(
        entry(['email', 'role'], {
          email: EMAIL,
          role: field(spec, 'InviteRequest', ['role'], 'Organisation role: `owner` or `reader`.'),
        }),
        'Organisation members, by email. Users cannot be created: one missing from the organisation is invited.',
      ),
      invites: list(
        entry(['email', 'role'], {
          email: EMAIL,
          role: field(spec, 'InviteRequest', ['role']),
          projects: list(
            entry(['project', 'role'], {
              project: {
                type: 'string',
                minLength: 1,
                description: 'A project name (see `projects`), or the project id when several projects share the name.',
              },
              role: projectRole,
            }),
            'Projects the person joins on accepting.',
          ),
        }),
        'Pending invitations, by email.',
      ),
      groups: list(
        entry(['name'], {
          name: field(spec, 'CreateGroupBody', ['name'], 'The group name: its natural key.'),
          members: list({ ...EMAIL, description: 'A member, by email.' }, 'Members of the group, by email.'),
        }),
        'Groups of the organisation, by name.',
      ),
      projects: list(project, 'Projects, by name.'),
      // Custom roles and their assignments (src/org/roles.ts).
      ...roleSections(spec),
      admin_api_keys: list(
        {
          type: 'object',
          readOnly: true,
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: ['string', 'null'] },
            owner: { type: ['string', 'null'], description: 'Who owns the key (email or service account name).' },
          },
        },
        'Read-only: the admin API keys, as exported. plan and apply never change them.',
      ),
    },
  };
  Object.assign(schema.properties, {
    certificates: list(
      entry(['name', 'certificate'], {
        name: {
          ...field(spec, 'UploadCertificateRequest', ['name']),
          minLength: 1,
          description: 'The certificate name: its natural key.',
        },
        id: {
          type: 'string',
          minLength: 1,
          maxLength: 256,
          description: 'Only when the organisation has several certificates with this name: says which one.',
        },
        active: {
          type: 'boolean',
          description: 'Active for the whole organisation (activate / deactivate). Left out: not managed.',
        },
        certificate: {
          ...field(spec, 'UploadCertificateRequest', ['certificate']),
          minLength: 1,
          maxLength: 65_536,
          description:
            'The PEM-encoded X.509 certificate: public, so it belongs in the file (a private key is refused).',
        },
      }),
      "The organisation's certificates (mutual TLS), by name. With --prune, one the file does not list is deactivated everywhere and deleted.",
    ),
    ...spendSettings(spec, 'Organization'),
    data_retention: field(
      spec,
      'UpdateOrganizationDataRetentionBody',
      ['retention_type'],
      "The organisation's data retention type. It has no default to reset to: --prune leaves it as it is.",
    ),
  });
  return schema;
}

/**
 * `spend_limit` and `spend_alerts`, for the organisation or a project: each field from the request body it is sent
 * with (Update{Organization,Project}SpendLimitBody, CreateSpendAlertBody and its notification channel).
 */
function spendSettings(spec: Schema, scope: 'Organization' | 'Project'): Record<string, Schema> {
  const limitBody = `Update${scope}SpendLimitBody`;
  const limit = entry(['threshold_amount', 'currency', 'interval'], {
    threshold_amount: field(spec, limitBody, ['threshold_amount']),
    currency: field(spec, limitBody, ['currency']),
    interval: field(spec, limitBody, ['interval']),
  });
  const channel = 'SpendAlertNotificationChannel';
  const alert = entry(['threshold_amount', 'currency', 'interval', 'notification_channel'], {
    threshold_amount: field(
      spec,
      'CreateSpendAlertBody',
      ['threshold_amount'],
      'The alert threshold, in cents: with currency and interval, the natural key of the alert.',
    ),
    currency: field(spec, 'CreateSpendAlertBody', ['currency']),
    interval: field(spec, 'CreateSpendAlertBody', ['interval']),
    id: {
      type: 'string',
      minLength: 1,
      maxLength: 256,
      description:
        'Only when there are several alerts with this threshold (the API allows it): says which one. ' +
        'An id names one alert of one organisation, so such an entry applies to that organisation only.',
    },
    notification_channel: entry(['type', 'recipients'], {
      type: field(spec, channel, ['type']),
      recipients: list(
        { ...EMAIL, description: 'A recipient, by email.' },
        'Who is emailed when spend crosses the threshold.',
      ),
      subject_prefix: field(spec, channel, ['subject_prefix']),
    }),
  });
  return {
    spend_limit: {
      ...limit,
      type: ['object', 'null'],
      description:
        'The hard spend limit (amounts in cents). null: no limit (an existing one is removed with --prune only). Left out: not managed.',
    },
    spend_alerts: list(alert, 'Spend alerts, by threshold. With --prune, alerts the file does not list are deleted.'),
  };
}

/**
 * A project's `model_permissions` (ProjectModelPermissionsUpdateRequest) and `hosted_tools`: each tool's one
 * field, `enabled` (HostedToolPermissionUpdate), as a boolean under the tool's wire name.
 */
function permissions(spec: Schema): Record<string, Schema> {
  const body = 'ProjectModelPermissionsUpdateRequest';
  const tools = Object.keys(spec.components.schemas.ProjectHostedToolPermissionsUpdateRequest.properties);
  return {
    model_permissions: {
      ...entry(['mode', 'model_ids'], {
        mode: field(spec, body, ['mode']),
        model_ids: list(
          { type: 'string', minLength: 1, maxLength: 256, description: 'A model id.' },
          'The models the mode lists (compared as a set).',
        ),
      }),
      description:
        'Which models the project may use. `deny_list` with no models allows every model (the default). Left out: not managed.',
    },
    hosted_tools: {
      ...entry(
        [],
        Object.fromEntries(
          tools.map((t) => [
            t,
            field(
              spec,
              'HostedToolPermissionUpdate',
              ['enabled'],
              `${t}: true enables it for the project, false disables it.`,
            ),
          ]),
        ),
      ),
      description: "Hosted tools on or off, by tool (the API's `{ enabled }` of each). A tool left out is not managed.",
    },
  };
}

/**
 * The custom-role sections: roles by name (fields from PublicCreateOrganizationRoleBody: `role_name` is the entry's
 * `name`), and assignments naming a role and exactly one user (email) or group (name); project ones add `project`.
 */
function roleSections(spec: Schema): Record<string, Schema> {
  const PROJECT: Schema = {
    type: 'string',
    minLength: 1,
    description: 'A project name (see `projects`), or the project id when several projects share the name.',
  };
  const role = (project: boolean): Schema =>
    entry(project ? ['project', 'name', 'permissions'] : ['name', 'permissions'], {
      ...(project ? { project: PROJECT } : {}),
      name: field(spec, 'PublicCreateOrganizationRoleBody', ['role_name'], 'The role name: its natural key.'),
      permissions: list(
        field(spec, 'PublicCreateOrganizationRoleBody', ['permissions', '[]'], 'A permission.'),
        'Permissions the role grants (compared as a set).',
      ),
      description: field(spec, 'PublicCreateOrganizationRoleBody', ['description']),
    });
  const assignment = (project: boolean): Schema =>
    entry(project ? ['project', 'role'] : ['role'], {
      ...(project ? { project: PROJECT } : {}),
      role: {
        type: 'string',
        minLength: 1,
        description: 'A role name: a custom role (see the roles sections) or a predefined one.',
      },
      user: { ...EMAIL, description: 'The user given the role, by email (give user or group).' },
      group: {
        type: 'string',
        minLength: 1,
        maxLength: 255,
        description: 'The group given the role, by name (give user or group).',
      },
    });
  return {
    roles: list(
      role(false),
      "Organisation custom roles, by name. Predefined roles are OpenAI's: never listed, created, changed or deleted.",
    ),
    role_assignments: list(assignment(false), 'Organisation roles given to users and groups.'),
    project_roles: list(role(true), 'Project custom roles, by project and name.'),
    project_role_assignments: list(
      assignment(true),
      'Project roles given to users and groups of the project (they must be its members / have access to it).',
    ),
  };
}
