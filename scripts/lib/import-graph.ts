/**
 * The import graph of the hand-written code, for the cycle and layer checks (test/spec/import-graph.test.ts) and
 * `npm run imports` (scripts/import-graph.ts). Every way one module names another counts: `import`, `import type`,
 * `export … from`, `import()` calls and `typeof import('…')` types — a type-only cycle is still a cycle for a reader,
 * and a lazy `import()` still means the two files know each other. Only relative specifiers are followed (packages
 * and node: builtins are outside the graph); `.js` in a specifier names the `.ts` file beside it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** File (relative to the root, `/`-separated) → the files it imports, in the same form. */
export type ImportGraph = Map<string, string[]>;

/** Every `.ts` file under `dir` (relative to `root`), `.d.ts` excluded. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(join(root, dir));
  return out;
}

/** The relative specifiers a module names, in the order they appear (TypeScript's own pre-processor finds them). */
export function specifiers(text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map((f) => f.fileName).filter((s) => s.startsWith('./') || s.startsWith('../'));
}

/** The graph of `files` (relative to `root`); edges to files outside the list are kept, so layers can see them. */
export function importGraph(root: string, files: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = new Set<string>();
    for (const spec of specifiers(text)) {
      const abs = resolve(root, dirname(file), spec.replace(/\.js$/, '.ts'));
      const target = relative(root, abs.endsWith('.ts') ? abs : `${abs}.ts`)
        .split('\\')
        .join('/');
      targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/**
 * The cycles of a graph: its strongly connected components of more than one file (or a file importing itself),
 * each sorted, largest first (Tarjan's algorithm, iterative so that a deep graph cannot overflow the stack).
 */
export function cycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    (index.set(start, next), low.set(start, next++), stack.push(start), onStack.add(start));
    while (work.length) {
      const frame = work[work.length - 1];
      const edges = (graph.get(frame.node) ?? []).filter((t) => graph.has(t));
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++];
        if (!index.has(to)) {
          (index.set(to, next), low.set(to, next++), stack.push(to), onStack.add(to));
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && edges.includes(frame.node);
        if (component.length > 1 || selfLoop) found.push(component.sort());
      }
    }
  }
  return found.sort((a, b) => b.length - a.length || a[0].localeCompare(b[0]));
}

/**
 * The edges that break a layering: `rank(file)` gives a file's layer (higher is further up; undefined: not
 * layered), and a file may import only from layers strictly below its own, or from its own folder when
 * `sameLayer(from, to)` allows it.
 */
export function upwardImports(
  graph: ImportGraph,
  rank: (file: string) => number | undefined,
  sameLayer: (from: string, to: string) => boolean,
): string[] {
  const bad: string[] = [];
  for (const [from, targets] of graph) {
    const r = rank(from);
    if (r === undefined) continue;
    for (const to of targets) {
      const t = rank(to);
      if (t === undefined) continue;
      if (t > r || (t === r && !sameLayer(from, to))) bad.push(`${from} → ${to}`);
    }
  }
  return bad;
}
