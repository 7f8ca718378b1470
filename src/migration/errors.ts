import { isUserFixableError } from "../domain/errors.js";
import { explainSystemError, isCertificateProblem, systemCodeIn } from "../domain/system-errors.js";
import type { StepError } from "../session/session-file.js";

/** A failed Azure call: enough to act on (status, code) and to report (request id, operation). */
export class AzureRequestError extends Error {
  override readonly name = "AzureRequestError";
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly requestId: string | undefined,
    readonly operation: string,
  ) {
    super(message);
  }
}

/** Not signed in, or the Azure CLI is missing: the user fixes it with `az login`. */
export class NotSignedInError extends Error {
  override readonly name = "NotSignedInError";
}

/** A long-running operation that Azure finished as Failed, with what it said and the container's last lines. */
export class OperationFailedError extends Error {
  override readonly name = "OperationFailedError";
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly operation: string,
    /** The request that started the operation (its x-ms-request-id): what Azure support asks for. */
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** The one shape every front end renders a failed step from (and the journal stores). */
export function toStepError(e: unknown): StepError {
  if (isUserFixableError(e))
    return { kind: "user-fixable", message: e.message, nextStep: e.details.nextStep, ...(e.details.code ? { code: e.details.code } : {}) };
  // A stopped sandbox, a full disk, an untrusted certificate: said as what it is, with what to do.
  const system = explainSystemError(e);
  if (system) return { kind: "user-fixable", message: system.message, nextStep: system.details.nextStep };
  if (e instanceof AzureRequestError)
    return { kind: "azure", message: e.message, status: e.status, code: e.code, requestId: e.requestId, nextStep: azureNextStep(e.status) };
  if (e instanceof OperationFailedError) return { kind: "azure", message: e.message, code: e.code, ...(e.requestId ? { requestId: e.requestId } : {}) };
  if (e instanceof NotSignedInError) return { kind: "user-fixable", message: "Not signed in to Azure.", nextStep: "Run `az login`, then resume." };
  return { kind: "bug", message: e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e) };
}

/**
 * Failures worth another try: throttling, server errors, timeouts and dropped connections. A step that hit one is
 * run again from its reconciliation, so an operation whose outcome was not learned is never repeated blindly.
 */
export function isTransient(e: unknown): boolean {
  if (e instanceof AzureRequestError) {
    // An untrusted certificate fails the same way every time: not worth another try.
    if (e.status === undefined)
      return (e.code === "REQUEST_SEND_ERROR" && !isCertificateProblem(systemCodeIn(e.message))) || e.code === "ECONNRESET" || e.code === "ETIMEDOUT";
    // 409: another operation on the resource is still running (Azure's "Conflict"); the step's reconciliation
    // attaches to it on the next try instead of failing the migration.
    return e.status === 408 || e.status === 409 || e.status === 429 || e.status >= 500;
  }
  const code = (e as { code?: string } | null)?.code;
  return code === "ECONNRESET" || code === "ETIMEDOUT" || code === "EPIPE" || code === "REQUEST_SEND_ERROR";
}

/**
 * What to do about an Azure refusal, by its status. Inside a migration the way on is `resume`; before one has
 * started (listing, planning, discovery) there is nothing to resume, so the advice is to run the command again.
 */
export function azureNextStep(status: number | undefined, then: "resume" | "again" = "resume"): string {
  const retry = then === "resume" ? "resume" : "run the same command again";
  if (status === 401 || status === 403)
    return `Your account lacks a permission here: ask for Contributor (or AzureML Data Scientist) on the workspace, or \`az login\` again if the session expired; then ${retry}.`;
  if (status === 404) return "Check the subscription, resource group and workspace names.";
  if (status === 409) return `Another operation is running on that resource; wait a minute and ${retry}.`;
  if (status === 413)
    return "The request was larger than Azure takes in one piece; this is a limit aci-migrate should have kept to, so please report it with the request id.";
  if (status === 429 || (status ?? 0) >= 500) return `Azure is busy or failing; wait a minute and ${retry}${then === "resume" ? " (nothing is lost)" : ""}.`;
  return `Fix what the message says and ${retry}; quote the request id if you contact Azure support.`;
}
