import { hostname, userInfo } from "node:os";
import { UserFixableError } from "../domain/errors.js";
import type { LeaseHolder } from "./port.js";
import { isTransient } from "./errors.js";
import { progress, type ServiceRun } from "./service-run.js";

/** How long a holder that died keeps the service: Azure's longest finite lease, renewed while the holder works. */
export const LEASE_SECONDS = 60;

/** The code of the refusal when another process holds the service's lease (`migrate --plan DIR` skips such a service for now). */
export const DRIVEN_ELSEWHERE = "DrivenElsewhere";

/**
 * Makes this process the one driver of the service before anything is created or changed (the preflight's last
 * check): a lease in the workspace's storage, so another machine or CI job is refused, naming who drives it.
 * Held until the service's run ends; a lease lost meanwhile stops the service before its next step.
 */
export async function takeDriverLease(run: ServiceRun): Promise<void> {
  if (run.lease || !run.port.leaseService) return; // held since an earlier attempt of this run; or one machine only
  const holder: LeaseHolder = { host: hostname(), user: userName(), sessionId: run.session.data.id };
  const got = await run.port.leaseService(run.ws, run.entry.name, holder, { onLost: (why) => (run.leaseLost = why) }).catch((e: unknown) => {
    if (isTransient(e)) throw e; // the preflight is tried again
    // Storage this machine cannot write (a firewall, no key): going on is as safe as it was before leases.
    progress(run, "preflight", `no lease taken (${(e as Error).message.split("\n")[0]}): another machine could drive ${run.entry.name} at the same time`);
    return undefined;
  });
  if (!got) return;
  if ("release" in got) {
    run.lease = got;
    return;
  }
  const who = got.heldBy ? `: session ${got.heldBy.sessionId} of ${got.heldBy.user} on ${got.heldBy.host}` : "";
  throw new UserFixableError(`Another aci-migrate drives ${run.entry.name} now${who}.`, {
    why: "One process at a time creates or changes a service's resources: the one that holds its lease in the workspace's storage, renewed while it works.",
    nextStep: `Let it finish. If it died, its lease ends ${LEASE_SECONDS} s after its last renewal; then run this again (\`aci-migrate resume ${run.session.data.id} --yes\`).`,
    kind: "state",
    code: DRIVEN_ELSEWHERE,
  });
}

/** Before each step after the preflight: a lease lost since (not renewed in time) stops the service there. */
export function requireDriverLease(run: ServiceRun): void {
  if (!run.leaseLost) return;
  throw new UserFixableError(`This process no longer drives ${run.entry.name}: its lease was lost (${run.leaseLost}).`, {
    why: `A lease not renewed within ${LEASE_SECONDS} s (a machine asleep, a network cut) lets another process take the service.`,
    nextStep: `See whether another machine goes on with it (\`aci-migrate audit -w ${run.ws.workspace}\`); else resume this session (\`aci-migrate resume ${run.session.data.id} --yes\`).`,
    kind: "state",
  });
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}
