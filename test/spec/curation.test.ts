import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCurated, listCurations } from '../../scripts/lib/curations';
import { ROOT, curatedSpec } from '../support/paths';

describe('generated/CURATION.md', () => {
  const markdown = readFileSync(join(ROOT, 'generated', 'CURATION.md'), 'utf8');
  const curations = listCurations(curatedSpec());

  it('lists as many notes as openapi.yaml carries', () => {
    expect(curations.length).toBeGreaterThan(0);
    expect(markdown).toContain(`${curations.length} notes.`);
    const rows = markdown.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(curations.length);
  });

  it('names the node of every note', () => {
    const missing = curations
      .filter((c) => !markdown.includes(`| \`${c.pointer.replace(/\|/g, '\\|')}\` |`))
      .map((c) => c.pointer);
    expect(missing).toEqual([]);
  });

  it('every listed node is recognised as curated', () => {
    expect(
      curations.filter((c) => c.pointer !== '/' && !isCurated(curatedSpec(), c.pointer)).map((c) => c.pointer),
    ).toEqual([]);
  });
});
