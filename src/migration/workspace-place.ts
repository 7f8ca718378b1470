import type { WorkspaceTarget } from "./port.js";

/** Whether two workspace coordinates name the same workspace (Azure's names are case-insensitive). */
export const sameWorkspace = (a: WorkspaceTarget, b: WorkspaceTarget): boolean =>
  `${a.subscriptionId}/${a.resourceGroup}/${a.workspace}`.toLowerCase() === `${b.subscriptionId}/${b.resourceGroup}/${b.workspace}`.toLowerCase();

/** A workspace's coordinates alone (a summary read from Azure carries more, such as its discovery URL). */
export const workspaceFields = (w: WorkspaceTarget): WorkspaceTarget => ({
  subscriptionId: w.subscriptionId,
  resourceGroup: w.resourceGroup,
  workspace: w.workspace,
  location: w.location,
});
