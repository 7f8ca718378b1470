import type { RehearsalOutcome } from "../../domain/rehearsal.js";
import { rehearsalJob } from "../rehearsal-job.js";
import { planOf, progress, type ServiceRun } from "../service-run.js";
import { codeSource } from "./code-source.js";

/**
 * `migrate --rehearse`, in preflight: the service run on this machine in the managed layout before anything is
 * created in Azure. Its verdict joins the plan's findings, so a crash, a refusal or a different answer is a blocker
 * that stops the run here (the same as any other), with the line of the script that failed.
 */
export async function rehearseBeforeAzure(run: ServiceRun): Promise<RehearsalOutcome | undefined> {
  if (!run.entry.rehearse || !run.rehearser) return undefined;
  const plan = planOf(run);
  const job = await rehearsalJob({
    port: run.port,
    ws: run.ws,
    service: run.service!,
    doc: run.doc!,
    plan,
    code: codeSource(run, plan),
    sampleRequest: run.sampleRequest,
    secrets: run.secrets,
  });
  progress(run, "preflight", `rehearsing ${run.entry.name} on this machine in the managed layout`);
  const outcome = await run.rehearser.rehearse(job, {
    ...run.entry.rehearse,
    onProgress: (m) => progress(run, "preflight", `rehearsal: ${m}`),
    signal: run.signal,
  });
  progress(run, "preflight", `rehearsal: ${outcome.verdict.kind} (${outcome.runner.description})`);
  return outcome;
}
