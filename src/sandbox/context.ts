import type { Clock } from "./clock.js";
import type { ScriptContainers } from "./script-containers.js";
import type { TokenAuthority } from "./tokens.js";
import type { WorldStore } from "./world-store.js";

/** What every route needs: the world, the clock, the time scale and the token authority. */
export interface SandboxContext {
  readonly store: WorldStore;
  readonly clock: Clock;
  /** Durations are divided by this: 1 is Azure's pace, 20 the demo's, 1000+ the tests'. */
  readonly speed: number;
  readonly tokens: TokenAuthority;
  /** The containers that run scoring scripts (in /usr/bin/python3 by default; tests point elsewhere to see "cannot run"). */
  readonly containers: ScriptContainers;
}
