/**
 * The whole command tree: every operation, then the workflows, then `completion`. Loading this module loads every
 * workflow; main.ts does so only for a command line that may need one (workflows/roots.ts), so that `projects list`
 * starts without them (issue 17 §8).
 */
import { completionCommand } from './completion.js';
import { operationCommandList } from './operations.js';
import { buildTree, type TreeNode } from './tree.js';
import { GROUP_SUMMARIES, workflowCommands } from './workflows/index.js';

let tree: TreeNode | undefined;

/**
 * The whole tree, built once.
 *
 * @example
 * ```ts
 * locate(commandTree(), ['keys', 'stale']).node.command?.summary; // the workflow's one-line summary
 * ```
 */
export function commandTree(): TreeNode {
  tree ??= buildTree([...operationCommandList(), ...workflowCommands(), completionCommand], GROUP_SUMMARIES);
  return tree;
}
