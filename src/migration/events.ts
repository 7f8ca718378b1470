import type { StepError, StepName } from "../session/session-file.js";

/**
 * Everything the engine says, as one discriminated union: the wizard, the plain mode and `--json` are three
 * renderers of the same stream (DESIGN.md §3).
 */
export type MigrationEvent =
  | { readonly type: "session-started"; readonly sessionId: string; readonly services: readonly string[]; readonly resumed: boolean }
  | { readonly type: "step-started"; readonly service: string; readonly step: StepName }
  | { readonly type: "step-progress"; readonly service: string; readonly step: StepName; readonly message: string; readonly lro?: { readonly status: string; readonly percentComplete?: number } }
  | { readonly type: "log-lines"; readonly service: string; readonly container: "StorageInitializer" | "InferenceServer"; readonly lines: readonly string[] }
  | { readonly type: "step-finished"; readonly service: string; readonly step: StepName; readonly outcome: "done" | "skipped"; readonly detail: string }
  | { readonly type: "step-failed"; readonly service: string; readonly step: StepName; readonly error: StepError }
  | {
      readonly type: "service-finished";
      readonly service: string;
      readonly status: "migrated" | "failed" | "blocked" | "cancelled";
      readonly endpointName: string;
      readonly deploymentName: string;
      readonly scoringUri?: string;
      readonly smokeTest?: { readonly status: "passed" | "failed" | "skipped"; readonly detail: string };
    }
  | { readonly type: "session-finished"; readonly sessionId: string; readonly status: "done" | "failed" | "cancelled" };

export type EmitEvent = (event: MigrationEvent) => void;
