/**
 * One example call per operation, built straight from the spec, shared by every suite that calls each operation:
 * the naming test (test/integration/naming.test.ts), the Prism contract suites (test/slow/contract/) and the emulator
 * contract test (test/emulator/contract.test.ts). A new operation gets all three without anyone writing a call.
 *
 * A call has ids by parameter name, the required query parameters (plus `limit` and an enum-valued array filter
 * where the operation has them), and a body generated from the request schema (examples, enums and name-based
 * realistic strings), with a few hand-written bodies where a generated one would be unrealistic.
 */
import {
  camelCase,
  operations as specOperations,
  resolveRef,
  type Operation,
  type Schema,
  type Spec,
} from '../../scripts/lib/spec';
import { FRIENDLY_NAMES } from '../../src/resources/naming';
import type { OpenAIAdmin, RequestOptions } from '../../src/index';
import { resolveFriendly } from './client';
import { curatedSpec } from './paths';

export interface ExampleCall {
  operationId: string;
  /** camelCase key of the generated operations table and of FRIENDLY_NAMES. */
  name: string;
  method: string;
  path: string;
  friendly: string | undefined;
  ids: string[];
  query: Record<string, unknown> | undefined;
  body: unknown;
  paginated: boolean;
}

const IDS: Record<string, string> = {
  project_id: 'proj_abc123',
  user_id: 'user_abc123',
  group_id: 'group_01J1F8ABCDXYZ',
  role_id: 'role_01J1F8ROLE01',
  service_account_id: 'svc_acct_abc123',
  api_key_id: 'key_abc123',
  key_id: 'key_abc123',
  invite_id: 'invite-abc123',
  certificate_id: 'cert_abc123',
  rate_limit_id: 'rl-gpt-4o',
  alert_id: 'alert_abc123',
};

const START = 1_730_419_200; // 2024-11-01T00:00:00Z

/** Realistic values for string fields, by property name. */
const STRINGS: Record<string, string> = {
  name: 'Data science',
  email: 'ana@example.com',
  role: 'member',
  role_id: 'role_01J1F8ROLE01',
  role_name: 'Billing reader',
  user_id: 'user_abc123',
  group_id: 'group_01J1F8ABCDXYZ',
  description: 'Read-only access to billing',
  content:
    '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2Fub25pY2FsVGVzdENlcnQwCgYIKoZIzj0EAwIwDzEN\n-----END CERTIFICATE-----',
  geography: 'US',
  external_key_id: 'ekm_abc123',
  recipient: 'finance@example.com',
  permission: 'api.usage.read',
  model_id: 'gpt-4o-mini',
};

/** A value that satisfies the schema, preferring the spec's own examples and realistic names. */
export function sample(s: Spec, schema: Schema | undefined, name = '', depth = 0): unknown {
  const node = resolveRef(s, schema) ?? {};
  if (depth > 8) return undefined;
  if (node.example !== undefined) return node.example;
  if (Array.isArray(node.examples) && node.examples.length) return node.examples[0];
  if (node.const !== undefined) return node.const;
  if (Array.isArray(node.enum)) return node.enum.find((v: unknown) => v !== null) ?? node.enum[0];
  if (node.default !== undefined && node.default !== null) return node.default;
  if (node.allOf) return Object.assign({}, ...node.allOf.map((b: Schema) => sample(s, b, name, depth + 1)));
  const branches: Schema[] | undefined = node.anyOf ?? node.oneOf;
  if (branches) {
    const nonNull = branches.filter((b) => resolveRef(s, b)?.type !== 'null');
    return sample(s, nonNull[0] ?? branches[0], name, depth + 1);
  }
  const type = Array.isArray(node.type) ? node.type.find((t: string) => t !== 'null') : node.type;
  switch (type ?? (node.properties ? 'object' : undefined)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of node.required ?? []) out[key] = sample(s, node.properties?.[key], key, depth + 1);
      return out;
    }
    case 'array': {
      const min = Math.max(1, node.minItems ?? 1);
      return Array.from({ length: min }, () => sample(s, node.items, name.replace(/s$/, ''), depth + 1));
    }
    case 'integer':
    case 'number': {
      if (/(_at|time)$/.test(name)) return START;
      const lo = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : 0);
      const hi = node.maximum ?? (node.exclusiveMaximum !== undefined ? node.exclusiveMaximum - 1 : lo + 100);
      return Math.min(Math.max(type === 'integer' ? 10 : 10.5, lo), hi);
    }
    case 'boolean':
      return false;
    case 'string': {
      if (node.format === 'email' || /email/.test(name)) return 'ana@example.com';
      const v =
        STRINGS[name] ??
        (name.endsWith('_id') ? (IDS[name] ?? `${name.replace(/_id$/, '')}_abc123`) : `example ${name || 'value'}`);
      return node.maxLength !== undefined ? v.slice(0, node.maxLength) : v;
    }
    default:
      return {};
  }
}

/** Path parameters in the order they appear in the path: the order of the positional id arguments. */
export const pathParamOrder = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

/** Hand-written bodies where the generic sample would be technically valid but unrealistic. */
const BODIES: Record<string, unknown> = {
  createProject: { name: 'Data science' },
  updateProject: { name: 'Data science (EU)' },
  createInvite: { email: 'ana@example.com', role: 'reader' },
  createProjectUser: { user_id: 'user_abc123', role: 'member' },
  updateProjectUser: { role: 'owner' },
  updateUser: { role: 'reader' },
  createProjectServiceAccount: { name: 'nightly-export' },
  createAdminApiKey: { name: 'Terraform' },
  createGroup: { name: 'Data platform' },
  updateGroup: { name: 'Data platform team' },
  addGroupUser: { user_id: 'user_abc123' },
  addProjectGroup: { group_id: 'group_01J1F8ABCDXYZ', role: 'role_01J1F8ROLE01' },
  activateOrganizationCertificates: { certificate_ids: ['cert_abc123', 'cert_def456'] },
  deactivateOrganizationCertificates: { certificate_ids: ['cert_abc123'] },
  activateProjectCertificates: { certificate_ids: ['cert_abc123'] },
  deactivateProjectCertificates: { certificate_ids: ['cert_abc123'] },
  updateOrganizationCertificate: { name: 'Prod mTLS 2026' },
  uploadOrganizationCertificate: { name: 'Prod mTLS 2026', certificate: STRINGS.content },
  updateRole: { description: 'Read-only access to usage and costs', permissions: ['api.usage.read'] },
  updateProjectRole: { role_name: 'Usage reader' },
  updateProjectServiceAccount: { name: 'nightly-export-v2' },
  updateProjectRateLimit: { max_requests_per_1_minute: 500, max_tokens_per_1_minute: 150_000 },
};

const CURSOR_PARAMS = new Set(['after', 'before', 'page']);

let cached: ExampleCall[] | undefined;

/** One call per operation of openapi.yaml, in document order. */
export function exampleCalls(): ExampleCall[] {
  if (cached) return cached;
  const s = curatedSpec();
  const out: ExampleCall[] = [];
  for (const { method, path, op } of specOperations(s)) {
    const name = camelCase(op.operationId);
    const params = [
      ...((s.paths[path] as unknown as { parameters?: Operation['parameters'] }).parameters ?? []),
      ...(op.parameters ?? []),
    ].map((p) => resolveRef(s, p as Schema) as NonNullable<Operation['parameters']>[number]);
    const query: Record<string, unknown> = {};
    for (const p of params.filter((p) => p.in === 'query' && !CURSOR_PARAMS.has(p.name))) {
      const schema = resolveRef(s, p.schema) ?? {};
      if (p.required) query[p.name] = sample(s, schema, p.name);
      else if (p.name === 'limit') query.limit = Math.min(schema.maximum ?? 20, 7);
      else if (p.name === 'end_time') query.end_time = START + 7 * 86_400;
      else if (p.name === 'bucket_width') query.bucket_width = '1d';
      else if (schema.type === 'array' && resolveRef(s, schema.items)?.enum)
        query[p.name] = [sample(s, schema.items, p.name)];
    }
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    const body = op.requestBody ? (BODIES[name] ?? sample(s, bodySchema, '')) : undefined;
    out.push({
      operationId: op.operationId,
      name,
      method: method.toUpperCase(),
      path,
      friendly: (FRIENDLY_NAMES as Record<string, string>)[name],
      ids: pathParamOrder(path).map((p) => IDS[p] ?? `${p}_abc123`),
      query: Object.keys(query).length ? query : undefined,
      body,
      paginated: Boolean(op['x-pagination']),
    });
  }
  return (cached = out);
}

/** The example call of one operation (by its camelCase name, the key of the operations table). */
export function exampleCall(name: string): ExampleCall {
  const call = exampleCalls().find((c) => c.name === name);
  if (!call) throw new Error(`${name} is not an operation of openapi.yaml`);
  return call;
}

/** The friendly method's arguments, as a user passes them: ids first, then the body (or the query). */
export function argumentsOf(call: ExampleCall): unknown[] {
  return [...call.ids, call.body !== undefined ? call.body : call.query];
}

/** The path with each {param} replaced by its value in `ids`, or by the call's example id. */
export function pathOf(call: ExampleCall, ids: Readonly<Record<string, string>> = {}): string {
  const order = pathParamOrder(call.path);
  return call.path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(ids[p] ?? call.ids[order.indexOf(p)]));
}

/** Calls the operation the way a user would: ids first, then the body (or the query), then the options. */
export function invoke(admin: OpenAIAdmin, call: ExampleCall, options: RequestOptions): any {
  if (!call.friendly) throw new Error(`${call.operationId} has no friendly name in FRIENDLY_NAMES`);
  const fn = resolveFriendly(admin, call.friendly);
  return fn(...argumentsOf(call), options);
}

/**
 * The operation as a plain HTTP request against a stateful server (the emulator): method, path with the given
 * ids (real ones, from earlier creates), and the example body with its top-level id fields (`user_id`, `group_id`,
 * `role_id`, …) taken from `ids` too; `body` replaces the example where the server needs a particular one.
 * `query` is appended as written; the example's optional query is not sent.
 */
export function exampleRequest(
  name: string,
  ids: Readonly<Record<string, string>> = {},
  overrides: { body?: unknown; query?: string } = {},
): [method: string, path: string, body: unknown] {
  const call = exampleCall(name);
  let body = 'body' in overrides ? overrides.body : call.body;
  if (!('body' in overrides) && body !== null && typeof body === 'object' && !Array.isArray(body)) {
    body = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, k in ids ? ids[k] : v]));
  }
  return [call.method, `${pathOf(call, ids)}${overrides.query ? `?${overrides.query}` : ''}`, body];
}
