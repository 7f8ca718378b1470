import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { UserFixableError } from "../../domain/errors.js";
import { SessionStore } from "../../session/journal.js";
import { replayVerdictText } from "../../report/replay-words.js";
import { STEP_NAMES, type SessionFile } from "../../session/session-file.js";
import type { CommandIo } from "../io.js";
import { optionsOf } from "../options.js";
import { printJson } from "../render/json-output.js";
import { printable } from "../../domain/printable.js";
import { EXIT } from "../../journey/exit-codes.js";
import { renderError } from "../../journey/text/error-text.js";
import { columns } from "../../journey/text/text.js";
import { stateDirOf } from "../state-dir-option.js";
import { sessionIdOf } from "../session-id.js";
import { standingOf } from "../../session/superseded.js";

export async function runSessions(io: CommandIo, action: string | undefined, given: string | undefined, _local: unknown, cmd: Command): Promise<void> {
  const opts = optionsOf<object>(cmd);
  const store = new SessionStore(stateDirOf(cmd));
  if (action === undefined) return listSessions(io, store, Boolean(opts.json));
  if (action !== "show" && action !== "forget") {
    throw new UserFixableError(`sessions does not know "${action}".`, {
      nextStep: "Use `aci-migrate sessions`, `sessions show ID` or `sessions forget ID`.",
      kind: "input",
    });
  }
  if (!given)
    throw new UserFixableError(`sessions ${action} needs a session id.`, {
      nextStep: "List them with `aci-migrate sessions` (the id is the first column), or say `latest` for the newest.",
      kind: "input",
    });
  const id = sessionIdOf(store, given);
  if (action === "forget") {
    store.forget(id);
    return opts.json ? printJson(io, { forgotten: id }) : io.out(`Forgot session ${id} (Azure resources it created are untouched).`);
  }
  // Read-only: no lock, so a session another process is driving can be looked at too.
  if (!existsSync(store.fileOf(id)))
    throw new UserFixableError(`There is no session ${id} in ${store.stateDir}.`, {
      nextStep: "List them with `aci-migrate sessions` (the same --state-dir as the run that made it).",
      kind: "input",
    });
  const data = store.read(store.fileOf(id)); // reports unreadable and newer files
  if (opts.json) return printJson(io, { session: data });
  io.out(renderSession(data, existsSync(store.logsDirOf(id)) ? store.logsDirOf(id) : undefined));
}

function listSessions(io: CommandIo, store: SessionStore, json: boolean): void {
  const list = store.list();
  // The readable ones are all listed; an unreadable one is marked, and the exit code says something needs a look.
  const bad = list.filter((s) => s.problem).length;
  const problem = bad
    ? new UserFixableError(`${bad} session file${bad > 1 ? "s are" : " is"} unreadable (marked in the list).`, {
        why: "A file of the sessions folder was damaged or put there by hand; it is left exactly as it is.",
        nextStep: `Move it out of ${join(store.stateDir, "sessions")} (or restore it from a backup); the other sessions are unaffected.`,
        kind: "state",
      })
    : undefined;
  if (problem) process.exitCode = EXIT.failed;
  if (json) {
    printJson(io, {
      sessions: list.map((s) => ({
        id: s.id,
        file: s.file,
        problem: s.problem,
        status: standingOf(store, s, list),
        workspace: s.session?.target.workspace,
        services: s.session?.services.map((x) => ({ name: x.name, outcome: x.outcome?.status ?? "unfinished" })),
      })),
    });
    if (problem) io.err(JSON.stringify(renderError(problem, false).json));
    return;
  }
  if (!list.length) return io.out("No sessions yet. Start one with `aci-migrate migrate`.");
  io.out(
    columns(
      list.map((s) =>
        s.session
          ? [
              s.id,
              standingOf(store, s, list) ?? s.session.status,
              s.session.target.workspace,
              s.session.services.map((x) => `${x.name}:${x.outcome?.status ?? "unfinished"}`).join(", "),
            ]
          : [printable(s.id, 40), "unreadable", "", s.problem ?? ""],
      ),
    ),
  );
  if (problem) io.err(renderError(problem, io.decorated).text);
}

/** One session as text: where, and per service its plan, each step and what it left in Azure. */
function renderSession(s: SessionFile, logsDir?: string): string {
  const out = [
    `Session ${s.id} · ${s.status} · ${s.target.kind === "sandbox" ? "sandbox" : "Azure"} workspace ${s.target.workspace} (${s.target.resourceGroup}, ${s.target.location})`,
    `  created ${s.createdAt}, updated ${s.updatedAt}`,
  ];
  for (const svc of s.services) {
    out.push(
      "",
      `${svc.name} → ${svc.plan.endpointName}/${svc.plan.deploymentName} · ${svc.plan.instanceCount} × ${svc.plan.sku.name ?? "?"} · ${svc.outcome?.status ?? "unfinished"}`,
    );
    out.push(
      columns(
        STEP_NAMES.map((n) => [n, svc.steps[n].status, svc.steps[n].error?.message.split("\n")[0] ?? svc.steps[n].detail ?? ""]),
        "    ",
      ),
    );
    if (svc.resources.scoringUri) out.push(`    scoring URI ${svc.resources.scoringUri}`);
    if (svc.outcome?.smokeTest) out.push(`    smoke test ${svc.outcome.smokeTest.status}: ${svc.outcome.smokeTest.detail}`);
    const replay = svc.replay?.report;
    if (replay) out.push(`    replay ${replayVerdictText(replay)}; its report:`, `    ${replay.file}`);
  }
  if (logsDir) out.push("", `Container logs, in full: ${logsDir}`);
  return out.join("\n");
}
