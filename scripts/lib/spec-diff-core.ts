/**
 * Diff of an upstream OpenAPI document's admin part against the curated openapi.yaml: the entry point. The work is
 * split by job under ./spec-diff/: pairing operations and parameters (operations.ts), flattening schemas into logical
 * nodes (flatten.ts), comparing them (compare-schemas.ts) and the parts of an operation (compare-operation.ts),
 * classifying each difference as documented or unexplained by the x-curation notes (classify.ts), and the reports
 * (render.ts). diff.ts says which curated nodes are searched for notes.
 */
export type { Area, Change, Classification, DiffResult, Difference } from './spec-diff/types';
export { diffSpecs } from './spec-diff/diff';
export { flattenSchema, type FlatNode } from './spec-diff/flatten';
export { renderReport, renderSummary } from './spec-diff/render';
