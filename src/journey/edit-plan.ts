import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { nameProblems } from "../domain/names.js";
import { AUTH_MODES, MAX_INSTANCES, validateOverrides, type MigrationPlan, type PlanOverrides } from "../domain/plan.js";
import { findSku } from "../domain/sku-catalog.js";
import { skusThatFit } from "../domain/suggest-sku.js";
import { quotaNeed } from "../domain/quota.js";
import type { VmSku } from "../domain/sku-types.js";
import { checkEndpointName } from "../migration/endpoint-name.js";
import type { AdaptOverrides } from "../migration/events.js";
import { checkDraftScript, endpointPlace, withOverrides, type Draft, type WorkspaceContext } from "./draft.js";
import { askEnvironment } from "./pick-environment.js";
import { BACK, type Choice, type Prompter } from "./prompter.js";
import { environmentLabel } from "./text/plan-text.js";
import { usdPerHour } from "./text/text.js";

type Field =
  | "endpointName"
  | "deploymentName"
  | "sku"
  | "instanceCount"
  | "authMode"
  | "keepKeys"
  | "publicNetworkAccess"
  | "requestTimeoutMs"
  | "environment"
  | "codeDir";

/**
 * "Change the plan": which part, then a question for that part with the value checked as it is typed (names
 * against the naming rules and, for the endpoint, against the region), until the user is done.
 */
export async function changePlan(ask: Prompter, draft: Draft, ctx: WorkspaceContext): Promise<Draft> {
  for (;;) {
    const p = draft.plan;
    const fields: Choice<Field | "done">[] = [
      { value: "done", name: "Done: back to the review" },
      { value: "endpointName", name: `Endpoint name: ${p.endpointName}` },
      { value: "deploymentName", name: `Deployment name: ${p.deploymentName}` },
      { value: "sku", name: `VM size: ${p.sku.name ?? "none fits"}` },
      { value: "instanceCount", name: `Instances: ${p.instanceCount}`, description: "Azure advises at least 3 for production." },
      { value: "authMode", name: `Auth mode: ${p.authMode}` },
      ...(draft.service.authEnabled && p.authMode === "Key"
        ? [{ value: "keepKeys" as const, name: `Carry the v1 keys over: ${p.keysCarried ? "yes" : "no, new keys"}` }]
        : []),
      { value: "publicNetworkAccess", name: `Public network access: ${p.publicNetworkAccess === "Disabled" ? "off" : "on"}` },
      { value: "requestTimeoutMs", name: `Request timeout: ${p.requestTimeoutMs / 1000} s` },
      { value: "environment", name: `Environment: ${environmentLabel(p.environment)}` },
      { value: "codeDir", name: `Scoring code: ${draft.codeDir ?? "the v1 source snapshot"}` },
    ];
    const field = await ask.selectOrBack(`What do you want to change for ${draft.service.name}?`, fields);
    if (field === "done" || field === BACK) return draft; // Esc: back to the review, as "Done" does
    if (field === "codeDir") {
      const dir = await askCodeDir(ask, draft.codeDir);
      // Other code, another script to check (and other edits to offer).
      draft = withOverrides(
        { ...draft, codeDir: dir, scan: await checkDraftScript(ctx, draft.service, draft.doc, dir, draft.overrides.environment) },
        { ...draft.overrides, applyScriptEdits: undefined },
      );
      continue;
    }
    draft = await changeField(ask, draft, ctx, field);
  }
}

/** One part of the plan changed (the review's way to clear a blocker Azure would refuse, and each entry of the menu). */
export async function changeField(ask: Prompter, draft: Draft, ctx: WorkspaceContext, field: Exclude<Field, "codeDir" | "done">): Promise<Draft> {
  // A taken name is asked again with the free one the region suggested as the default.
  const suggested = field === "endpointName" && draft.plan.blockers.includes("endpoint-name-taken") ? draft.region?.freeEndpointName : undefined;
  const change = await askField(ask, field, draft.plan, ctx, suggested);
  // Another environment is another verdict on what the script imports: check it again there.
  const scan =
    change.environment !== undefined && change.environment !== draft.overrides.environment
      ? await ask.working(
          `Checking the scoring script in ${change.environment}`,
          checkDraftScript(ctx, draft.service, draft.doc, draft.codeDir, change.environment),
        )
      : draft.scan;
  return withOverrides({ ...draft, scan }, { ...draft.overrides, ...change });
}

/** The changes a running migration can take (an answer of `adapt`): VM size, instances, timeout, environment. */
export async function askAdaptation(ask: Prompter, plan: MigrationPlan, ctx?: WorkspaceContext): Promise<AdaptOverrides> {
  let change: AdaptOverrides = {};
  for (;;) {
    const field = await ask.select<"sku" | "instanceCount" | "requestTimeoutMs" | "environment" | "apply">(
      "Change what, then apply?",
      [
        { value: "sku", name: `VM size${change.sku ? `: ${change.sku}` : ` (now ${plan.sku.name ?? "none"})`}` },
        { value: "instanceCount", name: `Instances${change.instanceCount ? `: ${change.instanceCount}` : ` (now ${plan.instanceCount})`}` },
        {
          value: "requestTimeoutMs",
          name: `Request timeout${change.requestTimeoutMs ? `: ${change.requestTimeoutMs / 1000} s` : ` (now ${plan.requestTimeoutMs / 1000} s)`}`,
        },
        { value: "environment", name: `Environment${change.environment ? `: ${change.environment}` : ` (now ${environmentLabel(plan.environment)})`}` },
        { value: "apply", name: Object.keys(change).length ? "Apply these changes and try again" : "Apply (nothing changed yet: the same plan again)" },
      ],
      { default: Object.keys(change).length ? "apply" : undefined },
    );
    if (field === "apply") return change;
    change = { ...change, ...(await askField(ask, field, plan, ctx)) };
  }
}

/** One part of the plan, asked with its current value as the default; the endpoint name is checked in the region when `ctx` is given. */
export async function askField(
  ask: Prompter,
  field: Exclude<Field, "codeDir">,
  p: MigrationPlan,
  ctx?: WorkspaceContext,
  suggestedName?: string,
): Promise<PlanOverrides> {
  switch (field) {
    case "endpointName": {
      const name = await ask.input("Endpoint name (3-32 characters: a letter first, then letters, digits and single dashes):", {
        default: suggestedName ?? p.endpointName,
        validate: async (v) => {
          const problem = nameProblems(v.trim(), "endpoint")[0];
          if (problem) return problem;
          if (!ctx) return true;
          const taken = await checkEndpointName(ctx.port, endpointPlace(ctx), v.trim(), p.service.name).catch(() => "unknown" as const);
          return taken === "taken"
            ? `The name ${v.trim()} is taken in ${endpointPlace(ctx).location} (endpoint names are unique in a region); choose another.`
            : true;
        },
      });
      return { endpointName: name.trim() };
    }
    case "deploymentName": {
      const name = await ask.input("Deployment name:", { default: p.deploymentName, validate: (v) => nameProblems(v.trim(), "deployment")[0] ?? true });
      return { deploymentName: name.trim() };
    }
    case "sku":
      return { sku: await askSku(ask, p, ctx) };
    case "instanceCount": {
      const n = await ask.input(`Instances (1-${MAX_INSTANCES}; 3 or more for production):`, {
        default: String(p.instanceCount ?? 1),
        validate: (v) => problemOf({ instanceCount: wholeNumberOf(v) }),
      });
      return { instanceCount: wholeNumberOf(n) };
    }
    case "authMode":
      return {
        authMode: await ask.select(
          "Auth mode of the endpoint:",
          AUTH_MODES.map((m) => ({ value: m, name: m, description: AUTH_TEXT[m] })),
          { default: p.authMode },
        ),
      };
    case "publicNetworkAccess":
      return {
        publicNetworkAccess: await ask.select(
          "Public network access of the endpoint:",
          [
            { value: "Enabled" as const, name: "On", description: "callers anywhere reach it with its key or token" },
            { value: "Disabled" as const, name: "Off", description: "callers reach it only through the workspace's private endpoint" },
          ],
          { default: p.publicNetworkAccess },
        ),
      };
    case "keepKeys":
      return { keepKeys: await ask.confirm("Carry the v1 keys over, so callers change only the URL?", { default: p.keysCarried ?? true }) };
    case "requestTimeoutMs": {
      const s = await ask.input("Request timeout in seconds (1-180; ACI allowed about 60):", {
        default: String((p.requestTimeoutMs ?? 60_000) / 1000),
        validate: (v) => problemOf({ requestTimeoutMs: secondsToMs(v) }),
      });
      return { requestTimeoutMs: secondsToMs(s) };
    }
    case "environment":
      return { environment: await askEnvironment(ask, p, ctx) };
  }
}

const AUTH_TEXT = {
  Key: "callers send a key (the v1 keys carry over)",
  AMLToken: "callers send an Azure ML token that expires",
  AADToken: "callers send a Microsoft Entra token",
} as const;

/**
 * The sizes that fit the service, cheapest first, each with whether the region's free quota of its family takes
 * the plan's instances (read once per family; unknown where Azure does not say), then any size by name.
 */
async function askSku(ask: Prompter, p: MigrationPlan, ctx: WorkspaceContext | undefined): Promise<string> {
  const { service } = p;
  const fitting = service.cpu > 0 ? skusThatFit(service.cpu, service.memoryGb) : [];
  const shown = fitting.slice(0, 10);
  const free = ctx ? await ask.working(`Reading the free quota in ${endpointPlace(ctx).location}`, freeQuotaByFamily(ctx, shown)) : new Map<string, number>();
  const quotaText = (s: VmSku) => {
    const need = quotaNeed(s, p.instanceCount);
    const have = free.get(s.family);
    return have === undefined ? "" : have >= need.cores ? " · fits quota" : ` · quota short: needs ${need.cores} vCPUs of ${s.family}, ${have} free`;
  };
  const choices: Choice<string>[] = shown.map((s) => ({
    value: s.name,
    name: `${s.name}  ${s.vcpus} vCPU, ${s.memoryGib} GiB, ${usdPerHour(s.usdPerHour)}${quotaText(s)}${s.name === p.sku.suggested ? " (suggested)" : ""}${s.name === p.sku.name ? " (current)" : ""}`,
  }));
  choices.push({ value: "", name: "Another size: type its name" });
  const picked = await ask.select(`VM size for ${service.name} (those that fit ${service.cpu} CPU / ${service.memoryGb} GB, cheapest first):`, choices, {
    default: shown.some((s) => s.name === p.sku.name) ? p.sku.name : undefined,
  });
  if (picked) return picked;
  const typed = await ask.input("VM size (e.g. Standard_DS3_v2; `aci-migrate skus` lists all 85):", {
    validate: (v) => (findSku(v.trim()) ? true : problemOf({ sku: v.trim() })),
  });
  return findSku(typed.trim())!.name;
}

async function askCodeDir(ask: Prompter, current: string | undefined): Promise<string | undefined> {
  const dir = await ask.input("Folder holding the scoring script (empty: the v1 source snapshot):", {
    default: current,
    validate: (v) => (!v.trim() || (existsSync(resolve(v.trim())) && statSync(resolve(v.trim())).isDirectory()) ? true : `${v.trim()} is not a folder.`),
  });
  return dir.trim() ? resolve(dir.trim()) : undefined;
}

function problemOf(o: PlanOverrides): true | string {
  return validateOverrides(o)[0]?.message ?? true;
}

function wholeNumberOf(v: string): number {
  return /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
}

function secondsToMs(v: string): number {
  const s = Number(v);
  return /^\s*\d+(\.\d+)?\s*$/.test(v) ? Math.round(s * 1000) : NaN;
}

/** The free vCPUs of each family among `skus`, where Azure answers (a family it does not report is left out). */
async function freeQuotaByFamily(ctx: WorkspaceContext, skus: readonly VmSku[]): Promise<Map<string, number>> {
  const families = [...new Set(skus.map((s) => s.family))];
  const free = await Promise.all(families.map((f) => ctx.port.freeQuota(endpointPlace(ctx), f).catch(() => undefined)));
  return new Map(families.flatMap((f, i) => (free[i] === undefined ? [] : [[f, free[i]!] as [string, number]])));
}
