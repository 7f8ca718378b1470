import { mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { quote } from "shell-quote";
import { printable } from "../domain/printable.js";
import { defaultStateDir, looseStateFolders } from "../session/state-dir.js";
import type { CommandIo } from "./io.js";

/** Where this command keeps its sessions: --state-dir, else the environment's or the home folder's default. */
export function stateDirOf(cmd: Command): string {
  const g = cmd.optsWithGlobals() as { stateDir?: string; sandbox?: boolean; json?: boolean };
  if (g.stateDir) return g.stateDir;
  // A sandbox with no state directory lives in memory; its sessions do too (a folder gone when the process
  // ends), instead of journaling resources that vanish with it next to the real ones in the home folder.
  return g.sandbox ? ephemeralStateDir() : defaultStateDir(process.env, process.platform, homedir());
}

/**
 * Before a command runs: says (on stderr; not under --json, whose stderr is for its error) that others may write
 * the state folder it would use. A sandbox's in-memory folder is the tool's own and is not looked at.
 */
export function warnIfStateDirLoose(cmd: Command, io: CommandIo): void {
  const g = cmd.optsWithGlobals() as { stateDir?: string; sandbox?: boolean; json?: boolean };
  if (g.json || (g.sandbox && !g.stateDir)) return;
  for (const { folder, mode } of looseStateFolders(stateDirOf(cmd))) {
    io.err(
      `Note: ${printable(folder, 200)} can be written by other users (mode ${mode}): they could change your sessions. Make it yours alone with:\n  chmod 700 ${quote([folder])}`,
    );
  }
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
