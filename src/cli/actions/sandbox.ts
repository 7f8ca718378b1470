import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { UserFixableError } from "../../domain/errors.js";
import type { FaultOptions } from "../../sandbox/faults.js";
import type { CommandIo } from "../io.js";
import { optionsOf } from "../options.js";
import { findServingSandbox, lockSandboxDir, publishConnection, unpublishConnection } from "../sandbox-connection.js";
import { printJson } from "../render/json-output.js";

/** `aci-migrate sandbox`: serves the embedded Azure until Ctrl+C (or SIGTERM). */
export async function serveSandbox(io: CommandIo, cmd: Command, signals: NodeJS.EventEmitter): Promise<void> {
  const opts = optionsOf<{ port: number; speed: number; faults?: FaultOptions }>(cmd);
  const stateDir = opts.stateDir;
  if (stateDir) {
    const serving = findServingSandbox(stateDir);
    if (serving) {
      throw new UserFixableError(`A sandbox (pid ${serving.pid}) is already serving ${stateDir} at ${serving.armEndpoint}.`, {
        why: "Two sandboxes writing one state directory would overwrite each other's world.",
        nextStep: `Use that one (aci-migrate --sandbox --state-dir ${stateDir} …), stop it, or pick another --state-dir.`,
        kind: "state",
      });
    }
  }
  // Held while it serves: an embedded sandbox of another command on this directory is refused, not raced.
  const lock = stateDir ? lockSandboxDir(stateDir, "serving") : undefined;
  let sb;
  try {
    const { startSandbox } = await import("../../sandbox/index.js");
    sb = await startSandbox({ port: opts.port, stateDir, speed: opts.speed, faults: opts.faults });
  } catch (e) {
    lock?.release();
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserFixableError(code === "EADDRINUSE" ? `Port ${opts.port} is already in use.` : `The sandbox could not start: ${(e as Error).message}`, {
      nextStep:
        code === "EADDRINUSE" ? "Pass another --port, or --port 0 for any free one." : "Check --state-dir (or move its sandbox-world.json away) and try again.",
      kind: "state",
    });
  }
  const dir = stateDir ?? mkdtempSync(join(tmpdir(), "aci-migrate-sandbox-"));
  const info = publishConnection(dir, sb, opts.speed);
  // Listen for Ctrl+C before saying "ready": a stop that comes right after the first line still cleans up.
  const stopRequested = new Promise<void>((resolve) => {
    signals.once("SIGINT", () => resolve());
    signals.once("SIGTERM", () => resolve());
  });
  const connection = { armEndpoint: info.armEndpoint, caFile: info.caFile, token: info.token, stateDir: stateDir ?? null, speed: opts.speed };
  if (opts.json) printJson(io, connection, { compact: true });
  else {
    io.out(`Sandbox ready at ${info.armEndpoint}  caFile=${info.caFile}  token=${info.token}`);
    io.out(
      `  world: ${stateDir ? `persisted in ${stateDir}` : "in memory (pass --state-dir to keep it)"} · speed ×${opts.speed}${opts.faults ? " · faults on" : ""}`,
    );
    io.out(`  subscriptions: ${sb.world.subscriptions.map((s) => `${s.displayName} (${s.subscriptionId})`).join(", ")}`);
    io.out(`  try: curl --cacert ${info.caFile} -H "Authorization: Bearer ${info.token}" "${info.armEndpoint}/subscriptions?api-version=2022-12-01"`);
    io.out("  Ctrl+C stops it.");
  }
  await stopRequested;
  await sb.stop();
  if (stateDir) unpublishConnection(stateDir);
  else rmSync(dir, { recursive: true, force: true });
  lock?.release();
  if (!opts.json) io.err("Sandbox stopped.");
}
