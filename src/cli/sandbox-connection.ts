import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { hostname } from "node:os";
import { join } from "node:path";
import { UserFixableError } from "../domain/errors.js";
import { lockHolder, takeLock, type HeldLock } from "../session/lock.js";
import type { AzureConnection } from "../azure/connection.js";
import { isProcessAlive } from "../fs/process-alive.js";
import type { FaultOptions, Sandbox } from "../sandbox/index.js";
import { leasePace } from "../sandbox/blob-lease.js";
import { makeFolder } from "../fs/make-folder.js";

/** The file a serving sandbox leaves in its state directory so other processes can attach. */
export const CONNECTION_FILE = "sandbox-connection.json";
export const CA_FILE = "sandbox-ca.pem";

export interface SandboxConnectionInfo {
  readonly armEndpoint: string;
  readonly caFile: string;
  readonly token: string;
  readonly pid: number;
  readonly speed: number;
}

/** A sandbox's connection as the other clients of this process use it. */
export function connectionFor(info: { armEndpoint: string; caPem: string; token: string; speed: number }): AzureConnection {
  return {
    armEndpoint: info.armEndpoint,
    caPem: info.caPem,
    credential: { getToken: async () => ({ token: info.token, expiresOnTimestamp: Date.now() + 3600_000 }) },
    storageAccountUrl: (account) => `${info.armEndpoint}/${account}`,
    // Azure is polled every 5 s; a sandbox running N times faster is polled N times as often.
    pollIntervalMs: Math.max(20, Math.round(5000 / info.speed)),
    // A lease's seconds run at the sandbox's lease pace (capped), so its renewals keep that pace too.
    leaseRenewMs: Math.round(20_000 / leasePace(info.speed)),
    retryDelayMs: Math.max(10, Math.round(800 / info.speed)),
    endpointNameTaken: (location, name) => probeName(info, location, name),
  };
}

/** The sandbox's stand-in for the DNS check of a managed endpoint's scoring host. */
function probeName(info: { armEndpoint: string; caPem: string }, location: string, name: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(`/online/${location}/${encodeURIComponent(name)}`, info.armEndpoint), { ca: info.caPem }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * Writes the connection file and the CA (the public certificate only; the key stays in memory). The token is a
 * sandbox token, worthless outside it; the file is still 0600 like every secret-ish file.
 */
export function publishConnection(stateDir: string, sb: Sandbox, speed: number): SandboxConnectionInfo {
  const caFile = join(stateDir, CA_FILE);
  writeFileSync(caFile, sb.caPem, { mode: 0o644 });
  const info: SandboxConnectionInfo = { armEndpoint: sb.armEndpoint, caFile, token: sb.token, pid: process.pid, speed };
  writeFileSync(join(stateDir, CONNECTION_FILE), JSON.stringify(info, null, 2), { mode: 0o600 });
  return info;
}

export function unpublishConnection(stateDir: string): void {
  rmSync(join(stateDir, CONNECTION_FILE), { force: true });
  rmSync(join(stateDir, CA_FILE), { force: true });
}

/** The sandbox serving `stateDir`, if one is running (a stale file of a dead process is ignored). */
export function findServingSandbox(stateDir: string): SandboxConnectionInfo | undefined {
  const file = join(stateDir, CONNECTION_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, "utf8")) as SandboxConnectionInfo;
    return isProcessAlive(info.pid) && existsSync(info.caFile) ? info : undefined;
  } catch {
    return undefined;
  }
}

export interface SandboxSession {
  readonly conn: AzureConnection;
  /** "attached" to another process's sandbox, or "embedded" in this one. */
  readonly mode: "attached" | "embedded";
  close(): Promise<void>;
}

/** The lock a sandbox holds on its state directory: one process at a time keeps a world there. */
export const SANDBOX_LOCK = "sandbox.lock";

/**
 * Takes the state directory's sandbox lock, or explains who has it. Two sandboxes on one directory would each
 * save their own world over the other's: the last save wins and migrations reported as done vanish.
 */
export function lockSandboxDir(stateDir: string, role: "embedded" | "serving"): HeldLock {
  makeFolder(stateDir);
  const taken = takeLock(join(stateDir, SANDBOX_LOCK), { sandbox: role });
  if ("held" in taken) return taken.held;
  const h = taken.busy;
  const serving = h.owner?.sandbox === "serving";
  throw new UserFixableError(
    `Another aci-migrate (pid ${h.pid}${h.host === hostname() ? "" : ` on ${h.host}`}) ${serving ? "is starting a sandbox" : "runs an embedded sandbox"} on ${stateDir}.`,
    {
      why: "Two sandboxes keeping one state directory would overwrite each other's world, and migrations one reports as done would be lost.",
      nextStep: serving
        ? `Wait a moment and run the command again: it attaches to that sandbox.`
        : `Wait for that command to finish, or serve the directory to both: run \`aci-migrate --state-dir ${stateDir} sandbox\` in another terminal, and every \`aci-migrate --sandbox --state-dir ${stateDir} …\` attaches to it.`,
      kind: "state",
    },
  );
}

/**
 * What `--sandbox` means: attach to the sandbox serving the state directory, else start one in this process
 * (on that state directory when given, so its world persists, and holding its lock while it runs).
 */
export async function openSandbox(options: { stateDir?: string; speed?: number; faults?: FaultOptions }): Promise<SandboxSession> {
  const attach = (serving: SandboxConnectionInfo): SandboxSession => ({
    conn: connectionFor({ ...serving, caPem: readFileSync(serving.caFile, "utf8") }),
    mode: "attached",
    close: async () => {},
  });
  const serving = options.stateDir ? findServingSandbox(options.stateDir) : undefined;
  if (serving) return attach(serving);
  let lock: HeldLock | undefined;
  if (options.stateDir) {
    try {
      lock = lockSandboxDir(options.stateDir, "embedded");
    } catch (e) {
      // A `sandbox` command that took the lock and is about to publish its connection: attach once it has.
      const published = await waitForPublished(options.stateDir);
      if (published) return attach(published);
      throw e;
    }
  }
  const speed = options.speed ?? embeddedSpeed();
  try {
    const { startSandbox } = await import("../sandbox/index.js"); // only an embedded sandbox needs the server and its certificate
    const sb = await startSandbox({ stateDir: options.stateDir, speed, faults: options.faults });
    return { conn: connectionFor({ ...sb, speed }), mode: "embedded", close: () => sb.stop().finally(() => lock?.release()) };
  } catch (e) {
    lock?.release();
    throw e;
  }
}

/** The speed of a sandbox started in this process: `$ACI_MIGRATE_SANDBOX_SPEED` (tests and demos), else 20. */
function embeddedSpeed(): number {
  const given = process.env.ACI_MIGRATE_SANDBOX_SPEED;
  if (given === undefined || given === "") return 20;
  const speed = Number(given);
  if (speed > 0 && Number.isFinite(speed)) return speed;
  throw new UserFixableError(`ACI_MIGRATE_SANDBOX_SPEED is ${JSON.stringify(given)}, not a speed.`, {
    why: "It divides the sandbox's provisioning times, so it must be a number greater than 0 (1 = Azure's pace, 20 = demo).",
    nextStep: "Set it to a number such as 20, or unset it (`unset ACI_MIGRATE_SANDBOX_SPEED`), and run the command again.",
    kind: "input",
  });
}

async function waitForPublished(stateDir: string): Promise<SandboxConnectionInfo | undefined> {
  const holder = lockHolder(join(stateDir, SANDBOX_LOCK));
  if (holder?.owner?.sandbox !== "serving") return undefined;
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const serving = findServingSandbox(stateDir);
    if (serving) return serving;
  }
  return undefined;
}
