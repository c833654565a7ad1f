/**
 * Every TypeScript and JavaScript code block of README.md compiles under `strict`, against this package's sources
 * (`openai-admin` and its subpaths mapped to src/): each block is its own module, ESM for `ts` (top-level await as
 * the quick start uses), CommonJS for a `js` block that calls require. What a snippet leaves to the reader is
 * declared before it with the type it has in context (`admin`, `start_time`, `projectIds`); `{ … }` means "your
 * code" and becomes `{}`. A missing import or a possibly-undefined sum is a compile error here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../support/paths';

interface Block {
  lang: string;
  line: number;
  code: string;
}

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const m of markdown.matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```/gm)) {
    const line = markdown.slice(0, m.index).split('\n').length;
    blocks.push({ lang: m[2], line, code: m[3].replace(new RegExp(`^${m[1]}`, 'gm'), '') });
  }
  return blocks;
}

/** Names a snippet may use without declaring them: the context the README's prose gives them. */
const CONTEXT: Record<string, string> = {
  admin: "declare const admin: import('openai-admin').OpenAIAdmin;",
  start_time: 'declare const start_time: number;',
  projectIds: 'declare const projectIds: string[];',
};

function prepare(block: Block): string {
  const code = block.code.replace(/\{ … \}/g, '{}');
  const declares = Object.entries(CONTEXT)
    .filter(
      ([name, _]) => new RegExp(`\\b${name}\\b`).test(code) && !new RegExp(`\\b(const|let) ${name}\\b`).test(code),
    )
    .map(([, d]) => d);
  return `${declares.join('\n')}\n${code}\n${block.lang === 'ts' ? 'export {};\n' : ''}`;
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = codeBlocks(readme).filter((b) => b.lang === 'ts' || b.lang === 'js');

describe('README code blocks', () => {
  test('there are TypeScript blocks and a CommonJS one', () => {
    expect(blocks.filter((b) => b.lang === 'ts').length).toBeGreaterThanOrEqual(7);
    expect(blocks.some((b) => b.lang === 'js' && b.code.includes("require('openai-admin')"))).toBe(true);
  });

  test('every one type-checks under strict against the package sources', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readme-code-'));
    try {
      const files = blocks.map((b) => {
        const file = join(dir, `readme-line-${b.line}.${b.lang === 'ts' ? 'mts' : 'cjs'}`);
        writeFileSync(file, prepare(b));
        return file;
      });
      const program = ts.createProgram(files, {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        allowJs: true,
        checkJs: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        baseUrl: ROOT,
        paths: {
          'openai-admin': ['src/index.ts'],
          'openai-admin/testing': ['src/testing/index.ts'],
          'openai-admin/generated': ['generated/client/index.ts'],
        },
        allowImportingTsExtensions: true,
      });
      const problems = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file && files.includes(d.file.fileName))
        .map((d) => {
          const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
          return `${d.file!.fileName.replace(/.*readme-line-/, 'README.md block at line ')} (+${line}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        });
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
