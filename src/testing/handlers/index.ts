import type { Handlers } from './types.js';
import { certificateHandlers } from './certificates.js';
import { groupHandlers } from './groups.js';
import { organizationHandlers } from './organization.js';
import { projectMemberHandlers } from './projectMembers.js';
import { projectHandlers } from './projects.js';
import { roleHandlers } from './roles.js';
import { spendHandlers } from './spend.js';
import { usageHandlers } from './usage.js';

/** Every operation of openapi.yaml; the type makes a missing handler a compile error. */
export const handlers: Handlers = {
  ...projectHandlers,
  ...projectMemberHandlers,
  ...organizationHandlers,
  ...groupHandlers,
  ...roleHandlers,
  ...certificateHandlers,
  ...spendHandlers,
  ...usageHandlers,
};
