import { join } from "node:path";
import { UserFixableError } from "../../domain/errors.js";
import { newStepRecords, stoppedAt } from "../../session/session-file.js";
import type { Identity, WizardBackend, WorkspaceChoice } from "../../ui/backend.js";
import { timeAgo } from "../../ui/format.js";
import { toServiceRow } from "../../ui/service-rows.js";
import { driveSession } from "../drive-session.js";
import { EXIT } from "../exit-codes.js";
import type { CommandIo } from "../io.js";
import { planSummaryLine, renderPlanText } from "../render/plan-text.js";
import { paint } from "../render/text.js";
import { askWhatNow } from "./ask-what-now.js";
import { changePlan, checkDraftScript, newDraft, withOverrides, type Draft } from "./edit-plan.js";
import { HeldOutput } from "./held-output.js";
import { PromptCancelled, type Prompter } from "./prompter.js";

export interface PlainJourneyOptions {
  /** Preselections from the global -s/-g/-w flags. */
  readonly subscription?: string;
  readonly resourceGroup?: string;
  readonly workspace?: string;
}

/**
 * The wizard's journey as questions asked one after another, and progress as lines that never redraw, for
 * screen readers and dumb terminals: sign-in line → resume or new → subscription → workspace → services →
 * a review per service (change, export, leave out) → blockers acknowledged one by one → confirm → the run →
 * the result, and retiring the old services. Resolves with the exit code; ink is never mounted.
 */
export async function runPlainJourney(backend: WizardBackend, io: CommandIo, ask: Prompter, o: PlainJourneyOptions = {}): Promise<number> {
  try {
    return await journey(backend, io, ask, o);
  } catch (e) {
    if (!(e instanceof PromptCancelled)) throw e;
    io.err("Cancelled; nothing more was changed.");
    return EXIT.cancelled;
  }
}

async function journey(backend: WizardBackend, io: CommandIo, ask: Prompter, o: PlainJourneyOptions): Promise<number> {
  const c = paint(io.decorated);
  io.out(c.bold("aci-migrate") + ` · ${identityLine(await backend.identity())}`);

  // Sessions made on the other side (Azure vs the sandbox) live in the same state directory but cannot resume here.
  const unfinished = backend.sessions.list().filter((s) => s.session && s.session.status !== "done" && s.session.target.kind === backend.kind);
  if (unfinished.length) {
    const chosen = await ask.select("Resume a session, or start a new migration?", [
      ...unfinished.map((s) => ({ value: s.id, name: `Resume ${s.session!.services.map((x) => x.name).join(", ")}: stopped at ${stoppedAt(s.session!) ?? "the end"}, ${timeAgo(s.session!.updatedAt)}` })),
      { value: "", name: "Start a new migration" },
    ]);
    if (chosen) return run(backend, io, ask, chosen, true);
  }

  const ws = await pickWorkspace(backend, io, ask, o);
  const rows = (await backend.listServices(ws)).map((d) => toServiceRow(d, ws.workspace)).sort((a, b) => a.name.localeCompare(b.name));
  if (!rows.some((r) => !r.notSelectable)) {
    throw new UserFixableError(`Workspace ${ws.workspace} has no ACI service that can be migrated (${rows.length} services, none Healthy on ACI).`, { nextStep: "Pick another workspace, or see why with `aci-migrate services -w " + ws.workspace + "`.", kind: "state" });
  }
  const names = await ask.checkbox(
    `Which services of ${ws.workspace} do you want to migrate? (Space selects, Enter goes on)`,
    rows.map((r) => ({ value: r.name, name: `${r.name}  ${r.computeType} · ${r.state}${r.service ? ` · ${r.service.cpu} CPU / ${r.service.memoryGb} GB` : ""}`, disabled: r.notSelectable })),
    { atLeastOne: "Choose at least one service (Space), then press Enter." },
  );

  const drafts: Draft[] = [];
  for (const [i, name] of names.entries()) {
    const row = rows.find((r) => r.name === name)!;
    io.out("");
    io.out(c.bold(`Review ${i + 1} of ${names.length}`));
    const draft = await review(backend, io, ask, ws, row.doc, newDraft(row.service!, await checkDraftScript({ port: backend.port, ws }, row.service!, row.doc)));
    if (draft) drafts.push(draft);
  }
  if (!drafts.length) {
    io.out("No service left to migrate; nothing was changed.");
    return EXIT.done;
  }

  io.out("");
  io.out(`In workspace ${ws.workspace} (${ws.resourceGroup}, ${ws.location}) aci-migrate will create:`);
  for (const d of drafts) io.out(planSummaryLine(d.plan, io.decorated));
  if (!(await ask.confirm(`Start the migration of ${drafts.length === 1 ? drafts[0]!.service.name : `${drafts.length} services`} now?`, { default: true }))) {
    io.out("Nothing was changed.");
    return EXIT.cancelled;
  }
  const created = backend.sessions.create({
    status: "running",
    target: { kind: backend.kind, armEndpoint: backend.armEndpoint, subscriptionId: ws.subscriptionId, resourceGroup: ws.resourceGroup, workspace: ws.workspace, location: ws.location },
    services: drafts.map((d) => ({ name: d.service.name, overrides: d.overrides, codeDir: d.codeDir, plan: d.plan, steps: newStepRecords(), resources: {} })),
  });
  created.release();
  return run(backend, io, ask, created.data.id, false);
}

function identityLine(who: Identity): string {
  if (who.kind === "sandbox") return `SANDBOX (the embedded Azure at ${who.endpoint}; nothing here touches real Azure)`;
  return `signed in as ${who.account ?? "unknown account"}${who.tenantId ? `, tenant ${who.tenantId}` : ""}, ${who.cloud}`;
}

/** Subscription, then workspace: asked only when there is a choice; -s/-g/-w preselect. */
async function pickWorkspace(backend: WizardBackend, io: CommandIo, ask: Prompter, o: PlainJourneyOptions): Promise<WorkspaceChoice> {
  let subs = (await backend.listSubscriptions()).filter((s) => !o.subscription || s.subscriptionId === o.subscription || s.displayName === o.subscription);
  if (o.workspace && subs.length > 1) {
    // -w without -s: only the subscriptions that hold such a workspace are worth asking about.
    const holding = await Promise.all(subs.map(async (s) => (await backend.listWorkspaces(s.subscriptionId)).some((w) => w.workspace.toLowerCase() === o.workspace!.toLowerCase())));
    if (holding.some(Boolean)) subs = subs.filter((_, i) => holding[i]);
  }
  if (!subs.length) throw new UserFixableError(o.subscription ? `Subscription ${o.subscription} is not one you can see.` : "This account sees no subscription.", { nextStep: "Check `az account list` (or --tenant), or run without -s.", kind: "state" });
  const subscriptionId =
    subs.length === 1
      ? (io.out(`Subscription: ${subs[0]!.displayName} (${subs[0]!.subscriptionId})`), subs[0]!.subscriptionId)
      : await ask.select("Which subscription?", subs.map((s) => ({ value: s.subscriptionId, name: `${s.displayName}  ${s.subscriptionId}` })));
  const all = await backend.listWorkspaces(subscriptionId);
  const workspaces = all.filter((w) => (!o.workspace || w.workspace.toLowerCase() === o.workspace.toLowerCase()) && (!o.resourceGroup || w.resourceGroup.toLowerCase() === o.resourceGroup.toLowerCase()));
  if (!workspaces.length) {
    throw new UserFixableError(o.workspace || o.resourceGroup ? `No workspace matches ${[o.workspace, o.resourceGroup].filter(Boolean).join(" in ")} in this subscription.` : "This subscription has no Azure ML workspace.", {
      why: all.length ? `Its workspaces are ${all.map((w) => w.workspace).join(", ")}.` : undefined,
      nextStep: "Run again without -w/-g, or pick another subscription.",
      kind: "state",
    });
  }
  if (workspaces.length === 1) {
    io.out(`Workspace: ${workspaces[0]!.workspace} (${workspaces[0]!.resourceGroup}, ${workspaces[0]!.location})`);
    return workspaces[0]!;
  }
  const picked = await ask.select("Which workspace?", workspaces.map((w, i) => ({ value: i, name: `${w.workspace}  ${w.resourceGroup} · ${w.location}` })));
  return workspaces[picked]!;
}

/** One service's review: the plan in full, free quota, then go on / change / export / leave out; blockers acknowledged. */
async function review(backend: WizardBackend, io: CommandIo, ask: Prompter, ws: WorkspaceChoice, doc: Record<string, unknown>, draft: Draft): Promise<Draft | undefined> {
  const c = paint(io.decorated);
  for (;;) {
    io.out(renderPlanText(draft.plan, io.decorated, { flagHints: false }));
    if (draft.plan.quota) {
      const free = await backend.port.freeQuota(ws, draft.plan.quota.family).catch(() => undefined);
      const enough = free !== undefined && free >= draft.plan.quota.cores;
      io.out(`${c.bold("Free")}   ${free ?? "unknown"} vCPUs of ${draft.plan.quota.family} in ${ws.location}` + (free === undefined ? "" : enough ? c.green(" (enough)") : c.red(` (not enough for ${draft.plan.quota.cores}: choose another size or ask for more quota)`)));
    }
    const next = await ask.select(`${draft.service.name}: what next?`, [
      { value: "go", name: draft.plan.blockers.length ? "Go on (the blockers are asked about next)" : "Go on with this plan" },
      ...(draft.plan.script.edits.length
        ? [draft.plan.script.editsAccepted
          ? { value: "edits" as const, name: `Deploy ${draft.plan.script.file} as it is, without the edits above` }
          : { value: "edits" as const, name: `Accept the edits of ${draft.plan.script.file} shown above (the deployed copy gets them; the v1 snapshot stays as it is)` }]
        : []),
      { value: "change", name: "Change the plan (names, VM size, instances, auth, keys, timeout, environment, code)" },
      { value: "export", name: `Export the az ml YAML to ${join(backend.exportDir, draft.service.name)}` },
      { value: "skip", name: `Leave ${draft.service.name} out of this migration` },
    ] as const);
    if (next === "skip") return undefined;
    if (next === "edits") {
      draft = withOverrides(draft, { ...draft.overrides, applyScriptEdits: draft.plan.script.editsAccepted ? undefined : true });
      continue;
    }
    if (next === "change") {
      draft = await changePlan(ask, draft, { port: backend.port, ws, doc });
      continue;
    }
    if (next === "export") {
      io.out(await exportYaml(backend, draft));
      continue;
    }
    const acknowledged = await acknowledgeBlockers(io, ask, draft);
    if (acknowledged) return acknowledged;
  }
}

/** Each unacknowledged blocker, one question each; undefined when one is not accepted (back to the review). */
async function acknowledgeBlockers(io: CommandIo, ask: Prompter, draft: Draft): Promise<Draft | undefined> {
  const accepted: string[] = [];
  for (const id of draft.plan.blockers) {
    const f = draft.plan.findings.find((x) => x.id === id)!;
    io.out(`Blocker ${id}: ${f.message}`);
    io.out(`  What to do: ${f.remedy}`);
    if (!(await ask.confirm(`Acknowledge ${id} and migrate ${draft.service.name} anyway?`, { default: false }))) {
      io.out(`${draft.service.name} stays blocked by ${id}; change the plan or leave the service out.`);
      return undefined;
    }
    accepted.push(id);
  }
  if (!accepted.length) return draft;
  return withOverrides(draft, { ...draft.overrides, acknowledge: [...(draft.overrides.acknowledge ?? []), ...accepted] });
}

async function exportYaml(backend: WizardBackend, draft: Draft): Promise<string> {
  try {
    const { dir, files } = await backend.exportYaml(draft.plan, draft.codeDir);
    return `Exported ${files.join(", ")} to ${dir}.`;
  } catch (e) {
    return `Could not export to ${join(backend.exportDir, draft.service.name)}: ${(e as Error).message}. Nothing else changed.`;
  }
}

/** Runs the session with line-by-line progress and questions as they come; then offers to retire what moved. */
async function run(backend: WizardBackend, io: CommandIo, ask: Prompter, sessionId: string, resumed: boolean): Promise<number> {
  const secrets = new Set<string>();
  const out = new HeldOutput(io);
  const result = await driveSession(out, false, backend.port, backend.sessions.withSecrets(() => [...secrets]), sessionId, secrets, {
    concurrency: 4,
    resumed,
    sandbox: backend.kind === "sandbox",
    answer: askWhatNow(ask, out),
  });
  const target = backend.sessions.read(backend.sessions.fileOf(sessionId)).target;
  for (const f of result.finished) {
    if (f.status !== "migrated" || f.smokeTest?.status !== "passed") continue;
    io.out("");
    const typed = await ask.input(`Retire the old ACI service ${f.service} now? Its callers stop working unless they moved to ${f.endpointName}. Type its name to delete it, or press Enter to keep it:`);
    if (typed.trim() !== f.service) {
      io.out(typed.trim() ? `"${typed.trim()}" is not ${f.service}; it stays. Retire it later with \`aci-migrate retire\`.` : `${f.service} stays; retire it later with \`aci-migrate retire\`.`);
      continue;
    }
    try {
      await backend.deleteV1Service(target, f.service);
      io.out(`✓ ${f.service} retired.`);
    } catch (e) {
      io.out(`Could not retire ${f.service}: ${(e as Error).message.split("\n")[0]}. It is still there; try \`aci-migrate retire\` later.`);
    }
  }
  return result.exitCode;
}
