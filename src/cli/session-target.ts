import type { WorkspaceTarget } from "../migration/port.js";
import { sameWorkspace, workspaceFields } from "../migration/workspace-place.js";
import type { SessionTarget } from "../session/session-file.js";
import type { ConnectedSession } from "./connect.js";

/** A new session's target: where its services are, on this Azure (or sandbox), and another workspace they go into. */
export function sessionTarget(connected: ConnectedSession, ws: WorkspaceTarget, into?: WorkspaceTarget): SessionTarget {
  return {
    kind: connected.sandbox ? "sandbox" : "azure",
    armEndpoint: connected.conn.armEndpoint,
    ...workspaceFields(ws),
    ...(into && !sameWorkspace(into, ws) ? { into: workspaceFields(into) } : {}),
  };
}
