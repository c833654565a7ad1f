import { camelCase, operations, resolvedParameters, type Operation, type Spec } from './spec';

/**
 * The friendly resource tree as data: every operation names its method with `x-friendly-name`
 * (`projects.users.create`) and shows it in use with `x-example`; the top-level `x-resources` describes each
 * resource (`projects.users: The members of a project.`). Read and checked here, at generation time: a missing,
 * malformed or clashing name fails `npm run generate` naming the operation.
 */

export interface FriendlyOperation {
  /** camelCase operationId, the key of the operation everywhere in the code. */
  name: string;
  method: string;
  path: string;
  op: Operation;
  /** `projects.users.create`: the resource path, then the method. */
  friendly: string;
  /** `projects.users`, or '' for a method on the client itself (`costs`). */
  resource: string;
  /** `create`. */
  methodName: string;
  /** Former names (`projects.users.create`), kept as deprecated methods of the same resource. */
  aliases: string[];
  example: string;
  /** Bucket-paginated (usage, costs): the methods are written by hand in src/ (their pages flatten into rows). */
  handWritten: boolean;
}

export interface ResourceNode {
  /** `projects.users`. */
  path: string;
  /** The property name on the parent: `users`. */
  key: string;
  className: string;
  description: string;
  operations: FriendlyOperation[];
  children: ResourceNode[];
}

const NAME = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/;
/** Members of the client and of every resource: no method, nor a resource on the client, may take these names. */
const RESERVED = new Set([
  'constructor',
  'toJSON',
  'withOptions',
  'baseURL',
  'rateLimitStats',
  'rateLimits', // deprecated alias of rateLimitStats (goes in 1.0); `projects.rateLimits` is fine: not on the client
  'then',
  '_client',
  '_call',
  '_request',
]);

export class NamingError extends Error {
  override name = 'NamingError';
}

/** Every operation with its friendly name and example; throws a NamingError listing every problem found. */
export function friendlyOperations(spec: Spec): FriendlyOperation[] {
  const problems: string[] = [];
  const found: FriendlyOperation[] = [];
  const byFriendly = new Map<string, string>();
  for (const { method, path, op } of operations(spec)) {
    const where = `${op.operationId} (${method.toUpperCase()} ${path})`;
    const friendly = op['x-friendly-name'];
    const example = op['x-example'];
    if (typeof friendly !== 'string' || friendly === '') {
      problems.push(`${where}: no x-friendly-name (add e.g. "x-friendly-name: projects.users.create")`);
      continue;
    }
    if (!NAME.test(friendly))
      problems.push(`${where}: x-friendly-name "${friendly}" is not a dotted path of camelCase names`);
    const clash = byFriendly.get(friendly);
    if (clash) problems.push(`${where}: x-friendly-name "${friendly}" is already the name of ${clash}`);
    byFriendly.set(friendly, op.operationId);
    if (typeof example !== 'string' || !example.includes(`admin.${friendly}(`)) {
      problems.push(`${where}: x-example must show the call (it should contain "admin.${friendly}(")`);
    }
    const dot = friendly.lastIndexOf('.');
    const methodName = friendly.slice(dot + 1);
    const aliases = (op['x-friendly-aliases'] ?? []) as unknown[];
    for (const alias of aliases) {
      if (typeof alias !== 'string' || !NAME.test(alias))
        problems.push(`${where}: x-friendly-aliases entry ${JSON.stringify(alias)} is not a dotted path`);
      else if (alias.slice(0, alias.lastIndexOf('.')) !== friendly.slice(0, dot))
        problems.push(`${where}: alias "${alias}" must be on the same resource as "${friendly}"`);
    }
    if (RESERVED.has(methodName)) problems.push(`${where}: "${methodName}" is reserved on resources and the client`);
    found.push({
      name: camelCase(op.operationId),
      method,
      path,
      op,
      friendly,
      resource: dot < 0 ? '' : friendly.slice(0, dot),
      methodName,
      aliases: aliases.filter((a): a is string => typeof a === 'string'),
      example: typeof example === 'string' ? example : '',
      handWritten: op['x-pagination']?.limitByBucketWidth !== undefined,
    });
  }
  // An alias is a method too: it may clash with no name and no other alias.
  for (const o of found) {
    for (const alias of o.aliases) {
      const clash = byFriendly.get(alias);
      if (clash) problems.push(`${o.op.operationId}: alias "${alias}" is already the name of ${clash}`);
      byFriendly.set(alias, o.op.operationId);
    }
  }
  // A resource path may not also be a method (`projects.users` as a method and as a resource).
  for (const o of found) {
    const prefix = `${o.friendly}.`;
    const under = found.find((other) => other.friendly.startsWith(prefix));
    if (under)
      problems.push(
        `${o.op.operationId}: "${o.friendly}" is a method, but ${under.op.operationId} uses it as a resource ("${under.friendly}")`,
      );
  }
  if (problems.length) throw new NamingError(`openapi.yaml: friendly names\n  ${problems.join('\n  ')}`);
  return found;
}

const pascal = (s: string) => s[0].toUpperCase() + s.slice(1);
/** `projects.serviceAccounts.apiKeys` → `ProjectServiceAccountApiKeys`: the parents singular, the last as is. */
export const className = (path: string) =>
  path
    .split('.')
    .map((seg, i, all) => pascal(i < all.length - 1 ? seg.replace(/s$/, '') : seg))
    .join('');

/** The generated resources as a tree under the client (hand-written methods left out). */
export function resourceTree(spec: Spec, ops: FriendlyOperation[]): ResourceNode[] {
  const descriptions = (spec['x-resources'] ?? {}) as Record<string, string>;
  const nodes = new Map<string, ResourceNode>();
  const problems: string[] = [];
  const node = (path: string): ResourceNode => {
    let found = nodes.get(path);
    if (!found) {
      const description = descriptions[path];
      if (typeof description !== 'string' || !description)
        problems.push(`resource "${path}": no description in x-resources`);
      // A class named like a schema (ProjectDataRetention) would shadow the domain type: suffix it.
      const name = className(path);
      const unique = name in (spec.components?.schemas ?? {}) ? `${name}Resource` : name;
      found = {
        path,
        key: path.split('.').pop()!,
        className: unique,
        description: description ?? '',
        operations: [],
        children: [],
      };
      nodes.set(path, found);
      const dot = path.lastIndexOf('.');
      if (dot >= 0) node(path.slice(0, dot)).children.push(found);
      else if (RESERVED.has(path)) problems.push(`resource "${path}": the name is reserved on the client`);
    }
    return found;
  };
  for (const o of ops) {
    if (o.handWritten) continue;
    if (!o.resource)
      problems.push(`${o.op.operationId}: "${o.friendly}" is a method on the client; only hand-written ones may be`);
    else node(o.resource).operations.push(o);
  }
  for (const path of Object.keys(descriptions))
    if (!nodes.has(path)) problems.push(`x-resources: "${path}" has no generated operation`);
  const classNames = new Map<string, string>();
  for (const n of nodes.values()) {
    const clash = classNames.get(n.className);
    if (clash) problems.push(`resources "${clash}" and "${n.path}" would both be class ${n.className}`);
    classNames.set(n.className, n.path);
  }
  if (problems.length) throw new NamingError(`openapi.yaml: resource tree\n  ${problems.join('\n  ')}`);
  return [...nodes.values()].filter((n) => !n.path.includes('.'));
}

/** The parts of a method's signature: path ids positional, then query or body, then options. */
export function signatureOf(spec: Spec, o: FriendlyOperation) {
  const params = resolvedParameters(spec, o.op);
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const body = o.op.requestBody ? (o.op.requestBody.required ? 'required' : 'optional') : null;
  if (body && queryParams.length)
    throw new NamingError(`${o.op.operationId}: takes a body and a query; the generator supports one of them`);
  return {
    ids: pathParams.map((p) => ({
      wire: p.name as string,
      arg: camelCase(p.name as string),
      description: (p.description as string | undefined) ?? '',
    })),
    query: queryParams.length ? { required: queryParams.some((p) => p.required) } : null,
    body,
  };
}
