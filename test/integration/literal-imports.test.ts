/**
 * Every import() in the package names its module with a string literal (issue 21 §11). A computed specifier cannot
 * be followed by a bundler or listed by a runtime's module loader: Miniflare refuses the whole worker before running
 * it (ERR_MODULE_DYNAMIC_SPEC "dynamic module specifiers are unsupported"). The sources (src/, generated/) are
 * parsed with TypeScript, so a specifier in a comment or a string does not count and one split over lines does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../support/paths';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Each import(…) call in `text` whose first argument is not a plain string literal, as `file:line: source`. */
function computedImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (!specifier || !(ts.isStringLiteral(specifier) || ts.isNoSubstitutionTemplateLiteral(specifier))) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${relative(ROOT, file)}:${line + 1}: ${node.getText().replace(/\s+/g, ' ').slice(0, 120)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('the scanner finds a computed specifier and accepts a literal one (so an empty result means something)', () => {
  const text = [
    "const A = '../x.js';",
    "await import('./literal.js');",
    'await import(`./template.js`);',
    'await import(A);',
    'await import(`./${name}.js`);',
    "await import(\n  './a' + '.js'\n);",
    "// import(B) in a comment, and 'import(C)' in a string",
    "type T = typeof import('./types.js');",
  ].join('\n');
  expect(computedImports(join(ROOT, 'sample.ts'), text)).toEqual([
    'sample.ts:4: import(A)',
    'sample.ts:5: import(`./${name}.js`)',
    "sample.ts:6: import( './a' + '.js' )",
  ]);
});

test('no import() in src/ or generated/ computes its specifier', () => {
  const files = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'generated'))];
  expect(files.length).toBeGreaterThan(50);
  // Only files that mention import( at all are parsed (the generated validators are large and have none).
  const texts = files.map((file) => [file, readFileSync(file, 'utf8')] as const);
  const candidates = texts.filter(([, text]) => /\bimport\s*\(/.test(text));
  expect(candidates.length).toBeGreaterThan(3);
  expect(candidates.flatMap(([file, text]) => computedImports(file, text))).toEqual([]);
});
