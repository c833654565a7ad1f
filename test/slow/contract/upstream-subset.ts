/**
 * The admin part of the upstream OpenAI spec (paths under /organization and /projects, the components they reference
 * transitively, all security schemes), as a temporary JSON file that Prism can serve. The source is the vendored
 * subset (scripts/upstream/openai-openapi.admin.yaml); adminSubset() is applied again so that pointing UPSTREAM_FILE
 * at a full upstream file also works.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminSubset } from '../../../scripts/lib/admin-subset';
import { loadSpec, type Spec } from '../../../scripts/lib/spec';
import { UPSTREAM_FILE } from '../../support/paths';

export { adminSubset };

/** Writes the subset to a fresh temp directory; returns the file path and the subset. */
export function writeUpstreamSubset(): { file: string; spec: Spec; dir: string } {
  const spec = adminSubset(loadSpec(UPSTREAM_FILE));
  const dir = mkdtempSync(join(tmpdir(), 'openai-admin-upstream-'));
  const file = join(dir, 'upstream-admin.json');
  writeFileSync(file, JSON.stringify(spec));
  return { file, spec, dir };
}
