import { mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { defaultStateDir } from "../session/state-dir.js";

/** Where this command keeps its sessions: --state-dir, else the environment's or the home folder's default. */
export function stateDirOf(cmd: Command): string {
  const g = cmd.optsWithGlobals() as { stateDir?: string; sandbox?: boolean };
  if (g.stateDir) return g.stateDir;
  // A sandbox with no state directory lives in memory; its sessions do too (a folder gone when the process
  // ends), instead of journaling resources that vanish with it next to the real ones in the home folder.
  return g.sandbox ? ephemeralStateDir() : defaultStateDir(process.env, process.platform, homedir());
}

let ephemeral: string | undefined;
function ephemeralStateDir(): string {
  if (!ephemeral) {
    const dir = mkdtempSync(join(tmpdir(), "aci-migrate-in-memory-"));
    ephemeral = dir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return ephemeral;
}
