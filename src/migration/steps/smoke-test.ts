import { firstDifference } from "../../domain/compare-answers.js";
import { UserFixableError } from "../../domain/errors.js";
import { AzureRequestError } from "../errors.js";
import { readAhead, takeAhead } from "../read-ahead.js";
import { planOf, progress } from "../service-run.js";
import { smokeInputs } from "./smoke-inputs.js";
import type { Step } from "./step.js";

/** 5. Scores a sample on the new deployment and, when the old service answers, compares. */
export const smokeTest: Step = async (run) => {
  const plan = planOf(run);
  const oldUri = String(run.doc?.scoringUri ?? "");
  // What the calls need was read while the deployment provisioned; the endpoint's and its deployments' state,
  // which the traffic step starts from, are read while the two are called.
  const inputs = takeAhead(run, "smoke-inputs", () => smokeInputs(run));
  const uri = run.entry.resources.scoringUri ?? (await run.port.getEndpoint(run.at, plan.endpointName))?.scoringUri;
  if (!uri) throw new UserFixableError(`Endpoint ${plan.endpointName} has no scoring URI yet.`, { nextStep: "Resume in a minute.", kind: "state" });
  const { keys, sample, oldKeys } = await inputs;
  const key = keys?.primaryKey;
  const oldKey = oldKeys?.primaryKey;
  progress(run, "smoke-test", `scoring ${sample.source}`);
  readAhead(run, "traffic-endpoint", () => run.port.getEndpoint(run.at, plan.endpointName));
  readAhead(run, "traffic-deployments", () => run.port.listDeployments(run.at, plan.endpointName));
  // The new deployment and the ACI service are called side by side with the same request (the ACI answer is
  // compared only when the new one passes).
  const [fresh, old] = await Promise.all([
    run.port.score(uri, key, sample.body, plan.deploymentName),
    oldUri ? run.port.score(oldUri, oldKey, sample.body).catch(() => undefined) : undefined,
  ]);
  if (fresh.status === 429 || fresh.status >= 500) {
    throw new AzureRequestError(`The new deployment answered HTTP ${fresh.status}.`, fresh.status, undefined, undefined, "Score"); // transient: the step runs again
  }
  if (fresh.status === 403 && plan.publicNetworkAccess === "Disabled") {
    // Refused at the network, as planned: from outside the workspace's network nothing can be proven here.
    const result = { status: "skipped" as const, detail: "the endpoint takes no public traffic, and this machine is outside the workspace's network" };
    run.session.note(() => (run.entry.outcome = { status: "migrated", smokeTest: result }));
    return { outcome: "skipped", detail: `${result.detail}: score it from inside the network before callers move` };
  }
  if (fresh.status !== 200) {
    const result = { status: "failed" as const, detail: `the new deployment answered HTTP ${fresh.status}` };
    run.session.note(() => (run.entry.outcome = { status: "failed", smokeTest: result }));
    throw new UserFixableError(`Smoke test of ${plan.endpointName}: ${result.detail}.`, {
      nextStep: "Read the deployment logs (InferenceServer) and fix the scoring script or environment; traffic was not moved.",
      kind: "state",
    });
  }
  let detail = "the new deployment answered 200";
  if (oldUri) {
    if (old?.status === 200) {
      const same = !firstDifference(old.body, fresh.body);
      if (!same) {
        const result = { status: "failed" as const, detail: "the new deployment answers differently from the ACI service" };
        run.session.note(() => (run.entry.outcome = { status: "failed", smokeTest: result }));
        throw new UserFixableError(`Smoke test of ${plan.endpointName}: ${result.detail}.`, {
          nextStep: "Check that the same model version and scoring code were deployed; traffic was not moved.",
          kind: "state",
        });
      }
      detail = "the new deployment answers as the ACI service (numbers within the tolerance)";
    } else {
      detail += "; the ACI service did not answer, so nothing to compare";
    }
  }
  run.session.note(() => (run.entry.outcome = { status: "migrated", smokeTest: { status: "passed", detail } }));
  return { outcome: "done", detail };
};
