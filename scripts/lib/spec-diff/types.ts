/** The vocabulary of a spec diff: what differs, where, and whether an x-curation note explains it. */
import type { Site } from '../curations';

export type Area = 'operation' | 'operationId' | 'status' | 'parameter' | 'requestBody' | 'response';
/** `added`: upstream has it, openapi.yaml does not. `removed`: openapi.yaml has it, upstream does not. */
export type Change = 'added' | 'removed' | 'changed';
export type Classification = 'documented' | 'unexplained';

export interface Difference {
  /** "GET /organization/projects" */
  operation: string;
  area: Area;
  change: Change;
  /** What differs inside the area: a parameter ("query limit"), a status code, a schema location ("200 data[].role"). */
  subject: string;
  /** Human-readable upstream-vs-curated description. */
  detail: string;
  classification: Classification;
  /** JSON pointer (in openapi.yaml) of the node where the difference occurs, or its nearest existing ancestor. */
  pointer?: string;
  /** The x-curation notes that document it, with the pointer of the node carrying each. */
  notes: { pointer: string; note: string }[];
}

export interface DiffResult {
  upstreamOperations: number;
  curatedOperations: number;
  differences: Difference[];
  documented: number;
  unexplained: number;
}

/** A difference as the comparers find it: not yet classified, with the curated sites whose notes may explain it. */
export type Finding = Omit<Difference, 'classification' | 'notes' | 'operation' | 'area'> & { sites: Site[] };

/** Receives the findings of one comparer. */
export type Emit = (finding: Finding) => void;
