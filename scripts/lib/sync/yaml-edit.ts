/**
 * Edits to openapi.yaml as text insertions: every byte the sync does not change stays as it was (comments, quoting,
 * line folding — the file is hand-edited and no single stringify setting reproduces it). New nodes are rendered with
 * the file's conventions: block style, sequences not indented under their key, single quotes, lines up to 120 (but
 * x-curation notes, each on one line).
 */
import {
  isMap,
  isSeq,
  parseDocument,
  stringify,
  type Document,
  type Node as YamlNode,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

export type YamlPath = (string | number)[];

const RENDER = { indentSeq: false, lineWidth: 120, singleQuote: true, aliasDuplicateObjects: false } as const;

const NOTE = /__x_curation_note_(\d+)__/g;

/**
 * `value` with each one-line `x-curation` note swapped for a placeholder (collected in `notes`): the file writes every
 * note whole on one line, however long, so that one note reads (and greps) the same at each node it is on.
 */
function holdNotes(value: unknown, notes: string[], key?: string): unknown {
  if (key === 'x-curation') {
    const hold = (n: unknown) =>
      typeof n === 'string' && !n.includes('\n') ? `__x_curation_note_${notes.push(n) - 1}__` : n;
    return Array.isArray(value) ? value.map(hold) : hold(value);
  }
  if (Array.isArray(value)) return value.map((v) => holdNotes(v, notes));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, holdNotes(v, notes, k)]));
}

/** One note as a YAML scalar on one line (plain, else quoted as the file quotes). */
const unfolded = (note: string) =>
  stringify([note], { ...RENDER, lineWidth: 0 })
    .replace(/^- /, '')
    .replace(/\n$/, '');

/** `value` rendered as YAML, every line indented by `indent` spaces, ending in a newline. */
function render(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  const notes: string[] = [];
  return stringify(holdNotes(value, notes), RENDER)
    .replace(NOTE, (_, i: string) => unfolded(notes[Number(i)]))
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n')
    .concat('\n');
}

export class YamlTextEditor {
  readonly doc: Document;
  /** Text edits: `text` replaces [at, end) (an insertion when end === at). */
  private readonly inserts: { at: number; end: number; text: string; order: number }[] = [];

  constructor(readonly text: string) {
    this.doc = parseDocument(text);
  }

  private lineStart(offset: number) {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }
  private column(offset: number) {
    return offset - this.lineStart(offset);
  }
  /** The offset just after the line on which a node (or pair value) ends. */
  private afterLineOf(end: number) {
    const newline = this.text.indexOf('\n', end - 1);
    return newline === -1 ? this.text.length : newline + 1;
  }

  node(path: YamlPath): YamlNode | undefined {
    return (path.length ? this.doc.getIn(path, true) : this.doc.contents) as YamlNode | undefined;
  }

  private insert(at: number, text: string, end = at) {
    this.inserts.push({ at, end, text, order: this.inserts.length });
  }

  private pairOf(path: YamlPath, key: string) {
    const map = this.node(path);
    if (!isMap(map) || map.flow) throw new Error(`spec:sync: ${path.join('/')} is not a block map`);
    const pair = (map as YAMLMap<YamlNode, YamlNode>).items.find(
      (p) => String((p.key as { value?: unknown }).value) === key,
    );
    if (!pair) throw new Error(`spec:sync: no ${key} in ${path.join('/')}`);
    return pair;
  }

  /** Replaces the entry `key` of the block map at `path` (its lines, comments inside it included) with `key: value`. */
  replacePair(path: YamlPath, key: string, value: unknown) {
    const pair = this.pairOf(path, key);
    const start = pair.key.range![0];
    this.insert(this.lineStart(start), render({ [key]: value }, this.column(start)), this.afterLineOf(pairEnd(pair)));
  }

  /** Replaces item `index` of the block sequence at `path` with `value`. */
  replaceItem(path: YamlPath, index: number, value: unknown) {
    const seq = this.node(path);
    if (!isSeq(seq) || seq.flow) throw new Error(`spec:sync: ${path.join('/')} is not a block sequence`);
    const item = (seq as YAMLSeq<YamlNode>).items[index];
    const start = item.range![0];
    this.insert(this.lineStart(start), render([value], this.column(start) - 2), this.afterLineOf(item.range![1]));
  }

  /** Adds `key: value` to the block map at `path`, before `beforeKey` when given and present, else at its end. */
  addPair(path: YamlPath, key: string, value: unknown, beforeKey?: string) {
    const map = this.node(path);
    if (!isMap(map) || map.flow || !map.items.length)
      throw new Error(`spec:sync: ${path.join('/')} is not a block map`);
    const pairs = (map as YAMLMap<YamlNode, YamlNode>).items;
    const indent = this.column(pairs[0].key.range![0]);
    const before =
      beforeKey === undefined
        ? undefined
        : pairs.find((p) => String((p.key as { value?: unknown }).value) === beforeKey);
    const at = before ? this.lineStart(before.key.range![0]) : this.afterLineOf(pairEnd(pairs[pairs.length - 1]));
    this.insert(at, render({ [key]: value }, indent));
  }

  /** Adds `value` to the block sequence at `path`, before item `beforeIndex` when given, else at its end. */
  addItem(path: YamlPath, value: unknown, beforeIndex?: number) {
    const seq = this.node(path);
    if (!isSeq(seq) || seq.flow || !seq.items.length)
      throw new Error(`spec:sync: ${path.join('/')} is not a block sequence`);
    const items = (seq as YAMLSeq<YamlNode>).items;
    const indent = this.column(items[0].range![0]) - 2;
    const before = beforeIndex === undefined ? undefined : items[beforeIndex];
    const at = before ? this.lineStart(before.range![0]) : this.afterLineOf(items[items.length - 1].range![1]);
    this.insert(at, render([value], indent));
  }

  /** The text with every edit applied (insertions at one offset keep the order they were made in; edits never overlap). */
  result(): string {
    let out = this.text;
    const ordered = [...this.inserts].sort((a, b) => b.at - a.at || b.order - a.order);
    for (const { at, end, text } of ordered) out = out.slice(0, at) + text + out.slice(end);
    return out;
  }
}

function pairEnd(pair: { key: YamlNode | null; value: YamlNode | null }): number {
  return pair.value?.range?.[1] ?? pair.key!.range![1];
}
