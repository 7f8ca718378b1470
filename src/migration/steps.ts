import { LOG_TAIL_LINES, linesAfter, START_OF_LOG } from "./log-tail.js";
import { UserFixableError } from "../domain/errors.js";
import { suggestEndpointName } from "../domain/names.js";
import { parseServiceJson } from "../domain/parse-service-json.js";
import { buildPlan, DEFAULT_SAMPLE_REQUEST, MIGRATED_FROM_TAG } from "../domain/plan.js";
import { condaFilePackageNames } from "../domain/parse-v1-environment.js";
import { INFERENCE_SERVER_PACKAGES } from "../domain/findings.js";
import { sampleFromV1Swagger } from "../domain/v1-swagger.js";
import type { StepName } from "../session/session-file.js";
import type { MigrationPlan } from "../domain/plan.js";
import { settle } from "./ask-user.js";
import { AzureRequestError, OperationFailedError, toStepError } from "./errors.js";
import type { CodeSource, DeploymentSpec, DeploymentState, LroProgress, WaitOptions } from "./port.js";
import { checkScoringScript, prepareScriptCheck } from "./script-check.js";
import type { ScriptScan } from "../domain/plan.js";
import { migrationTags, planOf, progress, SESSION_TAG, type ServiceRun } from "./service-run.js";
import { readAhead, takeAhead, type ReadsAhead } from "./read-ahead.js";

/** What a step reports when it ends: `skipped` when reconciling found nothing to do. */
export interface StepOutcome {
  readonly outcome: "done" | "skipped";
  readonly detail: string;
}

export type Step = (run: ServiceRun) => Promise<StepOutcome>;

/** 1. The service is still there and healthy, the plan has no open blocker, the endpoint name is usable. */
const preflight: Step = async (run) => {
  prepareScriptCheck();
  // The v1 keys the endpoint step sets are read beside preflight's reads (memory only, never journalled).
  if (run.entry.plan.keysCarried) readAhead(run, "v1-keys", () => v1KeysOf(run));
  // What Azure holds under the endpoint's name is asked for beside the service's re-read, by the name planned:
  // the name comes from the service's name and the user's choices, so the re-read almost never changes it.
  const lookUp = (name: string) => Promise.all([run.port.getEndpoint(run.ws, name), run.port.isEndpointNameTaken(run.ws.location, name)]);
  const planned = run.entry.plan.endpointName;
  const early = lookUp(planned);
  early.catch(() => undefined); // (its failure is reported where it is awaited)
  const doc = await run.port.getV1Service(run.ws, run.entry.name);
  if (!doc) {
    throw new UserFixableError(`Service ${run.entry.name} no longer exists in workspace ${run.ws.workspace}.`, {
      why: "It was deleted (or renamed) after the migration was planned.",
      nextStep: "Check `aci-migrate services`; if it is gone on purpose, nothing is left to migrate.",
      kind: "state",
    });
  }
  run.doc = doc;
  run.service = parseServiceJson(doc, `${run.ws.workspace}/${run.entry.name}`);
  // Re-plan from the service as it is now, with the user's choices and its scoring script's check: a changed
  // service or script changes the plan (the script's check never changes the endpoint's name).
  const name = buildPlan(run.service, run.entry.overrides).endpointName;
  const [scan, [existing, nameTaken]] = await Promise.all([scanScript(run), name === planned ? early : lookUp(name)]);
  run.entry.plan = buildPlan(run.service, run.entry.overrides, scan);
  const plan = planOf(run);
  if (plan.blockers.length) {
    throw new UserFixableError(`Migration of ${run.entry.name} is blocked by: ${plan.blockers.join(", ")}.`, {
      why: plan.findings
        .filter((f) => plan.blockers.includes(f.id))
        .map((f) => f.message)
        .join(" "),
      nextStep: `Fix each, or accept it with --acknowledge ${plan.blockers.join(" --acknowledge ")}, and run again.`,
      kind: "state",
    });
  }
  if (existing && existing.tags[MIGRATED_FROM_TAG] !== run.entry.name) {
    throw new UserFixableError(`Endpoint ${plan.endpointName} already exists in ${run.ws.workspace} and is not a migration of ${run.entry.name}.`, {
      nextStep: `Choose another name with --endpoint-name (e.g. ${suggestEndpointName(run.entry.name, 1)}).`,
      kind: "state",
    });
  }
  if (!existing && nameTaken) {
    throw new UserFixableError(`The endpoint name ${plan.endpointName} is already taken in ${run.ws.location}.`, {
      why: "Managed endpoint names are unique per region across every Azure customer.",
      nextStep: `Choose another with --endpoint-name, e.g. ${suggestEndpointName(run.entry.name, 1)}.`,
      kind: "state",
    });
  }
  readAhead(run, "endpoint", async () => existing);
  return {
    outcome: "done",
    detail: existing ? `endpoint ${plan.endpointName} exists from an earlier run; it will be reused` : `${plan.endpointName} is free in ${run.ws.location}`,
  };
};

/** The v1 service's keys, registered as secrets as soon as they are read. */
async function v1KeysOf(run: ServiceRun) {
  const keys = await run.port.listV1ServiceKeys(run.ws, run.entry.name);
  for (const k of [keys.primaryKey, keys.secondaryKey]) if (k) run.secrets.add(k);
  return keys;
}

/** Where the scoring code comes from: `--code-dir`, else the v1 snapshot; none for an image that carries it. */
function codeSource(run: ServiceRun, plan: MigrationPlan = planOf(run)): CodeSource | undefined {
  if (plan.environment.kind === "image" && !run.entry.codeDir) return undefined;
  const edits = plan.script.editsAccepted && plan.script.file ? { edits: { file: plan.script.file, edits: plan.script.edits } } : {};
  return run.entry.codeDir
    ? { kind: "folder", path: run.entry.codeDir, scoringScript: plan.code.scoringScript ?? "score.py", ...edits }
    : { kind: "snapshot", service: run.doc!, ...edits };
}

/** The check reads the script as the v1 service has it (the plan without the check offers no edits yet). */
async function scanScript(run: ServiceRun): Promise<ScriptScan | undefined> {
  const source = codeSource(run, buildPlan(run.service!, run.entry.overrides));
  return source && checkScoringScript(run.port, run.ws, run.service!, source);
}

/** 2. The scoring code as a registered code version (uploaded once per content hash). */
const code: Step = async (run) => {
  const source = codeSource(run);
  if (!source) return { outcome: "skipped", detail: "the v1 image carries its scoring code (custom container)" };
  const { id, reused } = await run.port.ensureCode(
    run.ws,
    source,
    `${run.entry.name}-code`,
    (p) =>
      progress(
        run,
        "code",
        p.files === 0
          ? `uploading ${count(p.totalFiles, "file")} (${megabytes(p.totalBytes)})`
          : `uploaded ${p.files.toLocaleString("en-US")} of ${count(p.totalFiles, "file")} (${megabytes(p.bytes)} of ${megabytes(p.totalBytes)})`,
      ),
    // The session that registers a version is named on it, so a rollback deletes only its own.
    { [SESSION_TAG]: run.session.data.id },
  );
  run.session.note(() => (run.entry.resources.codeId = id));
  return {
    outcome: reused ? "skipped" : "done",
    detail: reused ? `reused code version ${id.split("/").slice(-3).join("/")}` : `uploaded and registered ${id.split("/").slice(-3).join("/")}`,
  };
};

/**
 * 2b. A service with several v1 models gets one folder model holding them all (a managed deployment takes one
 * model). The copy and the registration are keyed by the models' content, so a run killed anywhere in between
 * ends, when resumed, with one folder and one model version.
 */
const model: Step = async (run) => {
  const outcome = await gatherModels(run);
  // The ids the deployment will name are read now, while the endpoint (the other lane) still provisions; an
  // image-based service's environment is registered (a write), so that waits for the deployment step.
  if (planOf(run).environment.kind !== "image") readAhead(run, "deployment-assets", () => deploymentAssets(run));
  return outcome;
};

async function gatherModels(run: ServiceRun): Promise<StepOutcome> {
  const m = planOf(run).model;
  if (m.kind === "registered") return { outcome: "skipped", detail: `one registered model, ${m.name}:${m.version}, deployed as it is` };
  if (m.kind === "unknown")
    throw new UserFixableError(`The plan for ${run.entry.name} names no model.`, {
      nextStep: "Name the registered model with --model NAME:VERSION.",
      kind: "state",
    });
  const parts = m.parts.map((id) => {
    const i = id.lastIndexOf(":");
    return { name: id.slice(0, i), version: id.slice(i + 1), path: m.paths[id] ?? id };
  });
  const made = await run.port.ensureCombinedModel(
    run.ws,
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

const count = (n: number, what: string) => `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

/** 3. The endpoint, with the v1 keys carried over. */
const endpoint: Step = async (run) => {
  const plan = planOf(run);
  // The v1 keys are read while the endpoint is looked up (they are used only if it must be created).
  const [existing, v1Keys] = await Promise.all([
    takeAhead(run, "endpoint", () => run.port.getEndpoint(run.ws, plan.endpointName)),
    plan.keysCarried ? takeAhead(run, "v1-keys", () => v1KeysOf(run)) : undefined,
  ]);
  if (existing?.provisioningState === "Succeeded") {
    run.session.note(() => Object.assign(run.entry.resources, { endpointId: existing.id, scoringUri: existing.scoringUri }));
    return { outcome: "skipped", detail: `endpoint ${plan.endpointName} already exists` };
  }
  const wait = {
    signal: run.signal,
    onProgress: (p: LroProgress) => progress(run, "endpoint", `endpoint ${p.status}`, { status: p.status, changed: p.changed }),
  };
  let attach = Boolean(existing && isProvisioning(existing.provisioningState));
  if (existing && !attach) {
    await settle(run, {
      step: "endpoint",
      resource: "endpoint",
      situation: "failed-earlier",
      message: `Endpoint ${plan.endpointName} is ${existing.provisioningState} from an earlier run.`,
      choices: ["retry", "stop"],
    });
  }
  for (;;) {
    try {
      // Still provisioning from an earlier run: attach to it, never PUT a second time.
      const keys = !attach && !existing ? v1Keys : undefined;
      const state = attach
        ? await run.port.waitForEndpoint(run.ws, plan.endpointName, wait)
        : await run.port.createOrUpdateEndpoint(
            run.ws,
            { name: plan.endpointName, authMode: plan.authMode, tags: migrationTags(run), description: describeMigration(run), keys },
            wait,
          );
      run.session.note(() => Object.assign(run.entry.resources, { endpointId: state.id, scoringUri: state.scoringUri }));
      run.endpointCreated = !attach && !existing;
      const how = attach
        ? "finished provisioning (attached to the earlier operation)"
        : existing
          ? "provisioned again after a failure"
          : `created${keys ? " with the v1 keys" : ""}`;
      return { outcome: "done", detail: `endpoint ${plan.endpointName} ${how}` };
    } catch (e) {
      if (!(e instanceof OperationFailedError) || run.signal?.aborted) throw e;
      await settle(
        run,
        {
          step: "endpoint",
          resource: "endpoint",
          situation: "failed-now",
          message: `Creating endpoint ${plan.endpointName} failed.`,
          error: toStepError(e),
          choices: ["retry", "stop"],
        },
        e,
      );
      attach = false;
    }
  }
};

/** 4. The managed deployment, streaming its container logs while it provisions. */
const deployment: Step = async (run) => {
  const { endpointName, deploymentName } = planOf(run);
  // Read by the model step (else now, beside the deployment); a plan changed meanwhile reads them again.
  const assets = takeAhead(run, "deployment-assets", () => deploymentAssets(run));
  assets.then((a) => a.warning && progress(run, "deployment", a.warning)).catch(() => undefined);
  // An endpoint this run created has no deployments to find.
  const existing = run.endpointCreated ? undefined : await run.port.getDeployment(run.ws, endpointName, deploymentName);
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
        message: `Deployment ${deploymentName} is ${existing.provisioningState} from an earlier run.`,
        choices: ["retry", "adapt", "stop"],
      });
    }
    // Absent when read above: the first PUT needs no second read. Otherwise the user was asked (or an earlier
    // operation attached to) since, so a PUT reads the deployment again (null).
    let known: undefined | null = existing ? null : undefined;
    for (;;) {
      try {
        // Still provisioning from an earlier run: attach to it, never PUT a second time.
        const state = attach ? await run.port.waitForDeployment(run.ws, endpointName, deploymentName, wait) : await putDeployment(run, wait, assets, known);
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
        if (!(e instanceof OperationFailedError) || run.signal?.aborted) throw e;
        await logs.poll(); // the crash is usually in the last lines: show them before asking
        // The plan's name, not the one this step began with: a VM size change moved it (blue → green).
        await settle(
          run,
          {
            step: "deployment",
            resource: "deployment",
            situation: "failed-now",
            message: `Deployment ${planOf(run).deploymentName} failed: ${e.message.split("\n")[0]}`,
            error: toStepError(e),
            choices: ["retry", "adapt", "stop"],
          },
          e,
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

function isProvisioning(state: string): boolean {
  return state === "Creating" || state === "Updating";
}

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

/** The model and environment a deployment of the plan names, with the plan they were read for. */
type DeploymentAssets = Promise<ReadsAhead["deployment-assets"]>;

function deploymentAssets(run: ServiceRun): DeploymentAssets {
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
async function deploymentSpec(run: ServiceRun, assets: DeploymentAssets): Promise<DeploymentSpec> {
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

/** `read`: undefined when the step just found no deployment there; null to read it again first. */
async function putDeployment(run: ServiceRun, wait: WaitOptions, assets: DeploymentAssets, read: undefined | null): Promise<DeploymentState> {
  await newNameIfTheSizeChanges(run, read);
  return run.port.createOrUpdateDeployment(run.ws, await deploymentSpec(run, assets), wait);
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
  const existing = read === null ? await run.port.getDeployment(run.ws, plan.endpointName, plan.deploymentName) : undefined;
  if (!existing || existing.instanceType.toLowerCase() === (plan.sku.name ?? "").toLowerCase()) return;
  const taken = new Map((await run.port.listDeployments(run.ws, plan.endpointName)).map((d) => [d.name.toLowerCase(), d]));
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

/** The next of blue, green, blue-2, green-2, … after `current` that `unusable` does not rule out. */
export function nextDeploymentName(current: string, unusable: (name: string) => boolean): string {
  const names = Array.from({ length: 50 }, (_, i) => (i < 2 ? ["blue", "green"][i]! : `${["blue", "green"][i % 2]}-${Math.floor(i / 2) + 1}`));
  const start = names.indexOf(current.toLowerCase());
  for (let i = 1; i <= names.length; i++) {
    const candidate = names[(Math.max(start, 0) + i) % names.length]!;
    if (candidate !== current.toLowerCase() && !unusable(candidate)) return candidate;
  }
  throw new Error(`no free deployment name beside ${current}`);
}

function describeMigration(run: ServiceRun): string {
  return `Migrated from the ACI web service ${run.entry.name} by aci-migrate.`;
}

/** 5. Scores a sample on the new deployment and, when the old service answers, compares. */
const smokeTest: Step = async (run) => {
  const plan = planOf(run);
  const oldUri = String(run.doc?.scoringUri ?? "");
  // What the calls need was read while the deployment provisioned; the endpoint's and its deployments' state,
  // which the traffic step starts from, are read while the two are called.
  const inputs = takeAhead(run, "smoke-inputs", () => smokeInputs(run));
  const uri = run.entry.resources.scoringUri ?? (await run.port.getEndpoint(run.ws, plan.endpointName))?.scoringUri;
  if (!uri) throw new UserFixableError(`Endpoint ${plan.endpointName} has no scoring URI yet.`, { nextStep: "Resume in a minute.", kind: "state" });
  const { keys, sample, oldKeys } = await inputs;
  const key = keys?.primaryKey;
  const oldKey = oldKeys?.primaryKey;
  progress(run, "smoke-test", `scoring ${sample.source}`);
  readAhead(run, "traffic-endpoint", () => run.port.getEndpoint(run.ws, plan.endpointName));
  readAhead(run, "traffic-deployments", () => run.port.listDeployments(run.ws, plan.endpointName));
  // The new deployment and the ACI service are called side by side with the same request (the ACI answer is
  // compared only when the new one passes).
  const [fresh, old] = await Promise.all([
    run.port.score(uri, key, sample.body, plan.deploymentName),
    oldUri ? run.port.score(oldUri, oldKey, sample.body).catch(() => undefined) : undefined,
  ]);
  if (fresh.status === 429 || fresh.status >= 500) {
    throw new AzureRequestError(`The new deployment answered HTTP ${fresh.status}.`, fresh.status, undefined, undefined, "Score"); // transient: the step runs again
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
      const same = JSON.stringify(old.body) === JSON.stringify(fresh.body);
      if (!same) {
        const result = { status: "failed" as const, detail: "the new deployment answers differently from the ACI service" };
        run.session.note(() => (run.entry.outcome = { status: "failed", smokeTest: result }));
        throw new UserFixableError(`Smoke test of ${plan.endpointName}: ${result.detail}.`, {
          nextStep: "Check that the same model version and scoring code were deployed; traffic was not moved.",
          kind: "state",
        });
      }
      detail = "the new deployment answers exactly as the ACI service";
    } else {
      detail += "; the ACI service did not answer, so nothing to compare";
    }
  }
  run.session.note(() => (run.entry.outcome = { status: "migrated", smokeTest: { status: "passed", detail } }));
  return { outcome: "done", detail };
};

/** The smoke test's keys (registered as secrets as they arrive) and its sample request. */
async function smokeInputs(run: ServiceRun): Promise<ReadsAhead["smoke-inputs"]> {
  const plan = planOf(run);
  const oldUri = String(run.doc?.scoringUri ?? "");
  const [keys, sample, oldKeys] = await Promise.all([
    plan.authMode === "Key" ? run.port.listEndpointKeys(run.ws, plan.endpointName) : undefined,
    sampleRequestFor(run),
    oldUri && run.service?.authEnabled ? run.port.listV1ServiceKeys(run.ws, run.entry.name) : undefined,
  ]);
  for (const k of [keys?.primaryKey, keys?.secondaryKey, oldKeys?.primaryKey, oldKeys?.secondaryKey]) if (k) run.secrets.add(k);
  return { keys, sample, oldKeys };
}

/**
 * 6. All traffic to the new deployment (GET the endpoint, set traffic, PUT); then the deployments of this
 * service's migration that it replaced (a VM size change: blue → green) are deleted. Those are found by their
 * tag on the endpoint, so a resume after any kill finishes the same way; deployments aci-migrate did not make
 * are never touched.
 */
const traffic: Step = async (run) => {
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

/** The user's sample first (they know their callers), then the one the service's swagger documents, then a default. */
async function sampleRequestFor(run: ServiceRun): Promise<{ body: unknown; source: string }> {
  if (run.sampleRequest !== undefined) return { body: run.sampleRequest, source: "the sample request given with --sample-request" };
  const swaggerUri = typeof run.doc?.swaggerUri === "string" ? run.doc.swaggerUri : undefined;
  const fromSwagger = swaggerUri ? sampleFromV1Swagger(await run.port.v1Swagger(swaggerUri).catch(() => undefined)) : undefined;
  if (fromSwagger !== undefined) return { body: fromSwagger, source: "the sample input from the service's swagger" };
  return {
    body: DEFAULT_SAMPLE_REQUEST,
    source: `a default sample ${JSON.stringify(DEFAULT_SAMPLE_REQUEST)} (the service documents none; give one with --sample-request)`,
  };
}

export const STEPS: Readonly<Record<StepName, Step>> = { preflight, code, model, endpoint, deployment, "smoke-test": smokeTest, traffic };

async function modelFor(run: ServiceRun): Promise<string> {
  const model = planOf(run).model;
  if (model.kind === "combined") {
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
  const id = await run.port.modelVersionId(run.ws, model.name, model.version);
  if (!id)
    throw new UserFixableError(`Model ${model.name}:${model.version} is not registered in ${run.ws.workspace}.`, {
      nextStep: "Register it, or name another with --model.",
      kind: "state",
    });
  return id;
}

/** The environment's id, and a warning when its conda file lacks the inference server (the step shows it). */
async function environmentFor(run: ServiceRun): Promise<{ id: string; warning?: string }> {
  const env = planOf(run).environment;
  if (env.kind === "image") return { id: await run.port.ensureImageEnvironment(run.ws, `${run.entry.name}-image-env`, env.image) };
  if (env.kind !== "registered") {
    throw new UserFixableError(`The plan for ${run.entry.name} has no registered environment (${env.kind}).`, {
      nextStep: "Register an environment for it and plan again.",
      kind: "state",
    });
  }
  const found = await run.port.environmentVersion(run.ws, env.name, env.version);
  if (!found)
    throw new UserFixableError(`Environment ${env.name}:${env.version ?? "latest"} is not registered in ${run.ws.workspace}.`, {
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

/**
 * Polls both containers' logs (their last LOG_TAIL_LINES lines, so no poll grows with the log) and emits only the
 * lines not seen before, after adding them to the session's full log file (`restart` when a new container starts).
 */
function streamLogs(run: ServiceRun): { poll(): Promise<void>; restart(): void } {
  const cursors = { StorageInitializer: START_OF_LOG, InferenceServer: START_OF_LOG };
  let busy: Promise<void> | undefined;
  const pollOnce = async () => {
    const plan = planOf(run); // read each time: a VM size change moves the plan to a new deployment
    const containers = ["StorageInitializer", "InferenceServer"] as const;
    const texts = await Promise.all(
      containers.map((container) => run.port.deploymentLogs(run.ws, plan.endpointName, plan.deploymentName, container, LOG_TAIL_LINES).catch(() => "")),
    );
    for (const [i, container] of containers.entries()) {
      const text = texts[i]!;
      const read = linesAfter(cursors[container], text ? text.split("\n") : []);
      cursors[container] = read.cursor;
      if (!read.lines.length) continue;
      run.session.appendLog(run.entry.name, plan.deploymentName, container, read.lines);
      run.emit({ type: "log-lines", service: run.entry.name, container, lines: read.lines });
    }
  };
  return {
    poll: () => (busy ??= pollOnce().finally(() => (busy = undefined))),
    restart: () => Object.assign(cursors, { StorageInitializer: START_OF_LOG, InferenceServer: START_OF_LOG }),
  };
}
