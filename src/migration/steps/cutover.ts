import { UserFixableError } from "../../domain/errors.js";
import { firstDifference } from "../../domain/compare-answers.js";
import type { DeploymentState, EndpointState } from "../port.js";
import { planOf, progress, updatedEndpointTags, type ServiceRun } from "../service-run.js";
import type { SessionCutover } from "../../session/session-file.js";
import { smokeInputs } from "./smoke-inputs.js";
import { accessOf, describeMigration } from "./step.js";

/** The endpoint tag that says which old deployment is kept, and until when. */
export const KEEP_OLD_TAG = "aci-migrate-keep-old";

/**
 * A blue/green switch in steps: the new deployment's share of the traffic raised step by step (the old one
 * keeps the rest), each step held for the wait and then checked (the sample scored on both, pinned by name);
 * a step whose check fails puts all the traffic back on the old deployment. Reconciles first: a resume starts
 * from the share the endpoint has now. At 100% the old deployment is kept (until `keepOldMs` has passed, else
 * until asked), named in the endpoint's tags and the journal, so `rollback` can move the traffic back to it.
 */
export async function cutOver(
  run: ServiceRun,
  cutover: SessionCutover,
  state: EndpointState,
  replaced: readonly DeploymentState[],
): Promise<{ detail: string; moved: boolean }> {
  const plan = planOf(run);
  const fresh = plan.deploymentName;
  // The one callers use now; any other replaced deployment has no share and gets none.
  const old = [...replaced].sort((a, b) => (state.traffic[b.name] ?? 0) - (state.traffic[a.name] ?? 0))[0]!;
  let current = state.traffic[fresh] ?? 0;
  let tags = updatedEndpointTags(run, state.tags);
  const put = async (share: number, extra: Record<string, string> = {}) => {
    tags = { ...tags, ...extra };
    await run.port.createOrUpdateEndpoint(
      run.at,
      {
        name: plan.endpointName,
        authMode: plan.authMode,
        tags,
        description: describeMigration(run),
        publicNetworkAccess: accessOf(plan, state.publicNetworkAccess),
        traffic: { ...Object.fromEntries(replaced.map((d) => [d.name, 0])), [old.name]: 100 - share, [fresh]: share },
      },
      { signal: run.signal, onProgress: (p) => progress(run, "traffic", `endpoint ${p.status}`, { status: p.status, changed: p.changed }) },
    );
  };
  let moved = false;
  for (const share of cutover.steps) {
    if (share <= current) continue;
    const until = cutover.keepOldMs === undefined ? undefined : new Date(Date.now() + cutover.keepOldMs).toISOString();
    await put(share, share === 100 ? { [KEEP_OLD_TAG]: `${old.name} until ${until ?? "asked"}` } : {});
    moved = true;
    current = share;
    progress(run, "traffic", `${share}% of the traffic goes to ${fresh}, ${100 - share}% stays on ${old.name}`);
    if (share === 100) {
      run.session.note(() => (run.entry.keptOld = { deployment: old.name, ...(until ? { until } : {}) }));
      break;
    }
    progress(run, "traffic", `holding ${share}% for ${Math.round(cutover.stepWaitMs / 1000)} s, then checking ${fresh} against ${old.name}`);
    await sleep(cutover.stepWaitMs, run.signal);
    const problem = await checkStep(run, old.name, fresh);
    if (problem) {
      await put(0);
      throw new UserFixableError(`At ${share}% of the traffic, ${fresh} ${problem}; all the traffic went back to ${old.name}.`, {
        nextStep: `Read the deployment's logs, fix it, and resume (\`aci-migrate resume ${run.session.data.id}\`).`,
        kind: "state",
      });
    }
  }
  const kept = run.entry.keptOld;
  const until = kept?.until ? ` until ${kept.until}` : " until you delete it (or roll back)";
  return { moved, detail: `100% of the traffic goes to ${fresh} (in steps of ${cutover.steps.join(", ")}%); ${old.name} is kept${until}` };
}

/** The sample scored on both deployments, pinned by name: what is wrong with the new one's answer, if anything. */
async function checkStep(run: ServiceRun, old: string, fresh: string): Promise<string | undefined> {
  const uri = run.entry.resources.scoringUri ?? (await run.port.getEndpoint(run.at, planOf(run).endpointName))?.scoringUri;
  if (!uri) return "has no scoring URI";
  const { keys, sample } = await smokeInputs(run);
  const [a, b] = await Promise.all([run.port.score(uri, keys?.primaryKey, sample.body, old), run.port.score(uri, keys?.primaryKey, sample.body, fresh)]);
  if (b.status !== 200) return `answered HTTP ${b.status}`;
  if (a.status === 200 && firstDifference(a.body, b.body)) return `answers the sample differently from ${old}`;
  return undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
