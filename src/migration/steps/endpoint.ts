import { settle } from "../ask-user.js";
import { OperationFailedError, toStepError } from "../errors.js";
import type { EndpointSpec, LroProgress } from "../port.js";
import { takeAhead } from "../read-ahead.js";
import { migrationTags, planOf, progress } from "../service-run.js";
import { accessOf, describeMigration, isProvisioning, type Step } from "./step.js";
import { v1KeysOf } from "./v1-keys.js";

/** 3. The endpoint, with the v1 keys carried over. */
export const endpoint: Step = async (run) => {
  const plan = planOf(run);
  // The v1 keys are read while the endpoint is looked up (they are used only if it must be created).
  const [existing, v1Keys] = await Promise.all([
    takeAhead(run, "endpoint", () => run.port.getEndpoint(run.at, plan.endpointName)),
    plan.keysCarried ? takeAhead(run, "v1-keys", () => v1KeysOf(run)) : undefined,
  ]);
  const wait = {
    signal: run.signal,
    onProgress: (p: LroProgress) => progress(run, "endpoint", `endpoint ${p.status}`, { status: p.status, changed: p.changed }),
  };
  if (existing?.provisioningState === "Succeeded") {
    const wanted = accessOf(plan, existing.publicNetworkAccess) ?? "Enabled";
    const access = (existing.publicNetworkAccess ?? "Enabled").toLowerCase() === wanted.toLowerCase() ? undefined : wanted;
    // Migrated before (a new deployment beside the old one): only the network access the plan asks for is changed,
    // with its auth, tags and traffic as they are.
    const state = access
      ? await run.port.createOrUpdateEndpoint(
          run.at,
          {
            name: existing.name,
            authMode: existing.authMode as EndpointSpec["authMode"],
            tags: existing.tags,
            description: describeMigration(run),
            traffic: existing.traffic,
            publicNetworkAccess: access,
          },
          wait,
        )
      : existing;
    run.session.note(() => Object.assign(run.entry.resources, { endpointId: state.id, scoringUri: state.scoringUri }));
    if (access)
      return {
        outcome: "done",
        detail: `endpoint ${plan.endpointName} already exists; its public network access is now ${access === "Disabled" ? "off" : "on"}`,
      };
    return { outcome: "skipped", detail: `endpoint ${plan.endpointName} already exists` };
  }
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
        ? await run.port.waitForEndpoint(run.at, plan.endpointName, wait)
        : await run.port.createOrUpdateEndpoint(
            run.at,
            {
              name: plan.endpointName,
              authMode: plan.authMode,
              tags: migrationTags(run),
              description: describeMigration(run),
              keys,
              publicNetworkAccess: plan.publicNetworkAccess,
            },
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
