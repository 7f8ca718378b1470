import type { PlanOverrides } from "../domain/plan.js";
import type { StepError, StepName } from "../session/session-file.js";

/** What the user must do to sign in with a device code: open the address and enter the code. */
export interface SignInPrompt {
  readonly message: string;
  readonly verificationUri: string;
  readonly userCode: string;
}

/** What the engine may be told when it meets something it must not decide alone. */
export type InputChoice = "retry" | "adapt" | "stop" | "accept";

/** Plan changes that can be made while a service is mid-migration (the endpoint and its names stay). */
export type AdaptOverrides = Pick<PlanOverrides, "sku" | "instanceCount" | "requestTimeoutMs" | "environment">;

export type InputAnswer =
  { readonly choice: "retry" } | { readonly choice: "adapt"; readonly overrides: AdaptOverrides } | { readonly choice: "stop" } | { readonly choice: "accept" };

/**
 * A resource the engine found that does not match the plan: one that failed in an earlier run (`failed-earlier`),
 * one whose operation just failed (`failed-now`), or one that runs differently from the plan (`differs`).
 * `retry` applies the plan again, `adapt` applies it with changed settings, `stop` leaves everything as it is
 * (the session stays resumable). A replay whose comparison does not pass (`disagrees`) asks `accept` (move the
 * traffic anyway) or `stop`; `report` names its report.
 */
export interface InputRequest {
  readonly service: string;
  readonly step: StepName;
  readonly situation: "failed-earlier" | "failed-now" | "differs" | "disagrees";
  readonly resource: "endpoint" | "deployment";
  readonly message: string;
  readonly differences?: readonly { readonly field: string; readonly planned: string; readonly actual: string }[];
  readonly error?: StepError;
  /** A replay's report (its HTML page), for a `disagrees` question. */
  readonly report?: string;
  readonly choices: readonly InputChoice[];
}

/**
 * Everything the engine says, as one discriminated union: the wizard, the plain mode and `--json` are three
 * renderers of the same stream (docs/architecture.md).
 */
export type MigrationEvent =
  | { readonly type: "session-started"; readonly sessionId: string; readonly services: readonly string[]; readonly resumed: boolean }
  | { readonly type: "step-started"; readonly service: string; readonly step: StepName }
  | {
      readonly type: "step-progress";
      readonly service: string;
      readonly step: StepName;
      readonly message: string;
      readonly lro?: { readonly status: string; readonly percentComplete?: number };
    }
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
      /** The kit written for the service's callers: its folder, and the key and curl lines to paste as they are. */
      readonly callersKit?: { readonly dir: string; readonly shell: readonly string[] };
    }
  /** `respond` is the continuation: the engine waits for it (renderers that print JSON drop it). */
  | ({ readonly type: "needs-input"; readonly respond: (answer: InputAnswer) => void } & InputRequest)
  | { readonly type: "input-received"; readonly service: string; readonly step: StepName; readonly answer: InputAnswer }
  /** Device-code sign-in is waiting for the user (emitted by the front end's connection, before or during a run). */
  | ({ readonly type: "sign-in" } & SignInPrompt)
  /** Something the user should know that does not stop the run (a subscription that could not be read, say). */
  | { readonly type: "notice"; readonly message: string }
  | { readonly type: "session-finished"; readonly sessionId: string; readonly status: "done" | "failed" | "cancelled" };

export type EmitEvent = (event: MigrationEvent) => void;
