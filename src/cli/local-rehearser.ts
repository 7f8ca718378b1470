import type { Rehearser } from "../migration/port.js";

/** The rehearsal runner of this machine, keeping its work and its built environments in the state directory (loaded when a rehearsal runs). */
export function localRehearser(stateDir: string): Rehearser {
  return { rehearse: async (job, o) => (await import("../rehearse/rehearse.js")).rehearse(job, stateDir, o) };
}
