import type { MigrationRecord } from "../domain/audit.js";
import type { MigrationPlan } from "../domain/plan.js";
import type { MigrationPort, Rehearser, WorkspaceTarget } from "../migration/port.js";
import type { ReadRequests } from "../migration/replay-inputs.js";
import type { SessionStore } from "../session/journal.js";
import type { SessionTarget } from "../session/session-file.js";
import type { CommandLine } from "./text/command-line.js";

export interface SubscriptionChoice {
  readonly subscriptionId: string;
  readonly displayName: string;
  readonly tenantId?: string;
}

export interface WorkspaceChoice extends WorkspaceTarget {
  readonly discoveryUrl: string;
}

/** Who the wizard works as: shown on every screen. */
export type Identity =
  | { readonly kind: "sandbox"; readonly endpoint: string }
  | { readonly kind: "azure"; readonly account?: string; readonly tenantId?: string; readonly cloud: string };

/**
 * Everything the wizard needs from the outside world. `src/cli/` builds it from `src/azure/` (or the sandbox);
 * the UI never imports Azure code, so tests can run it against the sandbox through the real clients.
 */
export interface JourneyBackend {
  readonly kind: SessionTarget["kind"];
  readonly armEndpoint: string;
  identity(): Promise<Identity>;
  listSubscriptions(): Promise<SubscriptionChoice[]>;
  listWorkspaces(subscriptionId: string): Promise<WorkspaceChoice[]>;
  /** The workspace's v1 services in the model-management shape (expanded). */
  listServices(ws: WorkspaceChoice): Promise<Record<string, unknown>[]>;
  /** Service name → the managed endpoint migrated from it, read from Azure's `migrated-from` tags. */
  listMigrated(ws: WorkspaceChoice): Promise<Map<string, string>>;
  /** As listMigrated, with the session that made each endpoint (its `aci-migrate-session` tag): what `audit` reports. */
  listMigrations(ws: WorkspaceChoice): Promise<Map<string, MigrationRecord>>;
  deleteV1Service(ws: WorkspaceTarget, name: string): Promise<void>;
  readonly port: MigrationPort;
  /** Runs a service on this machine in the managed layout (the review's "Rehearse on this machine"). */
  readonly rehearser?: Rehearser;
  /** Reads a `--requests` file or folder a session replays before traffic moves (a session made by `migrate --requests`). */
  readonly readRequests?: ReadRequests;
  readonly sessions: SessionStore;
  /** The sandbox's CA certificate (public), for the callers' kit's curl line; absent on Azure. */
  readonly sandboxCaPem?: string;
  /** Where exported YAML goes (a folder per service is made under it). */
  readonly exportDir: string;
  /** How a command printed for the person starts (the flags that reach this Azure and this journal). */
  readonly command: CommandLine;
  /**
   * Writes the plan's `az ml` YAML into `exportDir/<service>/` as `plan -w … --out` does: the README's commands
   * name the workspace, `code/` holds the scoring code (the folder given, else the v1 snapshot read from `doc`).
   * Resolves with the folder and the files written.
   */
  exportYaml(plan: MigrationPlan, from: { ws: WorkspaceTarget; codeDir?: string; doc?: Record<string, unknown> }): Promise<{ dir: string; files: string[] }>;
}
