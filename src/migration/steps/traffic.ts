import { MIGRATED_FROM_TAG } from "../../domain/plan.js";
import { takeAhead } from "../read-ahead.js";
import { planOf, progress, updatedEndpointTags } from "../service-run.js";
import { cutOver } from "./cutover.js";
import { accessOf, describeMigration, type Step, type StepOutcome } from "./step.js";
import type { DeploymentState, EndpointState } from "../port.js";
import type { SessionCutover } from "../../session/session-file.js";

/**
 * 7. All traffic to the new deployment (GET the endpoint, set traffic, PUT); then the deployments of this
 * service's migration that it replaced (a VM size change: blue → green) are deleted. Those are found by their
 * tag on the endpoint, so a resume after any kill finishes the same way; deployments aci-migrate did not make
 * are never touched. With `--traffic-steps` the switch goes in steps and the old deployment is kept (cutover.ts).
 */
export const traffic: Step = async (run) => {
  const plan = planOf(run);
  // Both read during the smoke test (else now): nothing this run does between changes them.
  const deployments = takeAhead(run, "traffic-deployments", () => run.port.listDeployments(run.at, plan.endpointName));
  deployments.catch(() => undefined); // (its failure is reported where it is awaited)
  const state = await takeAhead(run, "traffic-endpoint", () => run.port.getEndpoint(run.at, plan.endpointName));
  const replaced = (await deployments).filter(
    (d) => d.name.toLowerCase() !== plan.deploymentName.toLowerCase() && d.tags[MIGRATED_FROM_TAG] === run.entry.name,
  );
  if (state && replaced.length && run.entry.cutover) return keepOrCutOver(run, run.entry.cutover, state, replaced);
  const moved = state?.traffic[plan.deploymentName] === 100;
  if (!moved) {
    await run.port.createOrUpdateEndpoint(
      run.at,
      {
        name: plan.endpointName,
        authMode: plan.authMode,
        tags: updatedEndpointTags(run, state?.tags),
        description: describeMigration(run),
        publicNetworkAccess: accessOf(plan, state?.publicNetworkAccess),
        traffic: { [plan.deploymentName]: 100 },
      },
      { signal: run.signal, onProgress: (p) => progress(run, "traffic", `endpoint ${p.status}`, { status: p.status, changed: p.changed }) },
    );
  }
  for (const d of replaced) {
    progress(run, "traffic", `deleting ${d.name} (${d.instanceType}), which ${plan.deploymentName} replaced`);
    await run.port.deleteDeployment(run.at, plan.endpointName, d.name, {
      signal: run.signal,
      onProgress: (p) => progress(run, "traffic", `${d.name} ${p.status}`, { status: p.status, changed: p.changed }),
    });
  }
  const cleanup = replaced.length ? `; deleted ${replaced.map((d) => d.name).join(", ")}, which it replaced` : "";
  if (moved && !replaced.length) return { outcome: "skipped", detail: `${plan.deploymentName} already takes 100% of the traffic` };
  return { outcome: "done", detail: `100% of the traffic goes to ${plan.deploymentName}${cleanup}` };
};

/**
 * A switch in steps (cutover.ts), then the kept old deployment: deleted by the run that finds its time has
 * passed (a resume after the window), kept otherwise.
 */
async function keepOrCutOver(
  run: Parameters<Step>[0],
  cutover: SessionCutover,
  state: EndpointState,
  others: readonly DeploymentState[],
): Promise<StepOutcome> {
  const { detail, moved } = await cutOver(run, cutover, state, others);
  const kept = run.entry.keptOld;
  if (!kept?.until || Date.parse(kept.until) > Date.now()) return { outcome: moved ? "done" : "skipped", detail };
  const plan = planOf(run);
  progress(run, "traffic", `deleting ${kept.deployment}: it was kept until ${kept.until}`);
  await run.port.deleteDeployment(run.at, plan.endpointName, kept.deployment, {
    signal: run.signal,
    onProgress: (p) => progress(run, "traffic", `${kept.deployment} ${p.status}`, { status: p.status, changed: p.changed }),
  });
  run.session.note(() => (run.entry.keptOld = undefined));
  return { outcome: "done", detail: `100% of the traffic goes to ${plan.deploymentName}; deleted ${kept.deployment}, kept until ${kept.until}` };
}
