import { UserFixableError } from "../../domain/errors.js";
import { readAhead } from "../read-ahead.js";
import { migrationTags, planOf, progress, type ServiceRun } from "../service-run.js";
import { deploymentAssets } from "./deployment-assets.js";
import { count, megabytes, type Step, type StepOutcome } from "./step.js";
import { copyEnvironmentInto, copyModelsInto, intoOtherWorkspace } from "./workspace-assets.js";

/**
 * 2b. A service with several v1 models gets one folder model holding them all (a managed deployment takes one
 * model). The copy and the registration are keyed by the models' content, so a run killed anywhere in between
 * ends, when resumed, with one folder and one model version.
 */
export const model: Step = async (run) => {
  const outcome = await gatherModels(run);
  // The ids the deployment will name are read now, while the endpoint (the other lane) still provisions; an
  // image-based service's environment is registered (a write), so that waits for the deployment step.
  if (planOf(run).environment.kind !== "image") readAhead(run, "deployment-assets", () => deploymentAssets(run));
  return outcome;
};

async function gatherModels(run: ServiceRun): Promise<StepOutcome> {
  const m = planOf(run).model;
  const elsewhere = intoOtherWorkspace(run);
  if (elsewhere) await copyEnvironmentInto(run);
  if (m.kind === "registered") {
    if (!elsewhere) return { outcome: "skipped", detail: `one registered model, ${m.name}:${m.version}, deployed as it is` };
    const copied = await copyModelsInto(run, [m]);
    run.session.note(() => (run.entry.resources.modelId = copied.ids[0]));
    return { outcome: copied.reused ? "skipped" : "done", detail: `${copied.reused ? "found" : "copied"} ${m.name}:${m.version} in ${run.at.workspace}` };
  }
  if (m.kind === "unknown")
    throw new UserFixableError(`The plan for ${run.entry.name} names no model.`, {
      nextStep: "Name the registered model with --model NAME:VERSION.",
      kind: "state",
    });
  const parts = m.parts.map((id) => {
    const i = id.lastIndexOf(":");
    return { name: id.slice(0, i), version: id.slice(i + 1), path: m.paths[id] ?? id };
  });
  // In another workspace the parts are copied there first, then gathered inside its storage as at home.
  if (elsewhere) await copyModelsInto(run, parts);
  const made = await run.port.ensureCombinedModel(
    run.at,
    {
      name: m.name,
      parts,
      description: `The models of the ACI web service ${run.entry.name} (${m.parts.join(", ")}) in one folder, by aci-migrate.`,
      tags: migrationTags(run),
    },
    (p) =>
      progress(
        run,
        "model",
        p.copied === 0
          ? `copying ${count(p.total, "model file")} (${megabytes(p.bytes)}) of ${m.parts.join(", ")} inside the datastore`
          : `copied ${p.copied.toLocaleString("en-US")} of ${count(p.total, "file")}`,
      ),
  );
  run.session.note(() => (run.entry.resources.modelId = made.id));
  const where = parts.map((p) => `${p.name}:${p.version} at $AZUREML_MODEL_DIR/${p.path}`).join(", ");
  return { outcome: made.reused ? "skipped" : "done", detail: `${made.reused ? "reused" : "registered"} ${m.name}:${made.version} (${where})` };
}
