import { callersKit, type CallersKit } from "../domain/callers-kit.js";
import { callersKitFiles } from "../report/callers-kit-files.js";
import { sampleRequest } from "./sample-request.js";
import { planOf, type ServiceRun } from "./service-run.js";

/** How the kit's commands reach this Azure (or sandbox), given by the front end that runs the migration. */
export interface CallersKitOptions {
  /** A command line of this tool as it is run here (`aci-migrate --sandbox --state-dir X <args>`). */
  readonly command: (args: string) => string;
  /** The sandbox's CA certificate (public): written into the kit, so its curl line trusts the sandbox. */
  readonly caPem?: string;
}

/**
 * Writes a migrated service's kit for its callers beside the session (`<id>.callers/<service>/`): a README (the
 * old and new URIs, the key and how to read it, the timeout, the swagger, who still calls the old URI), the
 * smoke test's sample and a call in shell, Python and C# that work as written.
 */
export async function writeCallersKit(run: ServiceRun, o: CallersKitOptions): Promise<CallersKit | undefined> {
  const plan = planOf(run);
  const newUri = run.entry.resources.scoringUri;
  if (!newUri) return undefined;
  const sample = await sampleRequest({ port: run.port, doc: run.doc, sampleRequest: run.sampleRequest });
  const dir = run.session.callersKitDir(run.entry.name);
  const kit = callersKit({
    plan,
    workspace: { name: run.at.workspace, resourceGroup: run.at.resourceGroup },
    newUri,
    dir,
    keyCommand: o.command(`keys -w ${run.at.workspace} --endpoint ${plan.endpointName}`),
    ...(o.caPem ? { caFile: `${dir}/sandbox-ca.pem` } : {}),
  });
  run.session.writeCallersKit(run.entry.name, { ...callersKitFiles(kit, sample.body), ...(o.caPem ? { "sandbox-ca.pem": o.caPem } : {}) });
  return kit;
}
