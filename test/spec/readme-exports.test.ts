/**
 * What README.md tells users to import exists: every named import from 'openai-admin' (or one of its subpaths) in
 * a code block is exported by that entry point — values at run time, type-only names by the compiler — and so is
 * every name its prose says "is exported".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../support/paths';

interface NamedImport {
  specifier: string;
  name: string;
  typeOnly: boolean;
}

/** The named imports from 'openai-admin' and 'openai-admin/…' in the Markdown's fenced code blocks. */
export function readmeImports(markdown: string): NamedImport[] {
  const found: NamedImport[] = [];
  for (const [, code] of markdown.matchAll(/^ *```[\w-]*\n([\s\S]*?)^ *```/gm)) {
    for (const [, typeAll, names, specifier] of code.matchAll(
      /\bimport\s+(type\s+)?\{([^}]*)\}\s*from\s*['"](openai-admin(?:\/[\w-]+)?)['"]/g,
    )) {
      for (const part of names
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const [, typeOne, name] = /^(type\s+)?(\w+)/.exec(part)!;
        found.push({ specifier, name, typeOnly: Boolean(typeAll || typeOne) });
      }
    }
  }
  return found;
}

/** Names the prose says are exported ("`rateLimitWait(headers, message, now)` is exported"): value exports of the index. */
export function proseExportClaims(markdown: string): NamedImport[] {
  return [...markdown.matchAll(/`(\w+)(?:\([^`]*\))?`\s+(?:is|are)\s+exported/g)].map(([, name]) => ({
    specifier: 'openai-admin',
    name,
    typeOnly: false,
  }));
}

/** The source file an import specifier resolves to, through package.json's "exports" (dist → source). */
function sourceOf(specifier: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const key = specifier === 'openai-admin' ? '.' : `.${specifier.slice('openai-admin'.length)}`;
  const target = pkg.exports[key]?.import.default;
  if (!target) throw new Error(`package.json exports no ${key} (imported as '${specifier}')`);
  return join(ROOT, target.replace(/^\.\/dist\/esm\//, '').replace(/\.js$/, '.ts'));
}

/** Every name the module exports, types included, as the compiler sees it. */
function compilerExports(file: string): Set<string> {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
    // Exports only: no ambient @types packages to load.
    types: [],
  });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return new Set(checker.getExportsOfModule(symbol).map((s) => s.name));
}

/** The README's imports that the package does not export, as `name from 'specifier'`. */
async function missingExports(imports: NamedImport[]): Promise<string[]> {
  const missing: string[] = [];
  for (const specifier of new Set(imports.map((i) => i.specifier))) {
    const file = sourceOf(specifier);
    const wanted = imports.filter((i) => i.specifier === specifier);
    const values = (await import(file)) as Record<string, unknown>;
    const types = wanted.some((i) => i.typeOnly) ? compilerExports(file) : new Set<string>();
    for (const { name, typeOnly } of wanted)
      if (typeOnly ? !types.has(name) : values[name] === undefined) missing.push(`${name} from '${specifier}'`);
  }
  return missing;
}

describe("README's named imports", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  test('every name README imports from openai-admin in a code block is exported by that entry point', async () => {
    const imports = readmeImports(readme);
    // The README's own claims, so that a parser that found nothing cannot pass.
    expect(imports).toEqual(
      expect.arrayContaining([
        { specifier: 'openai-admin', name: 'OpenAIAdmin', typeOnly: false },
        { specifier: 'openai-admin', name: 'RateLimitError', typeOnly: false },
        { specifier: 'openai-admin', name: 'RateLimitInfo', typeOnly: true },
        { specifier: 'openai-admin/testing', name: 'startEmulator', typeOnly: false },
      ]),
    );
    expect(await missingExports(imports)).toEqual([]);
  });

  test('every name the prose says is exported (`name(…)` is exported) is a value export of the index', async () => {
    expect(await missingExports(proseExportClaims(readme))).toEqual([]);
    expect(proseExportClaims('`rateLimitWait(headers, message, now)` is exported.')).toEqual([
      { specifier: 'openai-admin', name: 'rateLimitWait', typeOnly: false },
    ]);
  });

  test('the check reports a name the package does not export, a value import of a type, and a missing type', async () => {
    const markdown = [
      '```ts',
      "import { OpenAIAdmin, notExported, type Project, type NoSuchType } from 'openai-admin';",
      "import type { ClientOptions } from 'openai-admin';",
      "import { RateLimitWait } from 'openai-admin';",
      '```',
      "Prose is not code: import { proseOnly } from 'openai-admin'.",
    ].join('\n');
    const imports = readmeImports(markdown);
    expect(imports.map((i) => i.name)).toEqual([
      'OpenAIAdmin',
      'notExported',
      'Project',
      'NoSuchType',
      'ClientOptions',
      'RateLimitWait',
    ]);
    expect(await missingExports(imports)).toEqual([
      "notExported from 'openai-admin'",
      "NoSuchType from 'openai-admin'",
      "RateLimitWait from 'openai-admin'",
    ]);
  }, 60_000);
});
