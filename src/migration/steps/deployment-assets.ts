import { UserFixableError } from "../../domain/errors.js";
import { INFERENCE_SERVER_PACKAGES } from "../../domain/findings.js";
import { condaFilePackageNames } from "../../domain/parse-v1-environment.js";
import type { DeploymentSpec } from "../port.js";
import type { ReadsAhead } from "../read-ahead.js";
import { migrationTags, planOf, progress, type ServiceRun } from "../service-run.js";

/** The model and environment a deployment of the plan names, with the plan they were read for. */
export type DeploymentAssets = Promise<ReadsAhead["deployment-assets"]>;

export function deploymentAssets(run: ServiceRun): DeploymentAssets {
  const { model, environment } = planOf(run);
  const read = Promise.all([modelFor(run), environmentFor(run)]).then(([modelId, env]) => ({
    modelId,
    environmentId: env.id,
    warning: env.warning,
    for: JSON.stringify({ model, environment }),
  }));
  read.catch(() => undefined); // (its failure is reported where it is awaited)
  return read;
}

/** What the deployment step puts: the plan, with the environment, model and code resolved to their ARM ids. */
export async function deploymentSpec(run: ServiceRun, assets: DeploymentAssets): Promise<DeploymentSpec> {
  const plan = planOf(run);
  const read = await assets.catch(() => undefined);
  const current = read?.for === JSON.stringify({ model: plan.model, environment: plan.environment });
  const { modelId, environmentId, warning } = current ? read! : await deploymentAssets(run);
  if (!current && warning) progress(run, "deployment", warning);
  return {
    endpointName: plan.endpointName,
    name: plan.deploymentName,
    modelId,
    environmentId,
    codeId: run.entry.resources.codeId,
    scoringScript: plan.code.scoringScript ?? "score.py",
    instanceType: plan.sku.name!,
    instanceCount: plan.instanceCount,
    requestTimeoutMs: plan.requestTimeoutMs,
    probes: plan.probes,
    appInsightsEnabled: plan.appInsightsEnabled,
    environmentVariables: plan.environmentVariables,
    tags: migrationTags(run),
  };
}

async function modelFor(run: ServiceRun): Promise<string> {
  const model = planOf(run).model;
  // A model copied into another workspace (or several gathered in one) is the one the model step registered.
  if (model.kind === "combined" || run.entry.resources.modelId) {
    const id = run.entry.resources.modelId;
    if (!id)
      throw new UserFixableError(`The folder model of ${run.entry.name} is not registered yet.`, {
        nextStep: "Resume: the model step registers it first.",
        kind: "state",
      });
    return id;
  }
  if (model.kind !== "registered") {
    throw new UserFixableError(`The plan for ${run.entry.name} names no model.`, {
      nextStep: "Name the registered model with --model NAME:VERSION.",
      kind: "state",
    });
  }
  const id = await run.port.modelVersionId(run.at, model.name, model.version);
  if (!id)
    throw new UserFixableError(`Model ${model.name}:${model.version} is not registered in ${run.at.workspace}.`, {
      nextStep: "Register it, or name another with --model.",
      kind: "state",
    });
  return id;
}

/** The environment's id, and a warning when its conda file lacks the inference server (the step shows it). */
async function environmentFor(run: ServiceRun): Promise<{ id: string; warning?: string }> {
  const env = planOf(run).environment;
  if (env.kind === "image") return { id: await run.port.ensureImageEnvironment(run.at, `${run.entry.name}-image-env`, env.image) };
  if (env.kind !== "registered") {
    throw new UserFixableError(`The plan for ${run.entry.name} has no registered environment (${env.kind}).`, {
      nextStep: "Register an environment for it and plan again.",
      kind: "state",
    });
  }
  // In another workspace, the version the model step registered there (same name and version as the service's).
  const copied = run.entry.resources.environmentId?.split("/");
  const found = await run.port.environmentVersion(run.at, env.name, copied ? copied.at(-1) : env.version);
  if (!found)
    throw new UserFixableError(`Environment ${env.name}:${env.version ?? "latest"} is not registered in ${run.at.workspace}.`, {
      nextStep: "Register it, then resume.",
      kind: "state",
    });
  // The registered conda file is the truth (the v1 copy may be older): without the server the container crashes.
  const names = found.condaFile ? condaFilePackageNames(found.condaFile) : undefined;
  if (names && !INFERENCE_SERVER_PACKAGES.some((p) => names.includes(p))) {
    return { id: found.id, warning: `warning: ${env.name}:${env.version} lists neither azureml-defaults nor azureml-inference-server-http` };
  }
  return { id: found.id };
}
