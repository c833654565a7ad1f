/** What one sync run reports. */

export interface SyncChange {
  kind:
    | 'operation added'
    | 'component added'
    | 'parameter added'
    | 'parameter changed'
    | 'property added'
    | 'property changed'
    | 'enum value added'
    | 'flagged';
  /** JSON pointer of the node in openapi.yaml. */
  pointer: string;
  detail: string;
}

export interface SyncResult {
  text: string;
  changes: SyncChange[];
}
