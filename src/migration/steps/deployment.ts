import { nextDeploymentName } from "../../domain/names.js";
import type { MigrationPlan } from "../../domain/plan.js";
import { settle } from "../ask-user.js";
import { AzureRequestError, OperationFailedError, toStepError } from "../errors.js";
import type { DeploymentSpec, DeploymentState, LroProgress, WaitOptions } from "../port.js";
import { readAhead, takeAhead } from "../read-ahead.js";
import { planOf, progress, type ServiceRun } from "../service-run.js";
import { deploymentAssets, deploymentSpec, type DeploymentAssets } from "./deployment-assets.js";
import { streamLogs } from "./stream-logs.js";
import { withImageBuildLog } from "./image-build-log.js";
import { smokeInputs } from "./smoke-inputs.js";
import { isProvisioning, type Step } from "./step.js";

/** 4. The managed deployment, streaming its container logs while it provisions. */
export const deployment: Step = async (run) => {
  const { endpointName, deploymentName } = planOf(run);
  // Read by the model step (else now, beside the deployment); a plan changed meanwhile reads them again.
  const assets = takeAhead(run, "deployment-assets", () => deploymentAssets(run));
  assets.then((a) => a.warning && progress(run, "deployment", a.warning)).catch(() => undefined);
  // An endpoint this run created has no deployments to find, until this run asked for one (a retry reads first).
  const existing = run.endpointCreated && !run.deploymentRequested ? undefined : await run.port.getDeployment(run.at, endpointName, deploymentName);
  readAhead(run, "smoke-inputs", () => smokeInputs(run)); // read while the deployment provisions
  const logs = streamLogs(run);
  let provisioned = false;
  const wait = {
    signal: run.signal,
    onProgress: (p: LroProgress) => (progress(run, "deployment", `deployment ${p.status}`, { status: p.status, changed: p.changed }), void logs.poll()),
  };
  try {
    let attach = Boolean(existing && isProvisioning(existing.provisioningState));
    if (existing?.provisioningState === "Succeeded") {
      const differences = deploymentDifferences(existing, planOf(run), await deploymentSpec(run, assets));
      if (!differences.length) {
        run.session.note(() => (run.entry.resources.deploymentId = existing.id));
        provisioned = true;
        return { outcome: "skipped", detail: `deployment ${deploymentName} already runs as planned` };
      }
      const what = differences.map((d) => `${d.field} ${d.actual} (planned ${d.planned})`).join(", ");
      await settle(run, {
        step: "deployment",
        resource: "deployment",
        situation: "differs",
        message: `Deployment ${deploymentName} runs with ${what}.`,
        differences,
        choices: ["retry", "adapt", "stop"],
      });
    } else if (existing && !attach) {
      await settle(run, {
        step: "deployment",
        resource: "deployment",
        situation: "failed-earlier",
        // The cause and remedy that run found, said again: after a stop and a resume they were gone from the screen.
        message: `Deployment ${deploymentName} is ${existing.provisioningState} from an earlier run.${earlierCause(run)}`,
        choices: ["retry", "adapt", "stop"],
      });
    }
    // Absent when read above: the first PUT needs no second read. Otherwise the user was asked (or an earlier
    // operation attached to) since, so a PUT reads the deployment again (null).
    let known: undefined | null = existing ? null : undefined;
    for (;;) {
      try {
        // Still provisioning from an earlier run: attach to it, never PUT a second time.
        const state = attach ? await run.port.waitForDeployment(run.at, endpointName, deploymentName, wait) : await putDeployment(run, wait, assets, known);
        run.session.note(() => (run.entry.resources.deploymentId = state.id));
        provisioned = true;
        const plan = planOf(run);
        return {
          outcome: "done",
          detail: attach
            ? `deployment ${deploymentName} finished provisioning (attached to the earlier operation)`
            : `deployment ${plan.deploymentName} on ${plan.instanceCount} × ${plan.sku.name}`,
        };
      } catch (e) {
        // Azure's 409: an operation on the deployment is still running (an earlier PUT): wait for it, never PUT again.
        if (!attach && isOperationInProgress(e) && !run.signal?.aborted) {
          const current = await run.port.getDeployment(run.at, planOf(run).endpointName, planOf(run).deploymentName);
          if (current && isProvisioning(current.provisioningState)) {
            progress(run, "deployment", `an operation on deployment ${planOf(run).deploymentName} is still running: attaching to it`);
            attach = true;
            continue;
          }
        }
        if (!(e instanceof OperationFailedError) || run.signal?.aborted) throw e;
        await logs.poll(); // the crash is usually in the last lines: show them before asking
        const failed = await withImageBuildLog(run, e);
        // The plan's name, not the one this step began with: a VM size change moved it (blue → green).
        await settle(
          run,
          {
            step: "deployment",
            resource: "deployment",
            situation: "failed-now",
            message: `Deployment ${planOf(run).deploymentName} failed: ${failed.message.split("\n")[0]}`,
            error: toStepError(failed),
            choices: ["retry", "adapt", "stop"],
          },
          failed,
        );
        attach = false;
        known = null;
        logs.restart();
      }
    }
  } finally {
    // The last lines: a failure waits for them (its cause is usually there); a success lets the smoke test begin.
    const last = logs.poll();
    if (provisioned) (run.trailing ??= []).push(last);
    else await last;
  }
};

/**
 * What of a running deployment differs from what this session would deploy: VM size and instance count, and
 * what runs on it (environment, model, code, scoring script, request timeout). ARM ids compare without case.
 */
function deploymentDifferences(existing: DeploymentState, plan: MigrationPlan, wanted: DeploymentSpec): { field: string; planned: string; actual: string }[] {
  const out: { field: string; planned: string; actual: string }[] = [];
  const differ = (field: string, planned: string | undefined, actual: string | undefined, sameCase = false) => {
    if (actual === undefined || planned === undefined) return; // not reported by this service: nothing to compare
    if (sameCase ? planned !== actual : planned.toLowerCase() !== actual.toLowerCase()) out.push({ field, planned, actual });
  };
  differ("VM size", plan.sku.name ?? "none", existing.instanceType);
  differ("instances", String(plan.instanceCount), String(existing.instanceCount));
  differ("environment", shortId(wanted.environmentId), existing.environmentId && shortId(existing.environmentId));
  differ("model", shortId(wanted.modelId), existing.modelId && shortId(existing.modelId));
  if (wanted.codeId || existing.codeId) differ("code", shortId(wanted.codeId ?? "none"), shortId(existing.codeId ?? "none"));
  if (wanted.codeId && existing.scoringScript) differ("scoring script", wanted.scoringScript, existing.scoringScript, true);
  // Azure takes whole seconds (the adapter rounds): compare as it will be sent.
  differ(
    "request timeout",
    `${Math.round(wanted.requestTimeoutMs / 1000)} s`,
    existing.requestTimeoutMs === undefined ? undefined : `${Math.round(existing.requestTimeoutMs / 1000)} s`,
  );
  return out;
}

/** `…/environments/sklearn-env/versions/4` → `sklearn-env:4`: what a person recognises in a difference. */
function shortId(id: string): string {
  const m = /\/(?:environments|models|codes)\/([^/]+)\/versions\/([^/]+)$/i.exec(id);
  return m ? `${m[1]}:${m[2]}` : id;
}

/** `read`: undefined when the step just found no deployment there; null to read it again first. */
async function putDeployment(run: ServiceRun, wait: WaitOptions, assets: DeploymentAssets, read: undefined | null): Promise<DeploymentState> {
  await newNameIfTheSizeChanges(run, read);
  const spec = await deploymentSpec(run, assets);
  run.deploymentRequested = true;
  return run.port.createOrUpdateDeployment(run.at, spec, wait);
}

/**
 * Azure cannot change an existing deployment's instance type (Azure/AML-Kubernetes#247: "deployment update can't
 * change instance type"; the way is a new deployment, the traffic moved, the old one deleted). So when the
 * deployment the plan names exists on another VM size, the plan moves to a new name beside it (blue → green),
 * journalled before anything is created: a resume finds the new one and carries on. The traffic step moves 100%
 * to it once its smoke test passed, then deletes the one it replaced.
 */
async function newNameIfTheSizeChanges(run: ServiceRun, read: undefined | null): Promise<void> {
  const plan = planOf(run);
  const existing = read === null ? await run.port.getDeployment(run.at, plan.endpointName, plan.deploymentName) : undefined;
  if (!existing || existing.instanceType.toLowerCase() === (plan.sku.name ?? "").toLowerCase()) return;
  const taken = new Map((await run.port.listDeployments(run.at, plan.endpointName)).map((d) => [d.name.toLowerCase(), d]));
  const name = nextDeploymentName(plan.deploymentName, (n) => {
    const d = taken.get(n.toLowerCase());
    return d !== undefined && d.instanceType.toLowerCase() !== (plan.sku.name ?? "").toLowerCase();
  });
  // Written through (not noted): the new deployment is created right after, and a resume must look for it.
  run.session.update(() => {
    run.entry.overrides = { ...run.entry.overrides, deploymentName: name };
    run.entry.plan = { ...run.entry.plan, deploymentName: name };
  });
  progress(
    run,
    "deployment",
    `${plan.deploymentName} runs on ${existing.instanceType}, and Azure cannot change a deployment's VM size: creating ${name} on ${plan.sku.name} beside it; traffic moves to ${name} after its smoke test, then ${plan.deploymentName} is deleted`,
  );
}

/** Azure's 409 Conflict on a PUT: another operation on the resource has not finished. */
function isOperationInProgress(e: unknown): boolean {
  return e instanceof AzureRequestError && e.status === 409;
}

/** " It failed with: …" from the journal's record of the earlier run, with Azure's code and what to do. */
function earlierCause(run: ServiceRun): string {
  const e = run.earlierError;
  if (!e) return "";
  const facts = [e.code, e.requestId && `request id ${e.requestId}`].filter(Boolean).join(", ");
  return ` It failed with: ${e.message}${facts ? ` (${facts})` : ""}.${e.nextStep ? ` ${e.nextStep}` : ""}`;
}
