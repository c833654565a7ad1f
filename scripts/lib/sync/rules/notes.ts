/** The notes the rules write: the same wording as the hand-made curations they mechanize (generated/CURATION.md). */
export const NOTES = {
  cursor: 'dropped OpenAPI 3.0 "nullable" (not a 3.1 keyword): a cursor is a string or absent',
  pathId:
    'path ids must be non-empty and may not be "." or ".." or contain "/", "?" or "#" (they would address another resource)',
  bounds: (min: number, max: number) => `bounds ${min}..${max} made machine-readable from the description`,
  minimumOnly: 'minimum 1 added (a list of no items is never meant); upstream sets no maximum, so none is enforced',
  minimumKeepMaximum: (max: number) =>
    `minimum 1 added (a list of no items is never meant); maximum ${max} kept from upstream`,
  timestamp: 'timestamps are Unix seconds, never negative',
  openEnum: 'open enum: the API adds values over time; known values stay as literals, unknown strings are accepted',
  created:
    'added response 201, same body as 200: creates answer 200 or 201 and the code has flipped over time (jianyuan/terraform-provider-openai #152: project create answered 201, later 200)',
  rename: (from: string) => `operationId renamed from ${from}: consistent verb-first kebab-case naming`,
} as const;

type Node = Record<string, any>;

/** A copy of `node` with `note` appended to its x-curation list (once). */
export function withNote(node: Node, note: string): Node {
  const notes: string[] = Array.isArray(node['x-curation'])
    ? node['x-curation']
    : node['x-curation']
      ? [node['x-curation']]
      : [];
  return notes.includes(note) ? node : { ...node, 'x-curation': [...notes, note] };
}
