import { AzureRequestError, NotSignedInError } from "../../azure/azure-error.js";
import { azureNextStep } from "../../migration/errors.js";
import { isUserFixableError } from "../../domain/errors.js";
import { EXIT } from "../exit-codes.js";
import { paint } from "./text.js";

export interface RenderedError {
  readonly exitCode: number;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

/** One clear message per error: what happened, why, what next. Unknown errors are bugs and keep their stack. */
export function renderError(e: unknown, decorated: boolean): RenderedError {
  const c = paint(decorated);
  if (isUserFixableError(e)) {
    const d = e.details;
    const lines = [c.red(`Error: ${e.message}`)];
    if (d.why) lines.push(`  Why:  ${d.why}`);
    lines.push(`  Next: ${d.nextStep}`);
    return {
      exitCode: d.kind === "state" ? EXIT.failed : EXIT.usage,
      text: lines.join("\n"),
      json: { error: { kind: d.kind === "state" ? "user-fixable" : "bad-input", message: e.message, why: d.why, nextStep: d.nextStep, source: d.source, field: d.field } },
    };
  }
  if (e instanceof NotSignedInError) {
    return {
      exitCode: EXIT.failed,
      text: [c.red("Error: not signed in to Azure."), `  Why:  ${e.message.split("\n")[0]}`, "  Next: run `az login` (and `az account set -s SUBSCRIPTION`), or try everything offline with --sandbox."].join("\n"),
      json: { error: { kind: "not-signed-in", message: e.message, nextStep: "az login" } },
    };
  }
  if (e instanceof AzureRequestError) {
    const facts = [e.status && `HTTP ${e.status}`, e.code, e.requestId && `request id ${e.requestId}`].filter(Boolean).join(", ");
    return {
      exitCode: EXIT.failed,
      text: [c.red(`Error: Azure refused ${e.operation}: ${e.message}`), `  (${facts})`, `  Next: ${azureNextStep(e.status)}`].join("\n"),
      json: { error: { kind: "azure", operation: e.operation, status: e.status, code: e.code, requestId: e.requestId, message: e.message } },
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    exitCode: EXIT.failed,
    text: [
      c.red(`Internal error: ${err.message}`),
      "  This is a bug in aci-migrate, not something you did. Please report it with the lines below.",
      c.dim(err.stack ?? ""),
    ].join("\n"),
    json: { error: { kind: "bug", message: err.message, stack: err.stack } },
  };
}

