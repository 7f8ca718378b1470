import { isUserFixableError } from "../../domain/errors.js";
import { printableLines } from "../../domain/printable.js";
import { explainSystemError } from "../../domain/system-errors.js";
import { AzureRequestError, azureNextStep, NotSignedInError } from "../../migration/errors.js";
import { EXIT } from "../exit-codes.js";
import { withCommandLine, type CommandLine } from "./command-line.js";
import { paint } from "./text.js";

export interface RenderedError {
  readonly exitCode: number;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

import { JSON_OUTPUT_VERSION } from "./json-version.js";
export { JSON_OUTPUT_VERSION };

/**
 * One clear message per error, for every face (the wizard, plain mode, the commands, `--json`): what happened, why, what next. Unknown errors are bugs and keep their stack. */
export function renderError(e: unknown, decorated: boolean, command?: CommandLine): RenderedError {
  const c = paint(decorated);
  const system = isUserFixableError(e) ? undefined : explainSystemError(e);
  if (system) return renderError(system, decorated, command);
  if (isUserFixableError(e)) {
    const d = { ...e.details, nextStep: withCommandLine(e.details.nextStep, command) };
    // Input echoed in a message (a path, a value, a file's bytes) never reaches the terminal as control characters.
    const lines = [c.red(`Error: ${printableLines(e.message)}`)];
    if (d.why) lines.push(`  Why:  ${printableLines(d.why)}`);
    lines.push(`  Next: ${printableLines(d.nextStep)}`);
    return {
      exitCode: d.kind === "state" ? EXIT.failed : EXIT.usage,
      text: lines.join("\n"),
      json: errorJson(d.kind === "state" ? "user-fixable" : "bad-input", e.message, d.nextStep, { why: d.why, source: d.source, field: d.field }),
    };
  }
  if (e instanceof NotSignedInError) {
    return {
      exitCode: EXIT.failed,
      text: [
        c.red("Error: not signed in to Azure."),
        `  Why:  ${e.message.split("\n")[0]}`,
        "  Next: run `az login` (and `az account set -s SUBSCRIPTION`), or try everything offline with --sandbox.",
      ].join("\n"),
      json: errorJson("not-signed-in", e.message, "Run `az login`, or try everything offline with --sandbox."),
    };
  }
  if (e instanceof AzureRequestError) {
    const facts = [e.status && `HTTP ${e.status}`, e.code, e.requestId && `request id ${e.requestId}`].filter(Boolean).join(", ");
    return {
      exitCode: EXIT.failed,
      text: [c.red(`Error: Azure refused ${e.operation}: ${e.message}`), `  (${facts})`, `  Next: ${azureNextStep(e.status, "again")}`].join("\n"),
      json: errorJson("azure", e.message, azureNextStep(e.status, "again"), {
        operation: e.operation,
        status: e.status,
        azureCode: e.code,
        requestId: e.requestId,
      }),
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
    json: errorJson("bug", err.message, "Report it with the stack.", { stack: err.stack }),
  };
}

/**
 * The `--json` error shape (on stderr): `code` says which kind of failure, `message` what happened, `next` what
 * to do; `kind` and `nextStep` repeat them under their earlier names, and the rest are the facts of that kind.
 */
function errorJson(code: string, message: string, next: string, facts: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemaVersion: JSON_OUTPUT_VERSION, error: { code, message, next, kind: code, nextStep: next, ...facts } };
}
