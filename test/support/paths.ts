/** Repository paths the suites share, and the specs parsed once per test file. */
import { join } from 'node:path';
import { loadSpec, type Spec } from '../../scripts/lib/spec';

export const ROOT = join(__dirname, '..', '..');
export const CURATED_FILE = join(ROOT, 'openapi.yaml');
/** The admin part of upstream's spec, vendored with its source and date (scripts/upstream/SOURCE.md): tests are hermetic. */
export const UPSTREAM_FILE = join(ROOT, 'scripts', 'upstream', 'openai-openapi.admin.yaml');

let curated: Spec | undefined;
let upstream: Spec | undefined;
/** Parsed once per test file; callers must not mutate it (clone with structuredClone first). */
export const curatedSpec = () => (curated ??= loadSpec(CURATED_FILE));
export const upstreamSpec = () => (upstream ??= loadSpec(UPSTREAM_FILE));
