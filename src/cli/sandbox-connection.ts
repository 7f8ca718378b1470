import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import type { AzureConnection } from "../azure/connection.js";
import { isProcessAlive } from "../session/process-alive.js";
import { startSandbox, type FaultOptions, type Sandbox } from "../sandbox/index.js";

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

/**
 * What `--sandbox` means: attach to the sandbox serving the state directory, else start one in this process
 * (on that state directory when given, so its world persists).
 */
export async function openSandbox(options: { stateDir?: string; speed?: number; faults?: FaultOptions }): Promise<SandboxSession> {
  const serving = options.stateDir ? findServingSandbox(options.stateDir) : undefined;
  if (serving) {
    return { conn: connectionFor({ ...serving, caPem: readFileSync(serving.caFile, "utf8") }), mode: "attached", close: async () => {} };
  }
  const speed = options.speed ?? 20;
  const sb = await startSandbox({ stateDir: options.stateDir, speed, faults: options.faults });
  return { conn: connectionFor({ ...sb, speed }), mode: "embedded", close: () => sb.stop() };
}
