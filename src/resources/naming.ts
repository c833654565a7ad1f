import type { OperationName } from '../core/types/operation.js';
import { FRIENDLY_ALIASES as ALIASES, FRIENDLY_NAMES as NAMES } from '../../generated/friendly-names.gen.js';

/**
 * The friendly name of every operation: its path on an `OpenAIAdmin` client (`'projects.users.roles.assign'`
 * means `admin.projects.users.roles.assign(…)`). Generated from `x-friendly-name` in openapi.yaml, where
 * `npm run generate` checks that every operation has one and that no two clash.
 */
export const FRIENDLY_NAMES: Readonly<Record<OperationName, string>> = NAMES;

/**
 * Former friendly names that still work as deprecated methods, each with its replacement
 * (`'projects.users.create'` → `'projects.users.add'`). They go in 1.0.
 */
export const FRIENDLY_ALIASES: Readonly<Record<string, string>> = ALIASES;
