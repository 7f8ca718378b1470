import type { WorkspaceTarget } from "../migration/port.js";
import type { SessionTarget } from "../session/session-file.js";
import type { ConnectedSession } from "./connect.js";

const placeOf = (w: WorkspaceTarget) => `${w.subscriptionId}/${w.resourceGroup}/${w.workspace}`.toLowerCase();
const fieldsOf = (w: WorkspaceTarget): WorkspaceTarget => ({
  subscriptionId: w.subscriptionId,
  resourceGroup: w.resourceGroup,
  workspace: w.workspace,
  location: w.location,
});

/** A new session's target: where its services are, on this Azure (or sandbox), and another workspace they go into. */
export function sessionTarget(connected: ConnectedSession, ws: WorkspaceTarget, into?: WorkspaceTarget): SessionTarget {
  return {
    kind: connected.sandbox ? "sandbox" : "azure",
    armEndpoint: connected.conn.armEndpoint,
    ...fieldsOf(ws),
    ...(into && placeOf(into) !== placeOf(ws) ? { into: fieldsOf(into) } : {}),
  };
}
