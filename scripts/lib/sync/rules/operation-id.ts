/**
 * The operationId naming rule: verb-first kebab-case, verbs from a small vocabulary (`list`, `create`, `retrieve`,
 * `update`, `delete`, …), one item singular (`retrieve-admin-api-key`), collections plural (`list-admin-api-keys`).
 * Upstream names in other styles (`admin-api-keys-get`, `getCertificate`, `Getprojectspendlimit`) are rewritten; an
 * id that cannot be split into words is derived from the method and path instead.
 */
const VERBS = new Set([
  'list',
  'create',
  'retrieve',
  'update',
  'delete',
  'add',
  'remove',
  'assign',
  'unassign',
  'activate',
  'deactivate',
  'archive',
  'upload',
  'usage',
]);
const SYNONYMS: Record<string, string> = { get: 'retrieve', modify: 'update' };
/** Verbs that address one item: on an item path (`…/{id}`) their last noun is singular. */
const ONE_ITEM = new Set(['retrieve', 'update', 'delete', 'remove']);
/** Verbs that bring one item into existence: their last noun is singular wherever they are. */
const CREATES = new Set(['create', 'upload']);

const singular = (word: string) => (/ss$/.test(word) ? word : word.replace(/ies$/, 'y').replace(/s$/, ''));
const words = (id: string) =>
  id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());

/** The verb an HTTP method implies on a path: a collection (plural), one item (`…/{id}`) or a singleton. */
function verbOf(method: string, path: string): string {
  const item = /\}$/.test(path);
  if (method === 'get') return item || !/s$/.test(path) ? 'retrieve' : 'list';
  if (method === 'delete') return 'delete';
  return item || !/s$/.test(path) ? 'update' : 'create';
}

/** From the path: `/organization/projects/{project_id}/spend_limit` → project, spend, limit (parents singular). */
function nounsOf(path: string): string[] {
  let segments = path.split('/').filter((s) => s && !s.startsWith('{'));
  if (segments[0] === 'organization' && segments[1] === 'projects') segments = segments.slice(1);
  return segments.map((s, i) => (i < segments.length - 1 ? singular(s) : s)).flatMap((s) => s.split('_'));
}

export function verbFirstOperationId(upstreamId: string, method: string, path: string): string {
  let w = words(upstreamId).map((x) => SYNONYMS[x] ?? x);
  if (VERBS.has(w[w.length - 1]) && !VERBS.has(w[0])) w = [w[w.length - 1], ...w.slice(0, -1)];
  // No verb to start from (`Getprojectspendlimit`, `inviteUser`): the method and path say it.
  if (w.length < 2 || !VERBS.has(w[0])) w = [verbOf(method, path), ...nounsOf(path)];
  const last = w.length - 1;
  if (last > 0 && (CREATES.has(w[0]) || (ONE_ITEM.has(w[0]) && /\}$/.test(path)))) w[last] = singular(w[last]);
  if (last > 0 && w[0] === 'list' && !w[last].endsWith('s')) w[last] = `${w[last]}s`;
  return w.join('-');
}

/** Renames an operation when its id breaks the rule; the note records the upstream name. */
export function renameOperation(op: Record<string, any>, method: string, path: string): Record<string, any> {
  const id = verbFirstOperationId(op.operationId, method, path);
  if (id === op.operationId) return op;
  const notes: string[] = Array.isArray(op['x-curation']) ? op['x-curation'] : [];
  return {
    ...op,
    operationId: id,
    'x-curation': [...notes, `operationId renamed from ${op.operationId}: consistent verb-first kebab-case naming`],
  };
}
