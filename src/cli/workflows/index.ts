/** The workflows admins ask for, as commands beside the API operations. */
import type { Command } from '../command.js';
import { auditLogsTail } from './audit-tail.js';
import { emulator } from './emulator-command.js';
import { exportFocus } from './export-focus.js';
import { keysRotate, keysStale } from './keys-commands.js';
import { exporter } from './exporter-command.js';
import { ledgerSync } from './ledger-command.js';
import { orgApply, orgExport, orgPlan } from './org-commands.js';
import { reportSpend } from './report-command.js';
import { tour } from './tour.js';

/** One-line descriptions of command groups that are not API resources. */
export const GROUP_SUMMARIES: Record<string, string> = {
  report: 'Reports built from several endpoints (spend).',
  keys: 'Project and admin API keys across the organization: stale keys, rotation.',
  export: 'Datasets for other tools: the FinOps FOCUS cost-and-usage file.',
  ledger: 'A revision-aware usage and cost ledger on SQLite or Postgres.',
};

export function workflowCommands(): Command[] {
  return [
    reportSpend,
    keysStale,
    keysRotate,
    auditLogsTail,
    tour,
    emulator,
    exportFocus,
    ledgerSync,
    exporter,
    orgExport,
    orgPlan,
    orgApply,
  ];
}
