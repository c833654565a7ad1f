/**
 * Reading an org file: YAML (JSON is YAML too) parsed defensively, then checked against the generated schema
 * (validate.ts) and for references that resolve to nothing, before anything is sent. Every problem is reported
 * with its line and field. The YAML parser (`yaml`) is loaded here only: `openai-admin/org` and the CLI's
 * export/plan/apply load this module on demand, so the core client never carries it.
 *
 * Refused outright, because an org file never needs them and each is an attack on the reader:
 * - anchors and aliases (`&a` / `*a`): the "billion laughs" expansion, and entries that silently share state;
 * - duplicate keys: YAML says the last wins, which hides a mistake in a long file;
 * - tags (`!!binary`, `!foo`): an org file is strings, numbers, booleans, lists and maps;
 * - more than ORG_FILE_LIMIT bytes, or nesting deeper than MAX_DEPTH.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { OrgFile } from './model.js';
import { checkReferences, validateAgainstSchema, type FieldPath, type OrgFileIssue } from './validate.js';

/** 32 MiB: an organisation of 2,000 projects with members and limits exports to about 3 MB. */
export const ORG_FILE_LIMIT = 32 * 1024 * 1024;
/** An org file is 5 levels deep (projects › entry › users › entry › field); 32 leaves room and stops stack attacks. */
const MAX_DEPTH = 32;

/** An org file that cannot be used: every problem found, each with its line and field. */
export class OrgFileError extends Error {
  override name = 'OrgFileError';
  constructor(
    /** The file name used in messages. */
    readonly file: string,
    readonly issues: OrgFileIssue[],
  ) {
    super(
      `${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}, nothing was sent\n` +
        issues
          .slice(0, 50)
          .map((i) => `  ${file}:${i.line ?? '?'}: ${i.path.length ? formatPath(i.path) + ': ' : ''}${i.message}`)
          .join('\n') +
        (issues.length > 50 ? `\n  … and ${issues.length - 50} more` : ''),
    );
  }
}

/** `projects[2].users[0].role`. Pure. */
export function formatPath(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Parses and checks an org file's text. Throws {@link OrgFileError} listing every problem (line and field).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { parseOrgFile } from 'openai-admin/org';
 * const desired = parseOrgFile(readFileSync('org.yaml', 'utf8'), 'org.yaml');
 * ```
 */
export function parseOrgFile(text: string, file = 'org file'): OrgFile {
  if (Buffer.byteLength(text, 'utf8') > ORG_FILE_LIMIT)
    throw new OrgFileError(file, [{ path: [], line: 1, message: `larger than ${ORG_FILE_LIMIT / 1024 / 1024} MiB` }]);
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, {
      lineCounter: lines,
      uniqueKeys: true,
      schema: 'core',
      prettyErrors: false,
      keepSourceTokens: false,
    });
  } catch (err) {
    // The parser recurses per nesting level: a file of 100,000 `[` ends here, not in a crash.
    throw new OrgFileError(file, [
      { path: [], line: 1, message: `not readable YAML (${(err as Error).message.split('\n')[0]})` },
    ]);
  }
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset).line);
  const syntax: OrgFileIssue[] = [...doc.errors, ...doc.warnings].map((e) => ({
    path: [],
    line: e.linePos?.[0].line ?? lineAt(e.pos[0]),
    message: syntaxMessage(e.code, e.message.split(' at line')[0]),
  }));
  visit(doc, {
    Alias(_, node) {
      syntax.push({
        path: [],
        line: lineAt(node.range?.[0]),
        message: 'aliases (*name) are not allowed in an org file',
      });
    },
    Node(_, node) {
      if (node.anchor)
        syntax.push({
          path: [],
          line: lineAt(node.range?.[0]),
          message: 'anchors (&name) are not allowed in an org file',
        });
      if (node.tag && !isPlainTag(node.tag))
        syntax.push({
          path: [],
          line: lineAt(node.range?.[0]),
          message: `tags (${node.tag}) are not allowed in an org file`,
        });
    },
  });
  if (syntax.length) throw new OrgFileError(file, dedupe(syntax));
  if (depthOf(doc.contents, 0) > MAX_DEPTH)
    throw new OrgFileError(file, [{ path: [], line: 1, message: `nested deeper than ${MAX_DEPTH} levels` }]);
  const value: unknown = doc.toJS({ maxAliasCount: 0 });
  const lineOf = (path: FieldPath): number | undefined => {
    // A field: the line of its key (an unknown or wrong field is pointed at where its name is written).
    const last = path[path.length - 1];
    const parent: unknown = doc.getIn(path.slice(0, -1), true);
    if (typeof last === 'string' && isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
      if (pair && isScalar(pair.key) && pair.key.range) return lineAt(pair.key.range[0]);
    }
    // The deepest node that exists on the path: a missing field is reported at its parent's line.
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineAt(node.range[0]);
    }
    return 1;
  };
  const issues = validateAgainstSchema(value);
  if (issues.length === 0) issues.push(...checkReferences(value as OrgFile));
  if (issues.length)
    throw new OrgFileError(
      file,
      issues.map((i) => ({ ...i, line: i.line ?? lineOf(i.path) })),
    );
  return value as OrgFile;
}

/** Tags the core schema puts on plain values itself (an explicit `!!str` is harmless). */
function isPlainTag(tag: string): boolean {
  return [
    'tag:yaml.org,2002:str',
    'tag:yaml.org,2002:int',
    'tag:yaml.org,2002:bool',
    'tag:yaml.org,2002:null',
    'tag:yaml.org,2002:float',
    'tag:yaml.org,2002:map',
    'tag:yaml.org,2002:seq',
  ].includes(tag);
}

function depthOf(node: unknown, depth: number): number {
  if (depth > MAX_DEPTH) return depth;
  if (isMap(node)) return Math.max(depth, ...node.items.map((p) => depthOf(p.value, depth + 1)));
  if (isSeq(node)) return Math.max(depth, ...node.items.map((v) => depthOf(v, depth + 1)));
  if (isScalar(node) || isAlias(node)) return depth;
  return depth;
}

function dedupe(issues: OrgFileIssue[]): OrgFileIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => !seen.has(`${i.line}:${i.message}`) && seen.add(`${i.line}:${i.message}`));
}

/** The parser's complaint, in the words of this file's rules where one applies. */
function syntaxMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key (each key may appear once in a map)';
  if (code === 'TAG_RESOLVE_FAILED') return `tags are not allowed in an org file (${message})`;
  if (message.includes('Maximum call stack')) return 'nested too deeply to read';
  return message;
}
