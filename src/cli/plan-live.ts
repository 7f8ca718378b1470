import type { AzureMigrationAdapter } from "../azure/migration-adapter.js";
import type { CodeFiles } from "../azure/code-snapshot.js";
import type { AzMlYamlOptions } from "../domain/az-ml-yaml.js";
import { UserFixableError } from "../domain/errors.js";
import { combinedModelPath } from "../domain/model-layout.js";
import { buildPlan, type MigrationPlan, type PlanOverrides, type RegionFacts } from "../domain/plan.js";
import type { PlanBasis } from "../domain/saved-plan.js";
import { serviceFingerprint } from "../domain/saved-plan.js";
import type { ScriptContext } from "../domain/script-habits.js";
import { isImageBased, type V1Service } from "../domain/v1-service.js";
import { regionFacts } from "../journey/draft.js";
import type { WorkspaceTarget } from "../migration/port.js";
import { scanScript, scriptContextOf } from "../migration/script-check.js";
import { planWithFlags } from "./plan-with-flags.js";

// The code folder's reader (tar) loads only when a plan reads code, so that a plan from files starts as fast as
// Node does (test/cli/lazy-loading.test.ts).
const codeSnapshot = () => import("../azure/code-snapshot.js");

/** A service with what a plan and an export need of it: its scoring code (when it can be read) and, live, where it is. */
export interface PlannedSource {
  readonly service: V1Service;
  readonly code?: CodeFiles;
  readonly workspace?: WorkspaceTarget;
  /** For a live service with several models: the copies inside storage that gather them. */
  readonly modelCopies?: AzMlYamlOptions["modelCopies"];
  /** For a live service: what its region says (a taken endpoint name, free quota). */
  readonly region?: RegionFacts;
  /** For a live service: the packages of the environment the plan names and the files its models registered. */
  readonly scriptContext?: Partial<ScriptContext>;
}

/** A live service read for planning: its document too, which a saved plan is based on. */
export interface LiveSource extends PlannedSource {
  readonly workspace: WorkspaceTarget;
  /** The workspace the endpoint goes into, when it is not the service's own. */
  readonly into?: WorkspaceTarget;
  readonly doc: Readonly<Record<string, unknown>>;
}

/**
 * Reads what planning a live service needs beside its document: the scoring code (the v1 snapshot, or
 * `codeDir`), the model copies an export names (`modelCopies`), the region's facts and the script's context.
 */
export async function readLiveSource(
  adapter: AzureMigrationAdapter,
  ws: WorkspaceTarget,
  live: { doc: Readonly<Record<string, unknown>>; service: V1Service },
  overrides: PlanOverrides,
  o: { codeDir?: string; modelCopies?: boolean; into?: WorkspaceTarget } = {},
): Promise<LiveSource> {
  const { doc, service } = live;
  const codeSource = o.codeDir
    ? { kind: "folder" as const, path: o.codeDir, scoringScript: service.entryScript ?? "score.py" }
    : { kind: "snapshot" as const, service: doc as Record<string, unknown> };
  // The snapshot of a service that has none is reported by migrate's code step; a plan goes on without it.
  const code =
    isImageBased(service) && !o.codeDir
      ? undefined
      : await adapter.readCode(ws, codeSource).catch((e: unknown) => {
          if (e instanceof UserFixableError && codeSource.kind === "snapshot") return undefined;
          throw e;
        });
  const modelCopies =
    service.models.length > 1 && o.modelCopies
      ? await adapter.combinedModelCopies(
          ws,
          service.models.map((m) => ({ name: m.name, version: m.version ?? "", path: combinedModelPath(m.name, m.version ?? "") })),
        )
      : undefined;
  // Asked of the region as the review asks it: a taken endpoint name or short quota is a blocker here, not a
  // failure at preflight. Overrides that do not hold are reported by planWithFlags later; the region waits for them.
  const asPlanned = (() => {
    try {
      return buildPlan(service, overrides);
    } catch {
      return undefined;
    }
  })();
  const [region, scriptContext] = await Promise.all([
    // The region that matters is where the endpoint goes: the target workspace's, when there is one.
    asPlanned ? regionFacts({ port: adapter, ws, ...(o.into ? { into: o.into } : {}) }, asPlanned) : undefined,
    scriptContextOf(adapter, ws, service, overrides.environment),
  ]);
  return { service, doc, code, workspace: ws, ...(o.into ? { into: o.into } : {}), modelCopies, region, scriptContext };
}

/** The plan of a source with the user's choices: its scoring script checked when its code is at hand. */
export async function planSource(source: PlannedSource, overrides: PlanOverrides): Promise<MigrationPlan> {
  const scan = source.code && !isImageBased(source.service) ? await scriptScanOf(source.service, source.code, source.scriptContext) : undefined;
  return planWithFlags(source.service, overrides, scan, source.region);
}

async function scriptScanOf(service: V1Service, code: CodeFiles, context?: Partial<ScriptContext>) {
  const text = await (await codeSnapshot()).codeFileText(code, service.entryScript ?? "score.py");
  return text === undefined ? undefined : scanScript(service, text, context);
}

/** What a live plan was made from, as a saved plan keeps it and `migrate --plan` reads it again. */
export function basisOf(source: LiveSource, plan: MigrationPlan): PlanBasis {
  const family = plan.quota?.family;
  return {
    service: serviceFingerprint(source.doc),
    code: source.code?.hash ?? null,
    region: source.region?.location ?? source.workspace.location,
    quota: plan.quota && family ? { family, free: source.region?.freeQuota?.[family] ?? null, needed: plan.quota.cores } : null,
  };
}
