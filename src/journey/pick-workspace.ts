import { UserFixableError } from "../domain/errors.js";
import type { JourneyBackend, SubscriptionChoice, WorkspaceChoice } from "./backend.js";
import { BACK, type Back, type Prompter } from "./prompter.js";

/** Preselections from the global -s/-g/-w flags. */
export interface WorkspacePreselection {
  readonly subscription?: string;
  readonly resourceGroup?: string;
  readonly workspace?: string;
}

/**
 * Subscription, then workspace: asked only when there is a choice (-s/-g/-w preselect); BACK from the first
 * question. `asked` says whether the person chose it (so there is a question to go back to).
 */
export async function pickWorkspace(backend: JourneyBackend, ask: Prompter, o: WorkspacePreselection): Promise<{ ws: WorkspaceChoice; asked: boolean } | Back> {
  const subs = await subscriptionsFor(backend, ask, o);
  for (;;) {
    const subscriptionId =
      subs.length === 1
        ? (ask.say(`Subscription: ${subscriptionLine(subs[0]!)}`), subs[0]!.subscriptionId)
        : await ask.selectOrBack(
            "Which subscription?",
            subs.map((s) => ({ value: s.subscriptionId, name: `${s.displayName}  ${s.subscriptionId}` })),
          );
    if (subscriptionId === BACK) return BACK;
    // The answered question leaves the screen; what was chosen stays above, as a one-choice subscription's does.
    if (subs.length > 1) ask.say(`Subscription: ${subscriptionLine(subs.find((s) => s.subscriptionId === subscriptionId)!)}`);
    const all = await ask.working("Listing workspaces", backend.listWorkspaces(subscriptionId));
    const workspaces = all.filter(
      (w) =>
        (!o.workspace || w.workspace.toLowerCase() === o.workspace.toLowerCase()) &&
        (!o.resourceGroup || w.resourceGroup.toLowerCase() === o.resourceGroup.toLowerCase()),
    );
    if (!workspaces.length && subs.length > 1 && !o.workspace && !o.resourceGroup) {
      ask.say("This subscription has no Azure ML workspace; pick another.");
      continue;
    }
    if (!workspaces.length) {
      throw new UserFixableError(
        o.workspace || o.resourceGroup
          ? `No workspace matches ${[o.workspace, o.resourceGroup].filter(Boolean).join(" in ")} in this subscription.`
          : "This subscription has no Azure ML workspace.",
        {
          why: all.length ? `Its workspaces are ${all.map((w) => w.workspace).join(", ")}.` : undefined,
          nextStep: "Run again without -w/-g, or pick another subscription.",
          kind: "state",
        },
      );
    }
    if (workspaces.length === 1) {
      ask.say(`Workspace: ${workspaceLine(workspaces[0]!)}`);
      return { ws: workspaces[0]!, asked: subs.length > 1 };
    }
    const picked = await ask.selectOrBack(
      "Which workspace?",
      workspaces.map((w, i) => ({ value: i, name: `${w.workspace}  ${w.resourceGroup} · ${w.location}` })),
    );
    if (picked !== BACK) {
      ask.say(`Workspace: ${workspaceLine(workspaces[picked]!)}`);
      return { ws: workspaces[picked]!, asked: true };
    }
    if (subs.length === 1) return BACK;
  }
}

async function subscriptionsFor(backend: JourneyBackend, ask: Prompter, o: WorkspacePreselection): Promise<SubscriptionChoice[]> {
  let subs = (await ask.working("Listing subscriptions", backend.listSubscriptions())).filter(
    (s) => !o.subscription || s.subscriptionId === o.subscription || s.displayName === o.subscription,
  );
  if (o.workspace && subs.length > 1) {
    // -w without -s: only the subscriptions that hold such a workspace are worth asking about.
    const holding = await Promise.all(
      subs.map(async (s) => (await backend.listWorkspaces(s.subscriptionId)).some((w) => w.workspace.toLowerCase() === o.workspace!.toLowerCase())),
    );
    if (holding.some(Boolean)) subs = subs.filter((_, i) => holding[i]);
  }
  if (!subs.length)
    throw new UserFixableError(o.subscription ? `Subscription ${o.subscription} is not one you can see.` : "This account sees no subscription.", {
      nextStep: "Check `az account list` (or --tenant), or run without -s.",
      kind: "state",
    });
  return subs;
}

const subscriptionLine = (s: SubscriptionChoice) => `${s.displayName} (${s.subscriptionId})`;
const workspaceLine = (w: WorkspaceChoice) => `${w.workspace} (${w.resourceGroup}, ${w.location})`;
