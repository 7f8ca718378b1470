import { condaFilePackageNames } from "../domain/parse-v1-environment.js";
import type { MigrationPlan } from "../domain/plan.js";
import type { RehearsalJob } from "../domain/rehearsal.js";
import type { V1Service } from "../domain/v1-service.js";
import type { CodeSource, MigrationPort, WorkspaceTarget } from "./port.js";
import { sampleRequest } from "./sample-request.js";
import { servicePackages } from "./script-check.js";

/** Where a service is and what the plan makes of it: what a rehearsal of it is gathered from. */
export interface RehearsalSource {
  readonly port: MigrationPort;
  readonly ws: WorkspaceTarget;
  readonly service: V1Service;
  /** The service as model management answers (its scoring URI and swagger). */
  readonly doc: Record<string, unknown>;
  readonly plan: MigrationPlan;
  /** The code that would be deployed (with the accepted edits); none for an image that carries it. */
  readonly code: CodeSource | undefined;
  /** The user's sample request, when given. */
  readonly sampleRequest?: unknown;
  /** Registers each key read (the v1 keys the comparison sends), so no journal or log writes it. */
  readonly secrets?: Set<string>;
}

/**
 * The rehearsal of a live service: its code and model read from the workspace into the managed layout, the
 * environment the plan names, the sample the smoke test would send, and the v1 service's own answer to it.
 */
export async function rehearsalJob(s: RehearsalSource): Promise<RehearsalJob> {
  const { port, ws, plan, service } = s;
  const model = plan.model;
  const [environment, sample] = await Promise.all([environmentOf(s), sampleRequest(s)]);
  const oldUri = typeof s.doc.scoringUri === "string" ? s.doc.scoringUri : undefined;
  return {
    service: service.name,
    layout: {
      codeFolder: `${service.name}-code`,
      scoringScript: plan.code.scoringScript ?? "score.py",
      modelFolder: model.kind === "registered" ? `${model.name}/${model.version}` : model.kind === "combined" ? `${model.name}/1` : "model/1",
      environmentVariables: plan.environmentVariables,
    },
    ...(s.code ? { placeCode: (dir: string) => port.saveCode(ws, s.code!, dir) } : {}),
    placeModel: async (dir, onProgress) => {
      if (model.kind === "registered") await port.saveModel(ws, { kind: "registered", name: model.name, version: model.version }, dir, onProgress);
      if (model.kind === "combined") {
        const parts = model.parts.map((id) => {
          const i = id.lastIndexOf(":");
          return { name: id.slice(0, i), version: id.slice(i + 1), path: model.paths[id] ?? id };
        });
        await port.saveModel(ws, { kind: "combined", parts }, dir, onProgress);
      }
    },
    environment,
    sample,
    requestTimeoutMs: plan.requestTimeoutMs,
    ...(oldUri && service.state === "Healthy"
      ? {
          v1Answer: async () => {
            const keys = service.authEnabled ? await port.listV1ServiceKeys(ws, service.name) : undefined;
            for (const k of [keys?.primaryKey, keys?.secondaryKey]) if (k) s.secrets?.add(k);
            return port.score(oldUri, keys?.primaryKey, sample.body);
          },
        }
      : {}),
  };
}

/** The environment the plan names: a registered one read from the workspace, else the service's own. */
async function environmentOf(s: RehearsalSource): Promise<RehearsalJob["environment"]> {
  const env = s.plan.environment;
  if (env.kind === "registered" && env.name !== s.service.environment?.name) {
    const found = await s.port.environmentVersion(s.ws, env.name, env.version);
    return { conda: found?.condaFile, image: found?.image, packages: found?.condaFile ? condaFilePackageNames(found.condaFile) : undefined };
  }
  if (env.kind === "image") return { image: env.image };
  const own = s.service.environment;
  return { conda: own?.userManagedDependencies ? undefined : own?.condaDependencies, image: own?.baseImage, packages: servicePackages(s.service) };
}
