import { MIGRATED_FROM_TAG } from "../../domain/plan.js";
import { takeAhead } from "../read-ahead.js";
import { migrationTags, planOf, progress } from "../service-run.js";
import { describeMigration, type Step } from "./step.js";

/**
 * 6. All traffic to the new deployment (GET the endpoint, set traffic, PUT); then the deployments of this
 * service's migration that it replaced (a VM size change: blue → green) are deleted. Those are found by their
 * tag on the endpoint, so a resume after any kill finishes the same way; deployments aci-migrate did not make
 * are never touched.
 */
export const traffic: Step = async (run) => {
  const plan = planOf(run);
  // Both read during the smoke test (else now): nothing this run does between changes them.
  const deployments = takeAhead(run, "traffic-deployments", () => run.port.listDeployments(run.ws, plan.endpointName));
  deployments.catch(() => undefined); // (its failure is reported where it is awaited)
  const state = await takeAhead(run, "traffic-endpoint", () => run.port.getEndpoint(run.ws, plan.endpointName));
  const moved = state?.traffic[plan.deploymentName] === 100;
  if (!moved) {
    await run.port.createOrUpdateEndpoint(
      run.ws,
      {
        name: plan.endpointName,
        authMode: plan.authMode,
        tags: { ...(state?.tags ?? {}), ...migrationTags(run) },
        description: describeMigration(run),
        traffic: { [plan.deploymentName]: 100 },
      },
      { signal: run.signal, onProgress: (p) => progress(run, "traffic", `endpoint ${p.status}`, { status: p.status, changed: p.changed }) },
    );
  }
  const replaced = (await deployments).filter(
    (d) => d.name.toLowerCase() !== plan.deploymentName.toLowerCase() && d.tags[MIGRATED_FROM_TAG] === run.entry.name,
  );
  for (const d of replaced) {
    progress(run, "traffic", `deleting ${d.name} (${d.instanceType}), which ${plan.deploymentName} replaced`);
    await run.port.deleteDeployment(run.ws, plan.endpointName, d.name, {
      signal: run.signal,
      onProgress: (p) => progress(run, "traffic", `${d.name} ${p.status}`, { status: p.status, changed: p.changed }),
    });
  }
  const cleanup = replaced.length ? `; deleted ${replaced.map((d) => d.name).join(", ")}, which it replaced` : "";
  if (moved && !replaced.length) return { outcome: "skipped", detail: `${plan.deploymentName} already takes 100% of the traffic` };
  return { outcome: "done", detail: `100% of the traffic goes to ${plan.deploymentName}${cleanup}` };
};
