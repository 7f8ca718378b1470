import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { nameProblems } from "../../domain/names.js";
import { AUTH_MODES, buildPlan, MAX_INSTANCES, validateOverrides, type MigrationPlan, type PlanOverrides, type ScriptScan } from "../../domain/plan.js";
import { findSku } from "../../domain/sku-catalog.js";
import { skusThatFit } from "../../domain/suggest-sku.js";
import { isImageBased, type V1Service } from "../../domain/v1-service.js";
import { checkScoringScript } from "../../migration/script-check.js";
import { checkEndpointName } from "../../migration/endpoint-name.js";
import type { AdaptOverrides } from "../../migration/events.js";
import type { MigrationPort, WorkspaceTarget } from "../../migration/port.js";
import { environmentLabel } from "../render/plan-text.js";
import { usdPerHour } from "../render/text.js";
import type { Prompter, PromptChoice } from "./prompter.js";

/** One service's plan under review, with the user's changes. */
export interface Draft {
  readonly service: V1Service;
  readonly overrides: PlanOverrides;
  readonly codeDir?: string;
  /** The scoring-script check of the code it would deploy (undefined: not at hand). */
  readonly scan?: ScriptScan;
  readonly plan: MigrationPlan;
}

export function newDraft(service: V1Service, scan?: ScriptScan): Draft {
  return { service, overrides: {}, scan, plan: buildPlan(service, {}, scan) };
}

/** The draft with other overrides, its plan made again (with its script check). */
export function withOverrides(draft: Draft, overrides: PlanOverrides): Draft {
  return { ...draft, overrides, plan: buildPlan(draft.service, overrides, draft.scan) };
}

/** The scoring-script check of a service's code: its v1 snapshot (`doc`), or the folder named. */
export function checkDraftScript(ctx: { port: MigrationPort; ws: WorkspaceTarget }, service: V1Service, doc: Record<string, unknown>, codeDir?: string): Promise<ScriptScan | undefined> {
  if (isImageBased(service) && !codeDir) return Promise.resolve(undefined);
  const source = codeDir ? { kind: "folder" as const, path: codeDir, scoringScript: service.entryScript ?? "score.py" } : { kind: "snapshot" as const, service: doc };
  return checkScoringScript(ctx.port, ctx.ws, service, source);
}

type Field = "endpointName" | "deploymentName" | "sku" | "instanceCount" | "authMode" | "keepKeys" | "requestTimeoutMs" | "environment" | "codeDir";

/**
 * "Change the plan": which part, then a question for that part with the value checked as it is typed (names
 * against the naming rules and, for the endpoint, against the region), until the user is done.
 */
export async function changePlan(ask: Prompter, draft: Draft, ctx: { port: MigrationPort; ws: WorkspaceTarget; doc: Record<string, unknown> }): Promise<Draft> {
  for (;;) {
    const p = draft.plan;
    const fields: PromptChoice<Field | "done">[] = [
      { value: "done", name: "Done: back to the review" },
      { value: "endpointName", name: `Endpoint name: ${p.endpointName}` },
      { value: "deploymentName", name: `Deployment name: ${p.deploymentName}` },
      { value: "sku", name: `VM size: ${p.sku.name ?? "none fits"}` },
      { value: "instanceCount", name: `Instances: ${p.instanceCount}`, description: "Azure advises at least 3 for production." },
      { value: "authMode", name: `Auth mode: ${p.authMode}` },
      ...(draft.service.authEnabled && p.authMode === "Key" ? [{ value: "keepKeys" as const, name: `Carry the v1 keys over: ${p.keysCarried ? "yes" : "no, new keys"}` }] : []),
      { value: "requestTimeoutMs", name: `Request timeout: ${p.requestTimeoutMs / 1000} s` },
      { value: "environment", name: `Environment: ${environmentLabel(p.environment)}` },
      { value: "codeDir", name: `Scoring code: ${draft.codeDir ?? "the v1 source snapshot"}` },
    ];
    const field = await ask.select(`What do you want to change for ${draft.service.name}?`, fields);
    if (field === "done") return draft;
    if (field === "codeDir") {
      const dir = await askCodeDir(ask, draft.codeDir);
      // Other code, another script to check (and other edits to offer).
      draft = withOverrides({ ...draft, codeDir: dir, scan: await checkDraftScript(ctx, draft.service, ctx.doc, dir) }, { ...draft.overrides, applyScriptEdits: undefined });
      continue;
    }
    const change = await askField(ask, field, draft.plan, ctx);
    draft = withOverrides(draft, { ...draft.overrides, ...change });
  }
}

/** The changes a running migration can take (an answer of `adapt`): VM size, instances, timeout, environment. */
export async function askAdaptation(ask: Prompter, plan: MigrationPlan): Promise<AdaptOverrides> {
  let change: AdaptOverrides = {};
  for (;;) {
    const field = await ask.select<"sku" | "instanceCount" | "requestTimeoutMs" | "environment" | "apply">("Change what, then apply?", [
      { value: "sku", name: `VM size${change.sku ? `: ${change.sku}` : ` (now ${plan.sku.name ?? "none"})`}` },
      { value: "instanceCount", name: `Instances${change.instanceCount ? `: ${change.instanceCount}` : ` (now ${plan.instanceCount})`}` },
      { value: "requestTimeoutMs", name: `Request timeout${change.requestTimeoutMs ? `: ${change.requestTimeoutMs / 1000} s` : ` (now ${plan.requestTimeoutMs / 1000} s)`}` },
      { value: "environment", name: `Environment${change.environment ? `: ${change.environment}` : ` (now ${environmentLabel(plan.environment)})`}` },
      { value: "apply", name: Object.keys(change).length ? "Apply these changes and try again" : "Apply (nothing changed yet: the same plan again)" },
    ], { default: Object.keys(change).length ? "apply" : undefined });
    if (field === "apply") return change;
    change = { ...change, ...(await askField(ask, field, plan)) };
  }
}

/** One part of the plan, asked with its current value as the default; the endpoint name is checked in the region when `ctx` is given. */
async function askField(ask: Prompter, field: Exclude<Field, "codeDir">, p: MigrationPlan, ctx?: { port: MigrationPort; ws: WorkspaceTarget }): Promise<PlanOverrides> {
  switch (field) {
    case "endpointName": {
      const name = await ask.input("Endpoint name (3-32 characters: a letter first, then letters, digits and single dashes):", {
        default: p.endpointName,
        validate: async (v) => {
          const problem = nameProblems(v.trim(), "endpoint")[0];
          if (problem) return problem;
          if (!ctx) return true;
          const taken = await checkEndpointName(ctx.port, ctx.ws, v.trim(), p.service.name).catch(() => "unknown" as const);
          return taken === "taken" ? `The name ${v.trim()} is taken in ${ctx.ws.location} (endpoint names are unique in a region); choose another.` : true;
        },
      });
      return { endpointName: name.trim() };
    }
    case "deploymentName": {
      const name = await ask.input("Deployment name:", { default: p.deploymentName, validate: (v) => nameProblems(v.trim(), "deployment")[0] ?? true });
      return { deploymentName: name.trim() };
    }
    case "sku":
      return { sku: await askSku(ask, p) };
    case "instanceCount": {
      const n = await ask.input(`Instances (1-${MAX_INSTANCES}; 3 or more for production):`, { default: String(p.instanceCount ?? 1), validate: (v) => problemOf({ instanceCount: wholeNumberOf(v) }) });
      return { instanceCount: wholeNumberOf(n) };
    }
    case "authMode":
      return { authMode: await ask.select("Auth mode of the endpoint:", AUTH_MODES.map((m) => ({ value: m, name: m, description: AUTH_TEXT[m] })), { default: p.authMode }) };
    case "keepKeys":
      return { keepKeys: await ask.confirm("Carry the v1 keys over, so callers change only the URL?", { default: p.keysCarried ?? true }) };
    case "requestTimeoutMs": {
      const s = await ask.input("Request timeout in seconds (1-180; ACI allowed about 60):", { default: String((p.requestTimeoutMs ?? 60_000) / 1000), validate: (v) => problemOf({ requestTimeoutMs: secondsToMs(v) }) });
      return { requestTimeoutMs: secondsToMs(s) };
    }
    case "environment": {
      const env = await ask.input("Registered environment NAME:VERSION to run in (empty: the service's own):", { validate: (v) => (v.trim() ? problemOf({ environment: v.trim() }) : true) });
      return { environment: env.trim() || undefined };
    }
  }
}

const AUTH_TEXT = {
  Key: "callers send a key (the v1 keys carry over)",
  AMLToken: "callers send an Azure ML token that expires",
  AADToken: "callers send a Microsoft Entra token",
} as const;

/** The sizes that fit the service, cheapest first, then any size by name. */
async function askSku(ask: Prompter, p: MigrationPlan): Promise<string> {
  const { service } = p;
  const fitting = service.cpu > 0 ? skusThatFit(service.cpu, service.memoryGb) : [];
  const shown = fitting.slice(0, 10);
  const choices: PromptChoice<string>[] = shown.map((s) => ({
    value: s.name,
    name: `${s.name}  ${s.vcpus} vCPU, ${s.memoryGib} GiB, ${usdPerHour(s.usdPerHour)}${s.name === p.sku.suggested ? " (suggested)" : ""}${s.name === p.sku.name ? " (current)" : ""}`,
  }));
  choices.push({ value: "", name: "Another size: type its name" });
  const picked = await ask.select(`VM size for ${service.name} (those that fit ${service.cpu} CPU / ${service.memoryGb} GB, cheapest first):`, choices, { default: shown.some((s) => s.name === p.sku.name) ? p.sku.name : undefined });
  if (picked) return picked;
  const typed = await ask.input("VM size (e.g. Standard_DS3_v2; `aci-migrate skus` lists all 85):", { validate: (v) => (findSku(v.trim()) ? true : problemOf({ sku: v.trim() })) });
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
