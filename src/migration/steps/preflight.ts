import { UserFixableError } from "../../domain/errors.js";
import { suggestEndpointName } from "../../domain/names.js";
import { parseServiceJson } from "../../domain/parse-service-json.js";
import { buildPlan, MIGRATED_FROM_TAG, type RegionFacts, type ScriptScan } from "../../domain/plan.js";
import { readAhead } from "../read-ahead.js";
import { checkScoringScript, prepareScriptCheck } from "../script-check.js";
import { planOf, type ServiceRun } from "../service-run.js";
import { codeSource } from "./code-source.js";
import { rehearseBeforeAzure } from "./rehearsal.js";
import type { Step } from "./step.js";
import { takeDriverLease } from "../driver-lease.js";
import { v1KeysOf } from "./v1-keys.js";
import { requireSavedPlanBasis } from "../saved-plan-check.js";
import { intoOtherWorkspace } from "./workspace-assets.js";

/** 1. The service is still there and healthy, the plan has no open blocker, the endpoint name is usable. */
export const preflight: Step = async (run) => {
  prepareScriptCheck();
  // The v1 keys the endpoint step sets are read beside preflight's reads (memory only, never journalled).
  if (run.entry.plan.keysCarried) readAhead(run, "v1-keys", () => v1KeysOf(run));
  // What Azure holds under the endpoint's name is asked for beside the service's re-read, by the name planned:
  // the name comes from the service's name and the user's choices, so the re-read almost never changes it.
  const lookUp = (name: string) => Promise.all([run.port.getEndpoint(run.at, name), run.port.isEndpointNameTaken(run.at.location, name)]);
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
  requireSavedPlanBasis(run, doc);
  run.doc = doc;
  run.service = parseServiceJson(doc, `${run.ws.workspace}/${run.entry.name}`);
  // Re-plan from the service as it is now, with the user's choices and its scoring script's check: a changed
  // service or script changes the plan (the script's check never changes the endpoint's name).
  const name = buildPlan(run.service, run.entry.overrides).endpointName;
  const [scan, [existing, nameTaken]] = await Promise.all([scanScript(run), name === planned ? early : lookUp(name)]);
  const into = targetNote(run);
  run.entry.plan = buildPlan(run.service, run.entry.overrides, scan, into);
  // Run on this machine before Azure is touched, when asked: its verdict is part of the plan.
  const rehearsal = await rehearseBeforeAzure(run);
  if (rehearsal) run.entry.plan = buildPlan(run.service, run.entry.overrides, scan, into, rehearsal);
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
  await requireNamedEnvironment(run);
  if (existing && existing.tags[MIGRATED_FROM_TAG] !== run.entry.name) {
    throw new UserFixableError(`Endpoint ${plan.endpointName} already exists in ${run.at.workspace} and is not a migration of ${run.entry.name}.`, {
      nextStep: `Choose another name with --endpoint-name (e.g. ${suggestEndpointName(run.entry.name, 1)}).`,
      kind: "state",
    });
  }
  if (!existing && nameTaken) {
    throw new UserFixableError(`The endpoint name ${plan.endpointName} is already taken in ${run.at.location}.`, {
      why: "Managed endpoint names are unique per region across every Azure customer.",
      nextStep: `Choose another with --endpoint-name, e.g. ${suggestEndpointName(run.entry.name, 1)}.`,
      kind: "state",
    });
  }
  // Checked last, after everything that only reads: from here on this process alone creates or changes the service.
  await takeDriverLease(run);
  readAhead(run, "endpoint", async () => existing);
  return {
    outcome: "done",
    detail: existing ? `endpoint ${plan.endpointName} exists from an earlier run; it will be reused` : `${plan.endpointName} is free in ${run.at.location}`,
  };
};

/** Another workspace the endpoint goes into, as the plan's findings and text name it (its region's other facts are read as steps go). */
function targetNote(run: ServiceRun): RegionFacts | undefined {
  return intoOtherWorkspace(run) ? { location: run.at.location, into: run.at.workspace } : undefined;
}

/** The check reads the script as the v1 service has it (the plan without the check offers no edits yet). */
async function scanScript(run: ServiceRun): Promise<ScriptScan | undefined> {
  const source = codeSource(run, buildPlan(run.service!, run.entry.overrides));
  return source && checkScoringScript(run.port, run.ws, run.service!, source, run.entry.overrides.environment);
}

/** An environment the user named (--environment) must be registered: said now, not after the endpoint exists. */
async function requireNamedEnvironment(run: ServiceRun): Promise<void> {
  const named = run.entry.overrides.environment;
  if (!named) return;
  const [name = "", version] = named.split(":");
  if (await run.port.environmentVersion(run.ws, name, version)) return;
  const versions = (await run.port.listEnvironments(run.ws)).filter((e) => e.name.toLowerCase() === name.toLowerCase()).map((e) => `${e.name}:${e.version}`);
  // The step's failure line carries the message and the next step: what is registered goes in the message.
  const there = versions.length ? `${name} has the versions ${versions.join(", ")}` : `no environment named ${name} is registered there`;
  throw new UserFixableError(`Environment ${named} is not registered in workspace ${run.ws.workspace}: ${there}.`, {
    why: "--environment names a registered environment the deployment runs in.",
    nextStep: versions.length
      ? `Name one of those with --environment (e.g. --environment ${versions[0]}), or register ${named} first, and run again.`
      : "Register it first (az ml environment create), or name a registered one with --environment, and run again.",
    kind: "input",
  });
}
