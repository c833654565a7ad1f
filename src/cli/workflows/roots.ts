/**
 * The first words of every command that is not an API operation (the workflows and `completion`). A command line
 * whose first word is none of these and names an operation group needs only the operations' tree: main.ts then
 * leaves the workflows unloaded. A test checks this list against the workflows themselves.
 */
export const NON_OPERATION_ROOTS: ReadonlySet<string> = new Set([
  'apply',
  'audit-logs',
  'completion',
  'emulator',
  'export',
  'exporter',
  'keys',
  'ledger',
  'plan',
  'report',
  'tour',
]);
