import { UserFixableError } from "../domain/errors.js";
import { startSession } from "../migration/start-session.js";
import type { WorkspaceTarget } from "../migration/port.js";
import { stoppedAt } from "../session/session-file.js";
import { standingOf } from "../session/superseded.js";
import type { Identity, JourneyBackend, WorkspaceChoice } from "./backend.js";
import { checkDraftScript, endpointPlace, lookAtRegion, newDraft, type Draft, type WorkspaceContext } from "./draft.js";
import { askSharedChange, withSharedChanges, type SharedChange } from "./shared-change.js";
import { closeRun, followRun } from "./follow-run.js";
import { BACK, PromptCancelled, type Back, type Prompter } from "./prompter.js";
import { reviewService } from "./review.js";
import { rollbackCandidates, rollbackJourney } from "./rollback-session.js";
import { standingText, toServiceRow, type ServiceRow } from "./service-rows.js";
import { timeAgo } from "./text/format.js";
import { batchCostLine, planSummaryLine } from "./text/plan-text.js";
import { renderError } from "./text/error-text.js";
import { paint } from "./text/text.js";
import { EXIT } from "./exit-codes.js";
import { pickWorkspace, type WorkspacePreselection } from "./pick-workspace.js";

export interface JourneyOptions extends WorkspacePreselection {
  /** Go straight to following this session (`aci-migrate resume` in a terminal). */
  readonly resume?: string;
}

/**
 * The journey, written once for both faces: sign-in line → resume or new → subscription → workspace → services →
 * a review per service (with its remedies) → confirm → the run, answering its questions → the result → retiring
 * the old services. Every question may be left with Ctrl+C (130); Esc (or "← Back") goes to the one before.
 */
export async function runJourney(backend: JourneyBackend, ask: Prompter, o: JourneyOptions = {}): Promise<number> {
  try {
    return await journey(backend, ask, o);
  } catch (e) {
    if (!(e instanceof PromptCancelled)) throw e;
    ask.say("Cancelled; nothing more was changed.");
    return EXIT.cancelled;
  }
}

async function journey(backend: JourneyBackend, ask: Prompter, o: JourneyOptions): Promise<number> {
  const c = paint(ask.decorated);
  ask.say(c.bold("aci-migrate") + ` · ${identityLine(await backend.identity())}`);
  if (o.resume) return run(backend, ask, o.resume, true);
  for (;;) {
    const start = await pickSession(backend, ask);
    if (typeof start === "object") return run(backend, ask, start.resume, true);
    if (start === "rollback") {
      if ((await rollbackJourney(backend, ask)) === "done") return EXIT.done;
      continue;
    }
    const picked = await newMigration(backend, ask, o);
    if (picked === BACK) continue;
    if (!picked) return EXIT.done;
    const { ws, drafts, into } = picked;
    const sessionId = startSession(
      backend.sessions,
      {
        kind: backend.kind,
        armEndpoint: backend.armEndpoint,
        subscriptionId: ws.subscriptionId,
        resourceGroup: ws.resourceGroup,
        workspace: ws.workspace,
        location: ws.location,
        ...(into
          ? { into: { subscriptionId: into.subscriptionId, resourceGroup: into.resourceGroup, workspace: into.workspace, location: into.location } }
          : {}),
      },
      // A new deployment beside the serving one (another VM size) is named for the run, which plans without the region.
      drafts.map((d) => ({
        name: d.service.name,
        overrides: d.plan.replaces ? { ...d.overrides, deploymentName: d.plan.deploymentName } : d.overrides,
        codeDir: d.codeDir,
        plan: d.plan,
      })),
    );
    return run(backend, ask, sessionId, false);
  }
}

function identityLine(who: Identity): string {
  if (who.kind === "sandbox") return `SANDBOX (the embedded Azure at ${who.endpoint}; nothing here touches real Azure)`;
  return `signed in as ${who.account ?? "unknown account"}${who.tenantId ? `, tenant ${who.tenantId}` : ""}, ${who.cloud}`;
}

/** Unfinished sessions of this side (Azure or the sandbox) first, then a new migration, then undoing one. */
async function pickSession(backend: JourneyBackend, ask: Prompter): Promise<{ resume: string } | "new" | "rollback"> {
  const all = backend.sessions.list();
  // One whose services later sessions migrated is not offered: resuming it would redo their work.
  const unfinished = all.filter(
    (s) => s.session && s.session.status !== "done" && s.session.target.kind === backend.kind && standingOf(backend.sessions, s, all) !== "superseded",
  );
  const undoable = rollbackCandidates(backend).length > 0;
  if (!unfinished.length && !undoable) return "new";
  // Nothing to resume: the question offers what there is (a new migration, or undoing one).
  const question = unfinished.length ? "Resume a session, or start a new migration?" : "Start a new migration, or roll back an earlier one?";
  const chosen = await ask.select(question, [
    ...unfinished.map((s) => ({
      value: s.id,
      name: `Resume ${s.session!.services.map((x) => x.name).join(", ")}: stopped at ${stoppedAt(s.session!) ?? "the end"}, ${timeAgo(s.session!.updatedAt)}`,
      // Another live process drives it: it cannot be taken from here.
      disabled: backend.sessions.activity(s) === "running" ? "another aci-migrate is running it now" : undefined,
    })),
    { value: "", name: "Start a new migration" },
    ...(undoable ? [{ value: "\u0000rollback", name: "Roll back a session (delete what it created in Azure)" }] : []),
  ]);
  return chosen === "" ? "new" : chosen === "\u0000rollback" ? "rollback" : { resume: chosen };
}

/** Workspace → services → reviews → confirm; BACK to the session choice, undefined when nothing is left to do. */
async function newMigration(
  backend: JourneyBackend,
  ask: Prompter,
  o: WorkspacePreselection,
): Promise<{ ws: WorkspaceChoice; drafts: Draft[]; into?: WorkspaceTarget } | undefined | Back> {
  for (;;) {
    const picked = await pickWorkspace(backend, ask, o);
    if (picked === BACK) return BACK;
    const ws = picked.ws;
    const ctx: WorkspaceContext = { port: backend.port, ws };
    // Where each stands comes with the list: its findings, its blockers, and whether Azure has its migration already.
    const listed = await ask
      .working(
        `Listing the services of ${ws.workspace}`,
        Promise.all([backend.listServices(ws), backend.listMigrated(ws).catch(() => new Map<string, string>())]),
      )
      .catch((e: unknown) => {
        // A workspace that refuses its list (403, private link): said as every face says errors, then another one.
        if (!picked.asked || e instanceof PromptCancelled) throw e;
        ask.say(`Could not list the services of ${ws.workspace}:\n${renderError(e, ask.decorated, backend.command).text}`);
        return undefined;
      });
    if (!listed) continue;
    const [docs, migrated] = listed;
    const rows = docs.map((d) => toServiceRow(d, ws.workspace, migrated)).sort((a, b) => a.name.localeCompare(b.name));
    if (!rows.some((r) => !r.notSelectable)) {
      throw new UserFixableError(`Workspace ${ws.workspace} has no ACI service that can be migrated (${rows.length} services, none Healthy on ACI).`, {
        nextStep: `Pick another workspace, or see why with \`${backend.command(`services -w ${ws.workspace}`)}\`.`,
        kind: "state",
      });
    }
    // Back from a review finds the services as they were chosen.
    let chosen: readonly string[] = [];
    for (;;) {
      const names = await ask.checkbox(
        `Which services of ${ws.workspace} do you want to migrate? (Space selects, Enter goes on)`,
        rows.map((r) => ({ value: r.name, name: serviceLine(r), disabled: r.notSelectable })),
        { atLeastOne: "Choose at least one service (Space), then press Enter.", chosen },
      );
      if (names === BACK) break;
      chosen = names;
      const drafts = await reviewAll(backend, ask, ctx, rows, names);
      if (drafts === BACK) continue;
      if (!drafts.length) {
        ask.say("No service left to migrate; nothing was changed.");
        return undefined;
      }
      const at = endpointPlace(ctx);
      ask.say(
        `In workspace ${at.workspace} (${at.resourceGroup}, ${at.location}) aci-migrate will create:\n${drafts.map((d) => planSummaryLine(d.plan, ask.decorated)).join("\n")}${batchCostLine(drafts.map((d) => d.plan))}`,
      );
      const go = await ask.selectOrBack(`Start the migration of ${drafts.length === 1 ? drafts[0]!.service.name : `${drafts.length} services`} now?`, [
        { value: true, name: "Yes, start it" },
        { value: false, name: "No, leave without changing anything" },
      ]);
      if (go === BACK) continue;
      if (!go) {
        ask.say("Nothing was changed.");
        return undefined;
      }
      return { ws, drafts, ...(ctx.into ? { into: ctx.into } : {}) };
    }
    if (o.workspace) return BACK; // preselected: nothing to go back to but the start
  }
}

function serviceLine(r: ServiceRow): string {
  const standing = standingText(r);
  return `${r.name}  ${r.computeType} · ${r.state}${r.service ? ` · ${r.service.cpu} CPU / ${r.service.memoryGb} GB` : ""}${standing ? ` · ${standing}` : ""}`;
}

/**
 * A review per chosen service, in order; BACK from the first goes back to the services. A change made to all of
 * them at once reaches those reviewed already too; one it leaves with a blocker is reviewed again at the end.
 */
async function reviewAll(
  backend: JourneyBackend,
  ask: Prompter,
  ctx: WorkspaceContext,
  rows: readonly ServiceRow[],
  names: readonly string[],
): Promise<Draft[] | Back> {
  const chosen = names.map((n) => rows.find((r) => r.name === n)!);
  const results: (Draft | undefined)[] = [];
  const shared: SharedChange[] = [];
  const changeAll = async (current: Draft): Promise<Draft> => {
    const change = await askSharedChange(
      ask,
      current,
      chosen.map((r) => r.service!),
    );
    if (!change) return current;
    shared.push(change);
    ask.say(`Every selected service now has ${change.text}.`);
    for (const [j, reviewed] of results.entries()) {
      if (reviewed)
        results[j] = await ask.working(
          `Checking ${reviewed.plan.endpointName} in ${endpointPlace(ctx).location}`,
          lookAtRegion(ctx, withSharedChanges(reviewed, [change])),
        );
    }
    return withSharedChanges(current, [change]);
  };
  const o = names.length > 1 ? { changeAll: { count: names.length, change: changeAll } } : {};
  // Past the last review, only those a later change to all left with a blocker are reviewed again.
  let revisiting = false;
  for (let i = 0; i < names.length;) {
    const row = chosen[i]!;
    const start =
      results[i] ??
      withSharedChanges(
        newDraft(row.service!, row.doc, await ask.working(`Checking the scoring script of ${row.name}`, checkDraftScript(ctx, row.service!, row.doc))),
        shared,
      );
    const reviewed = await reviewService(backend, ask, ctx, start, `Review ${i + 1} of ${names.length}: ${row.name}`, o);
    if (reviewed === BACK) {
      if (i === 0) return BACK;
      i--;
      continue;
    }
    results[i] = reviewed;
    i = revisiting ? names.length : i + 1;
    const again = i === names.length ? results.findIndex((d) => d !== undefined && d.plan.blockers.length > 0) : -1;
    if (again >= 0) {
      ask.say(`${names[again]} has ${results[again]!.plan.blockers.join(", ")} since the change to every service; its review again.`);
      [i, revisiting] = [again, true];
    }
  }
  return results.filter((d): d is Draft => d !== undefined);
}

/** Follows the session to its end, says the result and offers to retire what moved; resolves with the exit code. */
async function run(backend: JourneyBackend, ask: Prompter, sessionId: string, resumed: boolean): Promise<number> {
  const outcome = await followRun(backend, ask, sessionId, resumed);
  await closeRun(backend, ask, outcome, { offerRetire: outcome.status !== "cancelled" });
  if (outcome.status === "cancelled") return EXIT.cancelled;
  return outcome.status === "done" ? EXIT.done : EXIT.failed;
}
