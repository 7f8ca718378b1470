import { statSync } from "node:fs";
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

/**
 * The state folder and its sessions folder when others may write them (a 0777 folder, say): anyone on the
 * machine could change a session (and so what a resume deletes or creates) or plant a lock. Warned, not changed:
 * the folder is the user's.
 */
export function looseStateFolders(stateDir: string): { folder: string; mode: string }[] {
  const out: { folder: string; mode: string }[] = [];
  for (const folder of [stateDir, join(stateDir, "sessions")]) {
    const mode = statSync(folder, { throwIfNoEntry: false })?.mode;
    if (mode !== undefined && (mode & 0o022) !== 0) out.push({ folder, mode: (mode & 0o777).toString(8).padStart(4, "0") });
  }
  return out;
}
