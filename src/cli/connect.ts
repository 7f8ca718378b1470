import type { Command } from "commander";
import type { AzureConnection } from "../azure/connection.js";
import type { CloudName } from "../azure/clouds.js";
import type { SignInPrompt } from "../migration/events.js";
import type { CommandIo } from "./io.js";

export interface ConnectedSession {
  readonly conn: AzureConnection;
  readonly sandbox: boolean;
  close(): Promise<void>;
}

/**
 * `onSignIn` receives device-code prompts; without it they are printed to stderr. `quiet`: the line saying which
 * sandbox is used is left out (the wizard's header says it, and ink owns the screen).
 */
export type Connect = (cmd: Command, o?: { onSignIn?: (prompt: SignInPrompt) => void; quiet?: boolean }) => Promise<ConnectedSession>;

/**
 * How commands that talk to Azure get their connection: the sandbox with --sandbox (attached to the one serving
 * --state-dir, else embedded), otherwise the account `az login` signed in. Each loads only its own side when
 * asked (the sign-in library, or the sandbox with its certificate maker), so commands that never connect load neither.
 */
export function connector(io: CommandIo): Connect {
  return async (cmd, o) => {
    const g = cmd.optsWithGlobals() as { sandbox?: boolean; stateDir?: string; cloud?: CloudName; tenant?: string; verbose?: boolean; json?: boolean };
    // --verbose: each HTTP request on stderr (method, URL without query, status, request id).
    const trace = g.verbose ? { trace: (line: string) => io.err(`  http ${line}`) } : {};
    if (!g.sandbox) {
      const { azureConnection } = await import("../azure/credentials.js");
      const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
      return {
        conn: { ...azureConnection({ cloud: g.cloud, tenantId: g.tenant, interactive, onDeviceCode: o?.onSignIn ?? ((p) => io.err(p.message)) }), ...trace },
        sandbox: false,
        close: async () => {},
      };
    }
    const { openSandbox } = await import("./sandbox-connection.js");
    const opened = await openSandbox({ stateDir: g.stateDir });
    const session = { ...opened, conn: { ...opened.conn, ...trace } };
    // Under --json stderr holds only an error's JSON object; which sandbox is used goes unsaid.
    if (!g.json && !o?.quiet)
      io.err(
        session.mode === "attached"
          ? `Using the sandbox serving ${g.stateDir} (${session.conn.armEndpoint}).`
          : `Using an embedded sandbox${g.stateDir ? ` on ${g.stateDir}` : " (in memory)"}.`,
      );
    return { conn: session.conn, sandbox: true, close: () => session.close() };
  };
}
