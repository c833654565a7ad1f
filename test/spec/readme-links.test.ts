/**
 * Every README link resolves where people read it: on the registry page, where a relative link points nowhere
 * and docs/api (typedoc output) is not committed. So links are absolute URLs; those into this repository name a
 * file that exists (a line anchor into generated code lands on the class it names), and `#anchors` a heading.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceBaseOf } from '../../scripts/lib/resources-gen';
import { ROOT } from '../support/paths';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const base = sourceBaseOf(pkg);
/** Markdown links outside code blocks: [text](target). */
const links = [...readme.replace(/```[\s\S]*?```/g, '').matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
/** GitHub's heading slugs: lower case, punctuation dropped, spaces to dashes. */
const slugs = new Set(
  [...readme.matchAll(/^#+\s+(.+)$/gm)].map((m) =>
    m[1]
      .trim()
      .toLowerCase()
      .replace(/[^\w\- ]/g, '')
      .replace(/ /g, '-'),
  ),
);

describe('README links', () => {
  test('package.json names the repository, homepage and issue tracker the links use', () => {
    expect(base).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/main\/$/);
    const repo = base.replace(/blob\/main\/$/, '');
    expect(pkg.homepage).toBe(`${repo.replace(/\/$/, '')}#readme`);
    expect(pkg.bugs.url).toBe(`${repo}issues`);
  });

  test('there are links, and none is relative', () => {
    expect(links.length).toBeGreaterThan(40);
    expect(links.filter((l) => !/^(https:\/\/|#)/.test(l))).toEqual([]);
  });

  test('links into the repository name committed files (no docs/api), line anchors land on the class named', () => {
    const own = links.filter((l) => l.startsWith(base));
    expect(own.length).toBeGreaterThan(30);
    for (const link of own) {
      const [path, anchor] = link.slice(base.length).split('#');
      expect([path, existsSync(join(ROOT, path))]).toEqual([path, true]);
      expect(path).not.toMatch(/^docs\/api\//);
      if (anchor?.startsWith('L')) {
        const line = readFileSync(join(ROOT, path), 'utf8').split('\n')[Number(anchor.slice(1)) - 1];
        expect(line).toMatch(/^export class \w+ /);
      }
    }
  });

  test('in-page anchors name a heading of the README', () => {
    for (const anchor of links.filter((l) => l.startsWith('#')))
      expect([anchor, slugs.has(anchor.slice(1))]).toEqual([anchor, true]);
  });
});
