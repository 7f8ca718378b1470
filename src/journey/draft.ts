import { buildPlan, type MigrationPlan, type PlanOverrides, type RegionFacts, type ScriptScan } from "../domain/plan.js";
import { isImageBased, type V1Service } from "../domain/v1-service.js";
import { checkEndpointName, freeEndpointName } from "../migration/endpoint-name.js";
import type { CodeSource, MigrationPort, Rehearser, WorkspaceTarget } from "../migration/port.js";
import { rehearsalJob } from "../migration/rehearsal-job.js";
import type { RehearsalOutcome } from "../domain/rehearsal.js";
import { checkScoringScript } from "../migration/script-check.js";

/** One service's plan under review: the service, the person's changes, and what the region said about them. */
export interface Draft {
  readonly service: V1Service;
  /** The service as model management answered (its source snapshot is read from it). */
  readonly doc: Record<string, unknown>;
  readonly overrides: PlanOverrides;
  readonly codeDir?: string;
  /** The scoring-script check of the code it would deploy (undefined: not at hand). */
  readonly scan?: ScriptScan;
  readonly region?: RegionFacts;
  /** What a rehearsal on this machine found, while the plan still runs what it rehearsed. */
  readonly rehearsal?: RehearsalOutcome;
  readonly plan: MigrationPlan;
}

export interface WorkspaceContext {
  readonly port: MigrationPort;
  /** The services' workspace: they, their code and their models are read there. */
  readonly ws: WorkspaceTarget;
  /**
   * Another workspace the endpoints go into, once a review chose one (the CMK and VNet findings' remedy). Chosen
   * for the run: one session's services all go into one workspace.
   */
  into?: WorkspaceTarget;
}

/** Where the endpoints go: the workspace whose region, quota and endpoint names a plan is checked against. */
export const endpointPlace = (ctx: WorkspaceContext): WorkspaceTarget => ctx.into ?? ctx.ws;

export function newDraft(service: V1Service, doc: Record<string, unknown>, scan?: ScriptScan): Draft {
  return { service, doc, overrides: {}, scan, plan: buildPlan(service, {}, scan) };
}

/** The choices that change what a rehearsal ran: another one of them makes its verdict stale. */
const REHEARSED: readonly (keyof PlanOverrides)[] = ["environment", "model", "applyScriptEdits", "requestTimeoutMs"];

/** The draft with other overrides, its plan made again (with its script check, what the region said and its rehearsal). */
export function withOverrides(draft: Draft, overrides: PlanOverrides): Draft {
  const rehearsal = REHEARSED.every((k) => draft.overrides[k] === overrides[k]) ? draft.rehearsal : undefined;
  return { ...draft, overrides, rehearsal, plan: buildPlan(draft.service, overrides, draft.scan, draft.region, rehearsal) };
}

/** The draft rehearsed on this machine: its plan with the verdict among its findings. */
export async function rehearseDraft(ctx: WorkspaceContext, rehearser: Rehearser, draft: Draft, onProgress?: (m: string) => void): Promise<Draft> {
  const plan = draft.plan;
  const code: CodeSource | undefined =
    isImageBased(draft.service) && !draft.codeDir
      ? undefined
      : {
          ...(draft.codeDir
            ? { kind: "folder" as const, path: draft.codeDir, scoringScript: plan.code.scoringScript ?? "score.py" }
            : { kind: "snapshot" as const, service: draft.doc }),
          ...(plan.script.editsAccepted && plan.script.file ? { edits: { file: plan.script.file, edits: plan.script.edits } } : {}),
        };
  const job = await rehearsalJob({ port: ctx.port, ws: ctx.ws, service: draft.service, doc: draft.doc, plan, code });
  const rehearsal = await rehearser.rehearse(job, { runner: "auto", onProgress });
  return { ...draft, rehearsal, plan: buildPlan(draft.service, draft.overrides, draft.scan, draft.region, rehearsal) };
}

/** The scoring-script check of a service's code (its v1 snapshot, or the folder named) in the environment the plan names. */
export function checkDraftScript(
  ctx: WorkspaceContext,
  service: V1Service,
  doc: Record<string, unknown>,
  codeDir?: string,
  environmentOverride?: string,
): Promise<ScriptScan | undefined> {
  if (isImageBased(service) && !codeDir) return Promise.resolve(undefined);
  const source = codeDir
    ? { kind: "folder" as const, path: codeDir, scoringScript: service.entryScript ?? "score.py" }
    : { kind: "snapshot" as const, service: doc };
  return checkScoringScript(ctx.port, ctx.ws, service, source, environmentOverride);
}

/**
 * What the region says about a plan before anything is created: whether its endpoint name is free (a taken one
 * comes with a free name to suggest) and how many vCPUs of its VM family are free. What cannot be read stays
 * unknown (the engine's preflight checks again).
 */
export async function regionFacts(ctx: WorkspaceContext, plan: MigrationPlan, known: RegionFacts = placeFacts(ctx)): Promise<RegionFacts> {
  const at = endpointPlace(ctx);
  const name = plan.endpointName;
  const family = plan.quota?.family;
  const [status, free] = await Promise.all([
    checkEndpointName(ctx.port, at, name, plan.service.name).catch(() => undefined),
    family === undefined || known.freeQuota?.[family] !== undefined ? undefined : ctx.port.freeQuota(at, family).catch(() => undefined),
  ]);
  const taken = new Set(known.takenEndpointNames ?? []);
  if (status === "taken") taken.add(name);
  if (status === "free" || status === "ours") taken.delete(name);
  const suggestion = status === "taken" ? await freeEndpointName(ctx.port, at, plan.service.name).catch(() => undefined) : known.freeEndpointName;
  // Migrated before: what serves it now decides whether the new deployment goes beside it (another VM size).
  const ours =
    status === "ours"
      ? await ctx.port
          .listDeployments(at, name)
          .then((all) => all.map((d) => ({ name: d.name, instanceType: d.instanceType })))
          .catch(() => undefined)
      : undefined;
  return {
    location: at.location,
    ...(ctx.into ? { into: ctx.into.workspace } : {}),
    ...(known.into && !ctx.into ? { into: known.into } : {}),
    takenEndpointNames: [...taken],
    ...(suggestion ? { freeEndpointName: suggestion } : {}),
    freeQuota: { ...known.freeQuota, ...(family !== undefined && free !== undefined ? { [family]: free } : {}) },
    ...(ours ? { ourDeployments: ours } : {}),
  };
}

/** What is known of where the endpoints go before anything is read there: its region, and its name when it is another workspace. */
export function placeFacts(ctx: WorkspaceContext): RegionFacts {
  return { location: endpointPlace(ctx).location, ...(ctx.into ? { into: ctx.into.workspace } : {}) };
}

/** The draft with what the region says about its plan (see regionFacts). */
export async function lookAtRegion(ctx: WorkspaceContext, draft: Draft): Promise<Draft> {
  return withOverrides({ ...draft, region: await regionFacts(ctx, draft.plan, draft.region) }, draft.overrides);
}
