import { join } from "node:path";
import type { PlanPartToChange } from "../domain/findings.js";
import { clearedBy, mustChange } from "../domain/plan.js";
import type { JourneyBackend } from "./backend.js";
import type { WorkspaceTarget } from "../migration/port.js";
import { sameWorkspace } from "../migration/workspace-place.js";
import { endpointPlace, lookAtRegion, rehearseDraft, withOverrides, type Draft, type WorkspaceContext } from "./draft.js";
import { renderRehearsalText } from "./text/rehearsal-text.js";
import { changeField, changePlan } from "./edit-plan.js";
import { BACK, type Back, type Choice, type Prompter } from "./prompter.js";
import { renderPlanText } from "./text/plan-text.js";
import { fromHere } from "./text/format.js";
import { paint } from "./text/text.js";

type ReviewChoice = "go" | "rename" | "private" | "into" | "edits" | "rehearse" | "change" | "change-all" | "export" | "skip" | `clear-${PlanPartToChange}`;

export interface ReviewOptions {
  /** Several services are reviewed: a change made to all of them at once (the draft under review changed by it). */
  readonly changeAll?: { readonly count: number; readonly change: (current: Draft) => Promise<Draft> };
}

const CLEARING_CHANGE: Record<PlanPartToChange, string> = {
  endpointName: "Type another endpoint name",
  sku: "Choose another VM size",
  instanceCount: "Use fewer instances",
};

/**
 * One service's review: the plan in full with what the region said (a taken name, free quota), then go on /
 * rename / accept the script's edits / change / export / leave out, until every blocker is fixed or acknowledged.
 * A blocker Azure would refuse (a taken name, short quota) cannot be gone on with or accepted: the review offers,
 * first, the changes that clear it, each straight to its question.
 * Resolves with the draft to migrate, undefined to leave the service out, or BACK.
 */
export async function reviewService(
  backend: JourneyBackend,
  ask: Prompter,
  ctx: WorkspaceContext,
  start: Draft,
  title: string,
  o: ReviewOptions = {},
): Promise<Draft | undefined | Back> {
  let draft = await ask.working(`Checking ${start.plan.endpointName} and the quota in ${endpointPlace(ctx).location}`, lookAtRegion(ctx, start));
  for (;;) {
    const p = draft.plan;
    const suggestion = p.blockers.includes("endpoint-name-taken") ? draft.region?.freeEndpointName : undefined;
    const refused = p.blockers.filter(mustChange);
    const clearing = [...new Set(refused.flatMap(clearedBy))].map((part) => ({
      value: `clear-${part}` as const,
      name: `${CLEARING_CHANGE[part]} (to clear ${refused.filter((id) => clearedBy(id).includes(part)).join(", ")}: Azure would refuse the plan)`,
    }));
    const choices: Choice<ReviewChoice>[] = [
      ...(suggestion ? [{ value: "rename" as const, name: `Rename the endpoint to ${suggestion} (free in ${endpointPlace(ctx).location})` }] : []),
      ...clearing,
      // The VNet finding's remedy starts with this: offered as one choice, not hidden in the change menu.
      // The CMK and VNet findings' remedy: another workspace (one with the key, or with managed network isolation).
      ...(!ctx.into && p.findings.some((f) => INTO_REMEDY.includes(f.id))
        ? [{ value: "into" as const, name: "Create the endpoint in another workspace (one with your customer-managed key or managed network)" }]
        : []),
      ...(p.findings.some((f) => f.id === "vnet-redo") && p.publicNetworkAccess !== "Disabled"
        ? [{ value: "private" as const, name: "Turn public network access off (callers reach the endpoint only through the workspace's private endpoint)" }]
        : []),
      ...(refused.length
        ? []
        : [
            {
              value: "go" as const,
              name: p.blockers.length ? `Go on (${p.blockers.length} blocker${p.blockers.length === 1 ? "" : "s"} to accept next)` : "Go on with this plan",
            },
          ]),
      ...(p.script.edits.length
        ? [
            p.script.editsAccepted
              ? { value: "edits" as const, name: `Deploy ${p.script.file} as it is, without the edits shown` }
              : { value: "edits" as const, name: `Accept the edits of ${p.script.file} shown (the deployed copy gets them; the v1 snapshot stays)` },
          ]
        : []),
      { value: "change", name: "Change the plan (names, VM size, instances, auth, keys, timeout, environment, code)" },
      ...(o.changeAll
        ? [{ value: "change-all" as const, name: `Change all ${o.changeAll.count} selected services at once (instances, VM size family, timeout)` }]
        : []),
      ...(backend.rehearser
        ? [
            {
              value: "rehearse" as const,
              name: draft.rehearsal
                ? `Rehearse on this machine again (last: ${draft.rehearsal.verdict.kind})`
                : "Rehearse on this machine (run the script as the deployment will)",
            },
          ]
        : []),
      { value: "export", name: `Export the az ml YAML to ${fromHere(join(backend.exportDir, draft.service.name))}` },
      { value: "skip", name: `Leave ${draft.service.name} out of this migration` },
    ];
    const next = await ask.selectOrBack(`${title}: what next?`, choices, { details: { title, text: reviewText(ask, ctx, draft) } });
    if (next === BACK || next === "skip") return next === BACK ? BACK : undefined;
    if (next === "rename") draft = withOverrides(draft, { ...draft.overrides, endpointName: suggestion });
    if (next === "private") draft = withOverrides(draft, { ...draft.overrides, publicNetworkAccess: "Disabled" });
    if (next === "into") {
      const into = await pickTarget(backend, ask, ctx);
      if (into) {
        ctx.into = into; // for the run: every service of the session goes there
        draft = await ask.working(`Checking ${draft.plan.endpointName} and the quota in ${into.workspace}`, lookAtRegion(ctx, { ...draft, region: undefined }));
      }
    }
    if (next === "edits") draft = withOverrides(draft, { ...draft.overrides, applyScriptEdits: p.script.editsAccepted ? undefined : true });
    if (next === "change") draft = await changePlan(ask, draft, ctx);
    if (next === "change-all") draft = await o.changeAll!.change(draft);
    if (next.startsWith("clear-")) draft = await changeField(ask, draft, ctx, next.slice("clear-".length) as PlanPartToChange);
    if (next === "export") ask.say(await exportYaml(backend, ask, ctx, draft));
    if (next === "rehearse") draft = await rehearseInReview(backend, ask, ctx, draft);
    if (next === "rename" || next === "change" || next === "change-all" || next.startsWith("clear-"))
      draft = await ask.working(`Checking ${draft.plan.endpointName} in ${endpointPlace(ctx).location}`, lookAtRegion(ctx, draft));
    if (next !== "go") continue;
    const settled = await settleBlockers(ask, draft);
    if (settled) return settled;
  }
}

/** The findings whose remedy is another workspace. */
const INTO_REMEDY = ["cmk-encryption-unsupported", "vnet-redo"];

/** Another workspace of the subscription for the endpoints to go into; undefined when there is none or none was picked. */
async function pickTarget(backend: JourneyBackend, ask: Prompter, ctx: WorkspaceContext): Promise<WorkspaceTarget | undefined> {
  const all = await ask.working("Listing workspaces", backend.listWorkspaces(ctx.ws.subscriptionId));
  const others = all.filter((w) => !sameWorkspace(w, ctx.ws));
  if (!others.length) {
    ask.say(`The subscription has no workspace beside ${ctx.ws.workspace}; create one with your key or managed network first.`);
    return undefined;
  }
  const picked = await ask.selectOrBack(
    "Which workspace should the endpoint (with its model, environment and code) go into?",
    others.map((w, i) => ({ value: i, name: `${w.workspace}  ${w.resourceGroup} · ${w.location}` })),
  );
  return picked === BACK ? undefined : others[picked];
}

/** The plan as text, with the free quota the region has for it. */
function reviewText(ask: Prompter, ctx: WorkspaceContext, draft: Draft): string {
  const c = paint(ask.decorated);
  const need = draft.plan.quota;
  const free = need ? draft.region?.freeQuota?.[need.family] : undefined;
  const quota = !need
    ? []
    : [
        `${c.bold("Free")}   ${free ?? "unknown"} vCPUs of ${need.family} in ${endpointPlace(ctx).location}` +
          (free === undefined ? "" : free >= need.cores ? c.green(" (enough)") : c.red(` (not enough for ${need.cores})`)),
      ];
  return [renderPlanText(draft.plan, ask.decorated, { flagHints: false }), ...quota].join("\n");
}

/**
 * Each blocker, one question each, to acknowledge (going on is offered only when none is one Azure would refuse).
 * Undefined when one is not (back to the review).
 */
async function settleBlockers(ask: Prompter, draft: Draft): Promise<Draft | undefined> {
  const accepted: string[] = [];
  for (const id of draft.plan.blockers) {
    const f = draft.plan.findings.find((x) => x.id === id)!;
    const text = `${f.message}\nWhat to do: ${f.remedy}`;
    if (!(await ask.confirm(`Acknowledge ${id} and migrate ${draft.service.name} anyway?`, { default: false, details: { title: `Blocker ${id}`, text } }))) {
      ask.say(`${draft.service.name} stays blocked by ${id}; change the plan or leave the service out.`);
      return undefined;
    }
    accepted.push(id);
  }
  if (!accepted.length) return draft;
  return withOverrides(draft, { ...draft.overrides, acknowledge: [...(draft.overrides.acknowledge ?? []), ...accepted] });
}

/** Runs the rehearsal while the face shows it is working, then prints its verdict (the plan then carries it). */
async function rehearseInReview(backend: JourneyBackend, ask: Prompter, ctx: WorkspaceContext, draft: Draft): Promise<Draft> {
  try {
    const rehearsed = await ask.working(`Rehearsing ${draft.service.name} on this machine`, rehearseDraft(ctx, backend.rehearser!, draft));
    ask.say(renderRehearsalText(rehearsed.rehearsal!, ask.decorated));
    return rehearsed;
  } catch (e) {
    ask.say(`Could not rehearse ${draft.service.name}: ${(e as Error).message}. The plan is as it was.`);
    return draft;
  }
}

async function exportYaml(backend: JourneyBackend, ask: Prompter, ctx: WorkspaceContext, draft: Draft): Promise<string> {
  try {
    const { dir, files } = await ask.working("Exporting", backend.exportYaml(draft.plan, { ws: ctx.ws, codeDir: draft.codeDir, doc: draft.doc }));
    return `Exported ${files.join(", ")} to ${fromHere(dir)}.`;
  } catch (e) {
    return `Could not export to ${fromHere(join(backend.exportDir, draft.service.name))}: ${(e as Error).message}. Nothing else changed.`;
  }
}
