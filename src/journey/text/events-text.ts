import type { MigrationEvent } from "../../migration/events.js";
import { bareCommandLine, followUp, withCommandLine, type CommandLine } from "./command-line.js";
import { paint } from "./text.js";

/** The plain renderer of the engine's event stream: one line per thing that happened. */
export function renderEventLine(e: MigrationEvent, decorated: boolean, command: CommandLine = bareCommandLine): string | undefined {
  const c = paint(decorated);
  switch (e.type) {
    case "session-started":
      return c.bold(`${e.resumed ? "Resuming" : "Starting"} session ${e.sessionId}: ${e.services.join(", ")}`);
    case "step-started":
      return c.dim(`  … ${e.service} · ${e.step}`);
    case "step-progress":
      return c.dim(`    ${e.service} · ${e.step}: ${e.message}`);
    case "log-lines":
      return e.lines.map((l) => c.dim(`    ${e.service} [${e.container}] ${l}`)).join("\n");
    case "step-finished":
      return `  ${c.green("✓")} ${e.service} · ${e.step}: ${e.detail}`;
    case "step-failed":
      return [
        `  ${c.red("✗")} ${e.service} · ${e.step}: ${e.error.message.split("\n")[0]}`,
        ...(e.error.nextStep ? [`      Next: ${withCommandLine(e.error.nextStep, command)}`] : []),
        ...(e.error.requestId ? [`      (request id ${e.error.requestId})`] : []),
      ].join("\n");
    case "service-finished":
      return e.status === "migrated"
        ? c.green(
            `${e.service} → ${e.endpointName}/${e.deploymentName} migrated: ${e.scoringUri ?? ""}${e.smokeTest ? ` (smoke test ${e.smokeTest.status}: ${e.smokeTest.detail})` : ""}`,
          )
        : c.red(`${e.service}: ${e.status}`);
    case "needs-input":
      return [`  ${c.yellow("?")} ${e.service} · ${e.step}: ${e.message}`, `      Choices: ${e.choices.join(", ")}`].join("\n");
    case "input-received":
      return c.dim(`    ${e.service} · ${e.step}: answered ${e.answer.choice}${e.answer.choice === "adapt" ? ` ${JSON.stringify(e.answer.overrides)}` : ""}`);
    case "sign-in":
      return c.bold(`Sign in: ${e.message}`);
    case "notice":
      return c.yellow(`Note: ${e.message}`);
    case "session-finished":
      return e.status === "done" ? c.bold(`Session ${e.sessionId} done.`) : sessionStopLine(e.sessionId, e.status, command);
  }
}

/** How a run that did not finish is said, in every face: what goes on in Azure, and the command to continue. */
export function sessionStopLine(sessionId: string, status: "failed" | "cancelled", command: CommandLine): string {
  const what =
    status === "cancelled"
      ? `Left session ${sessionId}: anything already started keeps running in Azure.`
      : `Session ${sessionId} stopped with a failure; nothing is lost.`;
  return `${what} Continue with: ${followUp(command, `resume ${sessionId}`)}`;
}
