import { UserFixableError } from "../../domain/errors.js";
import { sameWorkspace } from "../workspace-place.js";
import { migrationTags, planOf, progress, type ServiceRun } from "../service-run.js";
import { count, megabytes } from "./step.js";

/** Whether the endpoint goes into another workspace than the v1 service's (--target-workspace). */
export const intoOtherWorkspace = (run: ServiceRun): boolean => !sameWorkspace(run.at, run.ws);

/**
 * For an endpoint in another workspace: the registered model versions the plan names, copied there (files by
 * Storage, then registered under the same name and version), tagged with this session so a rollback removes them.
 */
export async function copyModelsInto(run: ServiceRun, models: readonly { name: string; version: string }[]): Promise<{ ids: string[]; reused: boolean }> {
  const ids: string[] = [];
  let reused = true;
  for (const m of models) {
    const made = await run.port.copyModelVersion(run.ws, run.at, { ...m, tags: migrationTags(run) }, (p) =>
      progress(
        run,
        "model",
        p.copied === 0
          ? `copying ${m.name}:${m.version} (${count(p.total, "file")}, ${megabytes(p.bytes)}) into ${run.at.workspace}`
          : `copied ${p.copied.toLocaleString("en-US")} of ${count(p.total, "file")} of ${m.name}:${m.version}`,
      ),
    );
    ids.push(made.id);
    reused &&= made.reused;
  }
  return { ids, reused };
}

/** For an endpoint in another workspace: the plan's registered environment, registered there from its definition. */
export async function copyEnvironmentInto(run: ServiceRun): Promise<string | undefined> {
  const env = planOf(run).environment;
  if (env.kind !== "registered") return undefined; // an image's environment is registered where the deployment is
  const found = await run.port.environmentVersion(run.ws, env.name, env.version);
  if (!found)
    throw new UserFixableError(`Environment ${env.name}:${env.version ?? "latest"} is not registered in ${run.ws.workspace}.`, {
      nextStep: "Register it, then resume.",
      kind: "state",
    });
  const version = found.id.split("/").pop()!;
  const made = await run.port.copyEnvironmentVersion(run.ws, run.at, { name: env.name, version, tags: migrationTags(run) });
  run.session.note(() => (run.entry.resources.environmentId = made.id));
  return made.id;
}
