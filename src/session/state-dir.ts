import { join } from "node:path";

/**
 * Where aci-migrate keeps its sessions: `$ACI_MIGRATE_STATE_DIR`, else `$XDG_STATE_HOME/aci-migrate`, else
 * `~/.local/state/aci-migrate`; on Windows `%LOCALAPPDATA%\aci-migrate`. Pure, so every platform is testable.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (env.ACI_MIGRATE_STATE_DIR) return env.ACI_MIGRATE_STATE_DIR;
  if (platform === "win32") return join(env.LOCALAPPDATA ?? join(home, "AppData", "Local"), "aci-migrate");
  return join(env.XDG_STATE_HOME || join(home, ".local", "state"), "aci-migrate");
}
